import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { changeLog, recordChangesOnWrite } from '../../platform/db/read-model.js';

export const MEMO_LAYOUT_NAMES = ['2014', '2024', 'custom'] as const;

/**
 * A memo-number register (স্মারক নম্বর বহি): the layout and segment values an office prints before the letter
 * serial. An office's default register numbers its documents unless another is chosen.
 */
const registerSchema = new Schema(
  {
    office: { type: Schema.Types.ObjectId, ref: 'Office', required: true },
    name: { type: String, required: true, trim: true },
    layout: { type: String, enum: MEMO_LAYOUT_NAMES, required: true },
    /** Values in Latin digits, zero-padded to their width when printed. */
    segments: { type: [{ key: String, value: String, width: Number, _id: false }], default: [] },
    /** Before the letter serial: '-' (most common) or '.'. */
    separator: { type: String, enum: ['-', '.'], default: '-' },
    /** The first serial this register hands out (a paper register may already be at 67). */
    startSerial: { type: Number, default: 1 },
    /** The file (নথি) the register belongs to, as people call it. */
    file: { type: String, trim: true },
    isDefault: { type: Boolean, default: false },
    active: { type: Boolean, default: true },
    createdBy: { id: Schema.Types.ObjectId, name: String },
  },
  { timestamps: true, optimisticConcurrency: true },
);
/** The registers list's read model (memo.read-model.ts) catches up from this log. */
export const REGISTER_LOG = changeLog('memo-registers');
recordChangesOnWrite(registerSchema, REGISTER_LOG);
export type MemoRegisterDoc = InferSchemaType<typeof registerSchema> & { _id: Types.ObjectId; __v: number };
export const MemoRegister = mongoose.model('MemoRegister', registerSchema, 'memo_registers');

/**
 * One issued number. Its _id is "<register>:<serial>", so the unique _id index is what makes a serial
 * impossible to hand out twice (an $inc counter cannot, on the embedded engine); documentKey is unique too,
 * so one document never holds two numbers of the same kind, whatever retries and crashes happen.
 */
const memoNumberSchema = new Schema(
  {
    _id: { type: String, required: true },
    register: { type: Schema.Types.ObjectId, required: true },
    office: { type: Schema.Types.ObjectId, required: true },
    serial: { type: Number, required: true },
    /** As printed, in Bangla digits. */
    number: { type: String, required: true },
    /** e.g. "minutes:<meeting id>", "notice:<meeting id>", "letter:<client key>". */
    documentKey: { type: String, required: true },
    document: { kind: String, id: String, label: String },
    issuedAt: { type: Date, required: true },
    by: { id: Schema.Types.ObjectId, name: String },
  },
  { versionKey: false },
);
memoNumberSchema.index({ documentKey: 1 }, { unique: true });
memoNumberSchema.index({ register: 1, serial: 1 });
export type MemoNumberDoc = InferSchemaType<typeof memoNumberSchema>;
export const MemoNumber = mongoose.model('MemoNumber', memoNumberSchema, 'memo_numbers');

/** The highest serial known to be taken, per register: a hint that is never ahead of the truth. */
const hintSchema = new Schema({ _id: { type: String, required: true }, last: { type: Number, default: 0 } }, { versionKey: false });
export const MemoHint = mongoose.model('MemoHint', hintSchema, 'memo_hints');
