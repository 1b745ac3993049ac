import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

import { OFFICE_LEVELS } from '../../kernel/office-tree.js';

export { OFFICE_LEVELS, type OfficeLevel } from '../../kernel/office-tree.js';

/** The segment values an office uses in its memo numbers (domain.md, "Memo numbers"); strings keep leading zeros. */
const memoSegmentsSchema = new Schema(
  {
    ministry: String,
    office: String,
    geo: String,
    subordinateOffice: String,
    branch: String,
    subject: String,
  },
  { _id: false },
);

const officeSchema = new Schema(
  {
    /** A stable short key (e.g. "dwa-hq"), unique; used by seeds and imports. */
    code: { type: String, required: true, unique: true, trim: true },
    nameBn: { type: String, required: true, trim: true },
    nameEn: { type: String, trim: true },
    shortName: { type: String, trim: true },
    level: { type: String, enum: OFFICE_LEVELS, required: true },
    parent: { type: Schema.Types.ObjectId, ref: 'Office', default: null },
    /** Root-first path of ancestor ids: the subtree of X is { $or: [{ _id: X }, { ancestors: X }] }. */
    ancestors: { type: [Schema.Types.ObjectId], default: [], index: true },
    /** BBS geocode (district 2 digits + upazila 2 digits); zeros mean head office. */
    geoCode: { type: String, trim: true },
    districtIso: { type: String, trim: true },
    addressBn: { type: String, trim: true },
    addressEn: { type: String, trim: true },
    phone: { type: String, trim: true },
    email: { type: String, trim: true, lowercase: true },
    memoSegments: { type: memoSegmentsSchema, default: undefined },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, optimisticConcurrency: true },
);

export type OfficeDoc = InferSchemaType<typeof officeSchema> & { _id: Types.ObjectId };
export const Office = mongoose.model('Office', officeSchema);
