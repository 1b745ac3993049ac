// Attachments of an initiative (notices, attendance sheets, photos, evaluation reports...), stored so that every
// read is an `_id` lookup (database.md: any other filter reads the whole collection; GridFS finds its chunks by a
// filter, so it is not used):
// - `initiative_attachments`: one small record per attachment, `_id` "<initiative id>-<n>" with n = 1, 2, 3…
//   claimed by inserting it (a unique `_id` is enforced under concurrency; a counter or an array on a shared
//   document would lose updates on the embedded engine). Listing reads "<id>-1", "<id>-2"… by `_id` until one is
//   missing: no filtered read, and no number is ever skipped (only an insert claims one).
// - `initiative_attachment_files`: the bytes, one document per attachment under the same `_id` (a 10 MB file fits
//   in one 16 MB BSON document), read whole by one `_id` lookup.
// Removal marks the record (who, when) and hides it from the list; the bytes are kept.
import mongoose, { Schema, type Types } from 'mongoose';

const person = { id: Schema.Types.ObjectId, name: String };

const attachmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    initiative: { type: Schema.Types.ObjectId, required: true },
    /** The initiative's office at upload (for the audit log). */
    office: { type: Schema.Types.ObjectId },
    n: { type: Number, required: true },
    /** 'uploading' until the bytes are stored; an upload that failed half-way stays hidden ('failed'). */
    state: { type: String, enum: ['uploading', 'stored', 'failed'], required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    caption: { type: String },
    uploadedBy: person,
    uploadedAt: { type: Date, required: true },
    removed: { type: new Schema({ by: person, at: Date, reason: String }, { _id: false }), default: null },
  },
  { versionKey: false },
);
// MongoDB answers "attachments of an initiative" from this index; the app itself reads by _id only.
attachmentSchema.index({ initiative: 1 });

export interface AttachmentDoc {
  _id: string;
  initiative: Types.ObjectId;
  office?: Types.ObjectId | null;
  n: number;
  state: 'uploading' | 'stored' | 'failed';
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  caption?: string | null;
  uploadedBy?: { id?: Types.ObjectId | null; name?: string | null } | null;
  uploadedAt: Date;
  removed?: { by?: { id?: Types.ObjectId | null; name?: string | null } | null; at?: Date | null; reason?: string | null } | null;
}

export const Attachment = mongoose.model('InitiativeAttachment', attachmentSchema, 'initiative_attachments');

const fileSchema = new Schema(
  {
    _id: { type: String, required: true },
    initiative: { type: Schema.Types.ObjectId, required: true },
    name: String,
    contentType: String,
    size: Number,
    sha256: String,
    data: { type: Buffer, required: true },
    createdAt: Date,
  },
  { versionKey: false },
);
export const AttachmentFile = mongoose.model('InitiativeAttachmentFile', fileSchema, 'initiative_attachment_files');

/** "<initiative id>-<n>": the attachment ids of one initiative, in upload order. */
export const ATTACHMENT_ID = /^([0-9a-f]{24})-([1-9]\d{0,5})$/;

export function attachmentId(initiativeId: string, n: number): string {
  return `${initiativeId}-${n}`;
}
