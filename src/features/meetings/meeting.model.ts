import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { changeLog, recordChanges, recordChangesOnWrite } from '../../platform/db/read-model.js';

export const MEETING_KINDS = ['review', 'orientation', 'innovation_team', 'other'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_STATUSES = ['draft', 'submitted', 'returned', 'signed', 'issued'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const PURPOSES = ['action', 'information', 'attention'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const DECISION_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** A person or office named in a document: a user, an office, or typed text; `text` is always what prints. */
const partySchema = new Schema({ user: { type: Schema.Types.ObjectId, default: null }, office: { type: Schema.Types.ObjectId, default: null }, text: { type: String, required: true } }, { _id: false });

const personSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, default: null },
    name: { type: String, required: true },
    designation: { type: String, default: '' },
    office: { type: String, default: '' },
    present: { type: Boolean, default: true },
    reason: String,
  },
  { _id: false },
);

const decisionSchema = new Schema(
  {
    /** Given when the minutes are saved, so the action item created at issue keeps it (idempotent). */
    _id: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true },
    implementers: { type: [partySchema], default: [] },
    deadline: String,
    initiatives: { type: [Schema.Types.ObjectId], default: [] },
    /** The discussion item (index) the decision belongs to, or none. */
    item: { type: Number, default: null },
  },
  { _id: false },
);

const distributionSchema = new Schema(
  { text: { type: String, required: true }, purpose: { type: String, enum: PURPOSES, required: true }, user: { type: Schema.Types.ObjectId, default: null }, office: { type: Schema.Types.ObjectId, default: null } },
  { _id: false },
);

const actorStamp = { id: Schema.Types.ObjectId, name: String, designation: String, office: String };

const meetingSchema = new Schema(
  {
    office: { type: Schema.Types.ObjectId, ref: 'Office', required: true },
    kind: { type: String, enum: MEETING_KINDS, required: true },
    subject: { type: String, required: true, trim: true },
    chair: { user: { type: Schema.Types.ObjectId, default: null }, name: String, designation: String, text: String },
    venue: { type: String, default: '' },
    startsAt: { type: Date, required: true },
    durationMinutes: { type: Number, default: 120 },
    /** Meetings of one series follow each other ("the previous meeting"). */
    series: { type: String, required: true },
    previous: { type: Schema.Types.ObjectId, default: null },
    agendaItems: { type: [{ text: String, initiatives: [Schema.Types.ObjectId], _id: false }], default: [] },
    observers: { type: [personSchema], default: [] },
    attendance: { type: [personSchema], default: [] },
    minutes: {
      opening: { type: String, default: '' },
      confirmation: { type: String, default: '' },
      items: { type: [{ topic: String, paragraphs: [String], speakers: [String], _id: false }], default: [] },
      decisions: { type: [decisionSchema], default: [] },
      closing: { type: String, default: '' },
    },
    status: { type: String, enum: MEETING_STATUSES, default: 'draft' },
    history: { type: [{ status: String, at: Date, by: { id: Schema.Types.ObjectId, name: String }, comment: String, _id: false }], default: [] },
    signedBy: { type: actorStamp, default: null },
    signedAt: { type: Date, default: null },
    contentHash: { type: String, default: null },
    memoNumber: { type: String, default: null },
    register: { type: Schema.Types.ObjectId, default: null },
    issuedAt: { type: Date, default: null },
    distribution: { type: [distributionSchema], default: [] },
    notBySeniority: { type: Boolean, default: false },
    issuer: { type: actorStamp, default: null },
    /** The notice (সভার নোটিশ) is a letter of its own. */
    notice: {
      memoNumber: String,
      issuedAt: Date,
      distribution: { type: [distributionSchema], default: undefined },
      sequence: { type: Number, default: 0 },
      sentTo: { type: [String], default: undefined },
    },
    /** A corrigendum is a new version that names the minutes it corrects. */
    corrects: { type: Schema.Types.ObjectId, default: null },
    correctedBy: { type: Schema.Types.ObjectId, default: null },
    /** The public verification code of the issued PDF. */
    verifyCode: { type: String, default: null },
    pdf: { id: String, sha256: String, bytes: Number },
    searchText: { type: String, default: '' },
    createdBy: { id: Schema.Types.ObjectId, name: String },
  },
  { timestamps: true, optimisticConcurrency: true },
);

