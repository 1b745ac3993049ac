// The clock every feature reads "now" from (never `new Date()` in business rules): the system clock in the app,
// a fixed one in tests and in passes run "as if at" a time.
export { fixedClock, systemClock, type Clock } from '../lib/index.js';
