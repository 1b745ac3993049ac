// An office's letterhead setting (দাপ্তরিক প্যাড), printed at the top of every document of that office.
// - `letterheads`: one document per office, `_id` = the office id, so every read is one `_id` lookup. A field
//   left empty (null/absent) means "the default" (computed from the office record when printed), so a renamed
//   office prints its new name unless someone chose another on purpose.
// - `letterhead_history`: the claim of each save, `_id` = "<office id>:<version saved from>". Conditional updates
//   are not atomic on the embedded engine, but a unique `_id` is: of two saves from the same version exactly one
//   inserts this record and goes ahead; the other is told what changed (409). The record keeps what version n
//   said (`before`, for the 409's list of changes) and the whole next version (`next`, so a save that stopped
//   between the claim and the write is finished by the next one that finds it).
import mongoose, { Schema, type Types } from 'mongoose';

const person = { id: Schema.Types.ObjectId, name: String };

const logoSchema = new Schema(
  {
    contentType: { type: String, enum: ['image/png', 'image/jpeg'], required: true },
    data: { type: Buffer, required: true },
    bytes: { type: Number, required: true },
    sha256: { type: String, required: true },
  },
  { _id: false },
);

/** The settings of one version (what a save writes); empty text fields mean "the default". */
const settingsFields = () => ({
  government: { type: String, default: null },
  officeName: { type: String, default: null },
  address: { type: [String], default: undefined },
  motto: { type: String, default: null },
  contact: { type: String, default: null },
});

const letterheadSchema = new Schema(
  {
    _id: { type: String, required: true },
    office: { type: Schema.Types.ObjectId, required: true },
    /** 1 after the first save; an office without a document is at version 0 (all defaults). */
    version: { type: Number, required: true },
    ...settingsFields(),
    logo: { type: logoSchema, default: null },
    updatedBy: person,
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export interface LetterheadLogo {
  contentType: 'image/png' | 'image/jpeg';
  data: Buffer;
  bytes: number;
  sha256: string;
}

export interface LetterheadDoc {
  _id: string;
  office: Types.ObjectId;
  version: number;
  government?: string | null;
  officeName?: string | null;
  address?: string[] | null;
  motto?: string | null;
  contact?: string | null;
  logo?: LetterheadLogo | null;
  updatedBy?: { id?: Types.ObjectId | null; name?: string | null } | null;
  updatedAt: Date;
}

export const Letterhead = mongoose.model('Letterhead', letterheadSchema, 'letterheads');

/** What one version said, without the logo's bytes (its hash tells whether it changed). */
const snapshotSchema = new Schema(
  { ...settingsFields(), logo: { type: new Schema({ contentType: String, bytes: Number, sha256: String }, { _id: false }), default: null } },
  { _id: false },
);

const historySchema = new Schema(
  {
    _id: { type: String, required: true },
    office: { type: Schema.Types.ObjectId, required: true },
    /** The version this save started from ("the move out of version n"). */
    version: { type: Number, required: true },
    before: { type: snapshotSchema, required: true },
    /** The whole document of version n + 1, logo bytes included. */
    next: {
      type: new Schema({ version: Number, ...settingsFields(), logo: { type: logoSchema, default: null }, updatedBy: person, updatedAt: Date }, { _id: false }),
      required: true,
    },
    by: person,
    /** Wall-clock time of the claim: tells a save in progress from one left by a process that died. */
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// MongoDB answers "history of an office" from this index; the app itself reads by _id only.
historySchema.index({ office: 1, version: -1 });

export const LetterheadHistory = mongoose.model('LetterheadHistory', historySchema, 'letterhead_history');
