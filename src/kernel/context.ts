// What a service is told about the request it serves: who acts, from where, under which request id, and the
// app's clock (tests and `npm run reminders -- --at` run the business clock elsewhere than the wall clock).
import type { Clock } from '../lib/index.js';
import type { Actor } from './actor.js';

export interface RequestContext {
  readonly actor?: Actor;
  readonly ip?: string;
  readonly requestId?: string;
  readonly clock: Clock;
}
