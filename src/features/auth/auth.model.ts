import mongoose, { Schema } from 'mongoose';

/**
 * Sign-in attempts as claims (see sign-in-lockout.ts). Two kinds of record, each under a unique `_id` that is the
 * only way they are read while signing in:
 * - slot `<user>#<generation>#<n>`: the n-th password check of a counting period, inserted BEFORE the check, so of
 *   any burst at most LOCKOUT_ATTEMPTS win a slot; the rest are refused as locked;
 * - generation `<user>#<generation>`: a new counting period (after a successful sign-in, an expired lock, or a
 *   quiet spell), started by an insert, so that resetting the count never depends on a conditional update.
 */
const signInSlotSchema = new Schema(
  {
    _id: { type: String },
    kind: { type: String, enum: ['slot', 'generation', 'lock'], required: true },
    username: { type: String, required: true },
    generation: { type: Number, required: true },
    n: Number,
    ip: String,
    at: { type: Date, required: true },
    reason: String,
  },
  { versionKey: false },
);
// For the nightly clean-up and for MongoDB; sign-in itself reads by _id only.
signInSlotSchema.index({ at: 1 });
export const SignInSlot = mongoose.model('SignInSlot', signInSlotSchema, 'sign_in_slots');

/**
 * Per user, a hint of the newest generation (`_id` is the user key). Only a hint: `$max` is not atomic on the
 * embedded engine, so readers probe `<user>#<g+1>` onward for generations started after it was written.
 */
const signInStateSchema = new Schema({ _id: { type: String }, generation: { type: Number, required: true } }, { versionKey: false });
export const SignInState = mongoose.model('SignInState', signInStateSchema, 'sign_in_state');
