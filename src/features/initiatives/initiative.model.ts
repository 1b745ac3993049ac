import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

export const KINDS = ['idea', 'simplification', 'digitized'] as const;
export type Kind = (typeof KINDS)[number];
export const STAGES = ['idea', 'pilot', 'replication', 'institutionalised', 'paused', 'dropped'] as const;
export type Stage = (typeof STAGES)[number];
export const AREA_STATUSES = ['planned', 'orientation_held', 'running', 'live', 'stopped'] as const;
export type AreaStatus = (typeof AREA_STATUSES)[number];

const tcvSchema = new Schema({ days: Number, taka: Number, visits: Number }, { _id: false });

const historySchema = new Schema(
  {
    from: { type: String, enum: [...STAGES, null] },
    to: { type: String, enum: STAGES, required: true },
    at: { type: Date, required: true },
    by: { id: Schema.Types.ObjectId, name: String },
    approvedBy: { id: Schema.Types.ObjectId, name: String },
    note: String,
    /** The head's note when approving a proposal. */
    approvalNote: String,
    reason: String,
    evidence: [String],
    /** The meeting decision that approved it (once meetings exist). */
    decision: { type: Schema.Types.ObjectId, default: null },
    transition: { type: Schema.Types.ObjectId, default: null },
  },
  { _id: false },
);

const areaSchema = new Schema({
  districtIso: String,
  upazilaGeo: String,
  office: { type: Schema.Types.ObjectId, ref: 'Office', default: null },
  nameBn: { type: String, required: true },
  status: { type: String, enum: AREA_STATUSES, default: 'planned' },
  fieldOfficer: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  plannedAt: String,
  orientationAt: String,
  startedAt: String,
  liveAt: String,
  stoppedAt: String,
  note: String,
});

/** The pending proposal as kept on the initiative (see pendingTransition). */
const pendingSchema = new Schema(
  {
    id: { type: Schema.Types.ObjectId, required: true },
    from: { type: String, enum: STAGES, required: true },
    to: { type: String, enum: STAGES, required: true },
    note: String,
    reason: String,
    evidence: { type: [String], default: [] },
    proposedBy: { id: Schema.Types.ObjectId, name: String },
    proposedAt: { type: Date, required: true },
  },
  { _id: false },
);

const initiativeSchema = new Schema(
  {
    title: { type: String, required: true, trim: true },
    titleEn: { type: String, trim: true },
    kind: { type: String, enum: KINDS, required: true },
    problem: String,
    solution: String,
    office: { type: Schema.Types.ObjectId, ref: 'Office', required: true },
    lead: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    team: { type: [Schema.Types.ObjectId], default: [] },
    fiscalYear: String,
    partners: { type: [{ organisation: String, role: String, mouDate: String, _id: false }], default: [] },
    budget: { needed: Number, allocated: Number, code: String },
    charterService: { office: Schema.Types.ObjectId, serial: String, name: String },
    tcvBaseline: { type: tcvSchema, default: undefined },
    tcvCurrent: { type: tcvSchema, default: undefined },
    tags: { type: [String], default: [] },
    stage: { type: String, enum: STAGES, default: 'idea' },
    stageEnteredAt: { type: Date, required: true },
    /** The stage a paused initiative resumes to. */
    pausedFrom: { type: String, enum: [...STAGES, null], default: null },
    pilotEvaluation: { summary: String, tcvAfter: { type: tcvSchema, default: undefined }, beneficiaries: Number, recommendation: String },
    institutionalEvidence: { policy: String, budgetLine: String, owningAgency: String },
    history: { type: [historySchema], default: [] },
    areas: { type: [areaSchema], default: [] },
    /**
     * The stage-change proposal waiting for the head, copied here so the detail page and API read it with the
     * initiative (by _id) instead of searching initiative_transitions. Null when none is pending.
     */
    pendingTransition: { type: pendingSchema, default: null },
    /**
     * The highest attachment number stored ($max at each upload), so the detail page reads exactly those
     * records by _id and none at all for an initiative without attachments. Absent on older records: probe.
     */
    attachmentsUpTo: { type: Number, default: 0 },
    /**
     * Which "move out of the current state" the next stage change claims: a move inserts the claim
     * `move:<initiative>:<stageGen>` (unique _id) before anything else, and the write that decides it (approve,
     * reject, withdraw) raises stageGen. So two simultaneous moves or proposals cannot both go ahead.
     */
    stageGen: { type: Number, default: 0 },
    /** Last decision about the initiative (a stage move or a rejected proposal): a pilot without one for long is stuck. */
    lastDecisionAt: { type: Date },
    searchText: { type: String, default: '' },
    createdBy: { type: Schema.Types.ObjectId },
  },
  { timestamps: true, optimisticConcurrency: true },
);

export type InitiativeDoc = InferSchemaType<typeof initiativeSchema> & { _id: Types.ObjectId; __v: number; createdAt: Date; updatedAt: Date };
export const Initiative = mongoose.model('Initiative', initiativeSchema, 'initiatives');

/** A proposed stage move: pending until the office head approves or rejects it (a head's own move applies at once). */
const transitionSchema = new Schema(
  {
    initiative: { type: Schema.Types.ObjectId, required: true },
    office: { type: Schema.Types.ObjectId, required: true },
    from: { type: String, enum: STAGES, required: true },
    to: { type: String, enum: STAGES, required: true },
    note: String,
    reason: String,
    evidence: [String],
    decision: { type: Schema.Types.ObjectId, default: null },
    gate: { type: Schema.Types.Mixed },
    status: { type: String, enum: ['pending', 'approved', 'rejected', 'withdrawn'], default: 'pending' },
    proposedBy: { id: Schema.Types.ObjectId, name: String },
    proposedAt: { type: Date, required: true },
    decidedBy: { id: Schema.Types.ObjectId, name: String },
    decidedAt: Date,
    decisionNote: String,
    /** The initiative's stageGen this move claimed (absent on proposals made before claims existed). */
    gen: { type: Number },
  },
  { versionKey: false },
);
export const Transition = mongoose.model('Transition', transitionSchema, 'initiative_transitions');

/**
 * Claims that make stage changes exclusive on an engine without atomic read-modify-write, taken by inserting
 * under a unique _id (the one thing enforced under concurrency):
 * - `move:<initiative>:<stageGen>`: the one move (or proposal) out of the initiative's current state; the
 *   transition it names is the holder. Released by raising the initiative's stageGen, never by deleting.
 * - `decide:<transition>`: the one decision (approve or reject) of a proposal; kept as its ledger entry.
 * `at` is wall-clock time, for telling a claim left by a dead process from one still in progress.
 */
const stageClaimSchema = new Schema(
  { _id: { type: String, required: true }, initiative: { type: Schema.Types.ObjectId, required: true }, transition: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);
export const StageClaim = mongoose.model('InitiativeStageClaim', stageClaimSchema, 'initiative_stage_claims');

/** One row per change to an initiative; read models in every app instance catch up from it. Pruned. */
const changeSchema = new Schema({ initiative: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const InitiativeChange = mongoose.model('InitiativeChange', changeSchema, 'initiative_changes');
