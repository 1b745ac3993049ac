import mongoose, { Schema } from 'mongoose';
import { bumpOnWrite } from '../../platform/db/change-marker.js';

/** One record per sign-in attempt: a $inc counter would lose counts on the embedded engine. */
const loginAttemptSchema = new Schema(
  {
    username: { type: String, required: true },
    ip: String,
    at: { type: Date, required: true },
    ok: { type: Boolean, required: true },
  },
  { versionKey: false },
);
loginAttemptSchema.index({ username: 1, at: -1 });
export const LoginAttempt = mongoose.model('LoginAttempt', loginAttemptSchema, 'login_attempts');

/** An account lock, keyed by username so the check is an _id read. */
const accountLockSchema = new Schema({ _id: { type: String }, until: { type: Date, required: true } }, { versionKey: false });
export const AccountLock = mongoose.model('AccountLock', accountLockSchema, 'account_locks');

/** API bearer tokens, stored hashed: _id is the SHA-256 of the token, so a request's check is an _id read. */
const apiTokenSchema = new Schema(
  {
    _id: { type: String },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    name: { type: String, default: 'API' },
    /** The first characters, to recognise a token in lists. */
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
  },
  { versionKey: false },
);
bumpOnWrite(apiTokenSchema, 'auth');
export const ApiToken = mongoose.model('ApiToken', apiTokenSchema, 'api_tokens');
