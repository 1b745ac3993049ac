import mongoose, { Schema } from 'mongoose';

const serviceSchema = new Schema(
  {
    section: { type: String, enum: ['citizen', 'institutional', 'internal'], required: true },
    serial: { type: String, required: true },
    name: { type: String, required: true },
    method: String,
    documents: String,
    fee: String,
    timeLimit: String,
    timeLimitDays: { type: Number, default: null },
    officer: String,
    officerInherited: Boolean,
  },
  { _id: false },
);

/**
 * An office's citizen charter. The current one has `_id` = the office id, so reading it is one `_id` lookup;
 * each replaced version is kept with `_id` = `<office id>:v<version>` (history).
 */
const charterSchema = new Schema(
  {
    _id: { type: String },
    office: { type: Schema.Types.ObjectId, ref: 'Office', required: true },
    version: { type: Number, required: true },
    current: { type: Boolean, required: true },
    services: { type: [serviceSchema], default: [] },
    vision: String,
    mission: String,
    importedAt: { type: Date, required: true },
    importedBy: { id: Schema.Types.ObjectId, name: String },
    /** Rows the import could not read (kept when the importer chose to save the rest). */
    skippedRows: { type: [{ row: Number, message: String, _id: false }], default: [] },
    replacedAt: Date,
    /** Set on versions made by editing one service (not by an import): what was done, by whom, when. */
    change: { type: new Schema({ kind: { type: String, enum: ['add', 'edit', 'remove'] }, key: String, name: String, at: Date, by: { id: Schema.Types.ObjectId, name: String } }, { _id: false }), default: undefined },
  },
  { versionKey: false },
);

export const Charter = mongoose.model('Charter', charterSchema, 'charters');
