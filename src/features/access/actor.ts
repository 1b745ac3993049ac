// Moved to the kernel (src/kernel/actor.ts); this shim goes once every import points there.
export * from '../../kernel/actor.js';
