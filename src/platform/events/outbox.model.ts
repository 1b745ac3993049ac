// The outbox's three collections, each read only by `_id` (or, for the small pending one, whole).
import mongoose, { Schema } from 'mongoose';

/** A durable event, kept: its `_id` (`<name>:<key of the change>`) makes a second write of it a no-op. */
const eventSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    createdAt: Date,
    doneAt: { type: Date, default: null },
    /** Set by drain() when the change it announced never happened; cleared when the event is recorded again. */
    abandonedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
export const OutboxEvent = mongoose.model('OutboxEvent', eventSchema, 'outbox_events');

/**
 * Events whose handlers have not all finished, removed when they have: drain() reads this collection whole,
 * and it stays as small as the work left over (every other filter on the engine is a full scan).
 */
const pendingSchema = new Schema({ _id: { type: String, required: true }, name: String, createdAt: Date }, { versionKey: false });
export const OutboxPending = mongoose.model('OutboxPending', pendingSchema, 'outbox_pending');

/**
 * A handler's progress on one event (`<eventId>:<handler>`) or on one step of it (`<eventId>:<handler>:<step>`),
 * claimed by unique insert before the work and marked done after it.
 */
export interface OutboxClaimDoc {
  _id: string;
  state: 'running' | 'done' | 'failed';
  /** Attempts spent: each takeover of a run that failed or was abandoned adds one, of one that said RetryLater none. */
  attempt: number;
  /** Each takeover adds one (names the takeover's unique key); absent on claims written before it existed. */
  generation?: number;
  /** The last run ended with RetryLater (not ready), which spends no attempt. */
  retryLater?: boolean;
  claimedAt: Date;
  doneAt?: Date | null;
  error?: string | null;
}
const claimSchema = new Schema(
  { _id: { type: String, required: true }, state: String, attempt: Number, generation: Number, retryLater: Boolean, claimedAt: Date, doneAt: Date, error: String },
  { versionKey: false },
);
export const OutboxClaim = mongoose.model('OutboxClaim', claimSchema, 'outbox_claims');
