import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

const changeSchema = new Schema({ field: String, before: Schema.Types.Mixed, after: Schema.Types.Mixed }, { _id: false });

// Append-only: the app has no route or service that updates or deletes entries.
const auditSchema = new Schema(
  {
    at: { type: Date, required: true },
    /** Dhaka date of `at`, stored for date filters (no $dateToString on the embedded engine). */
    day: { type: String, required: true },
    actor: {
      id: { type: Schema.Types.ObjectId, default: null },
      username: { type: String },
      name: { type: String },
    },
    /** e.g. user.create, user.update, office.move, auth.sign-in, auth.sign-in-failed */
    action: { type: String, required: true },
    entity: {
      type: { type: String },
      id: { type: String },
      label: { type: String },
      /** The record's office (for the admin's subtree scope). */
      office: { type: Schema.Types.ObjectId, default: null },
    },
    changes: { type: [changeSchema], default: [] },
    /** The record's version after this change (for "what changed since version n" on a 409). */
    version: { type: Number },
    note: String,
    ip: String,
    requestId: String,
  },
  { versionKey: false },
);
auditSchema.index({ at: -1 });
auditSchema.index({ 'entity.type': 1, 'entity.id': 1, at: -1 });
auditSchema.index({ 'actor.id': 1, at: -1 });

export type AuditDoc = InferSchemaType<typeof auditSchema> & { _id: Types.ObjectId };
export const AuditEntry = mongoose.model('AuditEntry', auditSchema, 'audit_log');
