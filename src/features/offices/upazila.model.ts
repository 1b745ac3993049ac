import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Upazilas: reference data an administrator imports from CSV (domain.md, "Geography"). The 4-digit BBS geo
 * code (district 2 + upazila 2) is also the _id, so a re-import updates the same document instead of adding
 * one, lookups by code use the only index the embedded engine uses, and two simultaneous imports of the same
 * code cannot both insert it.
 */
const upazilaSchema = new Schema(
  {
    _id: { type: String, required: true },
    geoCode: { type: String, required: true, unique: true, match: /^\d{4}$/ },
    /** ISO 3166-2:BD district code, e.g. 'BD-27'. */
    districtIso: { type: String, required: true, index: true },
    nameBn: { type: String, required: true, trim: true },
    nameEn: { type: String, trim: true },
    /** NFC lower-case names and code, for search without $text. */
    searchKey: { type: String, default: '' },
  },
  { timestamps: true },
);

export type UpazilaDoc = InferSchemaType<typeof upazilaSchema> & { _id: string };
export const Upazila = mongoose.model('Upazila', upazilaSchema);
