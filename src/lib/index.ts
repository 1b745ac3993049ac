export * from './bangla-digits.js';
export * from './dhaka-time.js';
export * from './bengali-calendar.js';
export * from './date-format.js';
export * from './fiscal.js';
export * from './text.js';