/** Change logs of the listings' read models (meeting.read-model.ts): every write through these models lands in them. */
export const MEETING_LOG = changeLog('meetings');
export const DECISION_LOG = changeLog('decisions');
export const DISTRIBUTION_LIST_LOG = changeLog('distribution-lists');
recordChangesOnWrite(meetingSchema, MEETING_LOG);
// Issued minutes' decisions become action items by a raw insert just after the status is saved: name them now,
// and the decisions read model keeps looking for the ones not written yet.
meetingSchema.post('save', async function () {
  if (this.status === 'issued') await recordChanges(DECISION_LOG, (this.minutes?.decisions ?? []).map((d) => d._id));
});

export type MeetingDoc = InferSchemaType<typeof meetingSchema> & { _id: Types.ObjectId; __v: number; createdAt: Date; updatedAt: Date };
export const Meeting = mongoose.model('Meeting', meetingSchema, 'meetings');

/** A decision of issued minutes, followed up as an action item (its _id is the decision's id in the minutes). */
const actionItemSchema = new Schema(
  {
    meeting: { type: Schema.Types.ObjectId, required: true },
    office: { type: Schema.Types.ObjectId, required: true },
    meetingSubject: String,
    meetingDate: String,
    memoNumber: String,
    number: Number,
    text: { type: String, required: true },
    implementers: { type: [partySchema], default: [] },
    deadline: String,
    initiatives: { type: [Schema.Types.ObjectId], default: [] },
    status: { type: String, enum: DECISION_STATUSES, default: 'open' },
    updates: { type: [{ at: Date, by: { id: Schema.Types.ObjectId, name: String }, status: String, text: String, _id: false }], default: [] },
    /** Users and offices who implement it: they reach it from outside the meeting office's subtree. */
    assignedUsers: { type: [String], default: [] },
    assignedOffices: { type: [String], default: [] },
  },
  { timestamps: true, optimisticConcurrency: true },
);
recordChangesOnWrite(actionItemSchema, DECISION_LOG);
export type ActionItemDoc = InferSchemaType<typeof actionItemSchema> & { _id: Types.ObjectId; __v: number; createdAt: Date; updatedAt: Date };
export const ActionItem = mongoose.model('ActionItem', actionItemSchema, 'decisions');

/** A saved distribution list, reused when issuing. */
const distributionListSchema = new Schema(
  {
    office: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true, trim: true },
    entries: { type: [distributionSchema], default: [] },
    notBySeniority: { type: Boolean, default: false },
    createdBy: { id: Schema.Types.ObjectId, name: String },
  },
  { timestamps: true },
);
recordChangesOnWrite(distributionListSchema, DISTRIBUTION_LIST_LOG);
export type DistributionListDoc = InferSchemaType<typeof distributionListSchema> & { _id: Types.ObjectId };
export const DistributionList = mongoose.model('DistributionList', distributionListSchema, 'distribution_lists');

/** The issued PDF: rendered once at issue, read back whole by its _id (the meeting id). */
const pdfSchema = new Schema(
  { _id: { type: String, required: true }, meeting: Schema.Types.ObjectId, data: { type: Buffer, required: true }, sha256: String, bytes: Number, createdAt: Date },
  { versionKey: false },
);
export const MeetingPdf = mongoose.model('MeetingPdf', pdfSchema, 'meeting_pdfs');

/** Public verification codes: found by _id (the code); one per meeting, however many issue requests race. */
const verifySchema = new Schema({ _id: { type: String, required: true }, meeting: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false });
verifySchema.index({ meeting: 1 }, { unique: true });
export const VerifyCode = mongoose.model('VerifyCode', verifySchema, 'verify_codes');

/**
 * "Only once" claims about meetings (e.g. "corrigendum:<original id>"), taken by inserting under a unique _id:
 * a check-then-write on the meeting itself is not atomic on the embedded engine.
 */
const claimSchema = new Schema({ _id: { type: String, required: true }, meeting: { type: Schema.Types.ObjectId, required: true }, at: Date }, { versionKey: false });
export const MeetingClaim = mongoose.model('MeetingClaim', claimSchema, 'meeting_claims');
