import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { ROLES } from '../../kernel/roles.js';
import { bumpOnWrite } from '../../platform/db/change-marker.js';
import { reserveUsername } from './username-index.js';

export { ROLES, type Role } from '../../kernel/roles.js';

/** A second post held for a date range (চলতি/অতিরিক্ত দায়িত্ব); Dhaka dates, both inclusive. */
const actingChargeSchema = new Schema({
  office: { type: Schema.Types.ObjectId, ref: 'Office', required: true },
  roles: { type: [{ type: String, enum: ROLES }], default: [] },
  designationBn: { type: String, required: true, trim: true },
  designationEn: { type: String, trim: true },
  from: { type: String, required: true },
  to: { type: String, required: true },
  note: { type: String, trim: true },
});

const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true, trim: true, lowercase: true },
    nameBn: { type: String, required: true, trim: true },
    nameEn: { type: String, trim: true },
    designationBn: { type: String, required: true, trim: true },
    designationEn: { type: String, trim: true },
    office: { type: Schema.Types.ObjectId, ref: 'Office', required: true },
    email: { type: String, trim: true, lowercase: true },
    phone: { type: String, trim: true },
    language: { type: String, enum: ['bn', 'en'], default: 'bn' },
    roles: { type: [{ type: String, enum: ROLES }], default: [] },
    active: { type: Boolean, default: true },
    /** argon2id */
    passwordHash: { type: String, required: true, select: false },
    mustChangePassword: { type: Boolean, default: false },
    passwordChangedAt: { type: Date },
    lastLoginAt: { type: Date },
    actingCharges: { type: [actingChargeSchema], default: [] },
    /** NFC lower-case name, username and designation, for search without $text. */
    searchText: { type: String, default: '' },
  },
  { timestamps: true, optimisticConcurrency: true },
);

// Sign-in finds people by username through `usernames` records read by _id (username-index.ts): every save that
// gives a user a name takes its record first, so no user exists without one.
userSchema.pre('save', async function () {
  if (this.isNew || this.isModified('username')) await reserveUsername(this.username, this._id);
});

// Signed-in actors are cached per process; any write to a user drops those caches (features/auth).
bumpOnWrite(userSchema, 'auth');

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
export const User = mongoose.model('User', userSchema);
