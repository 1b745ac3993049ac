// Moved to the kernel (src/kernel/errors.ts); this shim goes once every import points there.
export * from '../kernel/errors.js';
