// Geography: divisions and districts (kept in the project) and upazilas (imported data), for pickers, the
// upazila pages and the reference API.
import { searchKey, toLatinDigits } from '../../lib/index.js';
import { ValidationError } from '../../kernel/errors.js';
import { DISTRICTS, DIVISIONS, findDistrict, type District } from './reference/bd-geography.js';
import { Upazila } from './upazila.model.js';

const collator = new Intl.Collator('bn');

export interface DistrictOption {
  readonly iso: string;
  readonly bbsCode: string;
  readonly nameBn: string;
  readonly nameEn: string;
}

/** The 8 divisions with their districts, each sorted by Bangla name, for pickers and the reference API. */
export function divisionsWithDistricts(): { iso: string; bbsCode: string; nameBn: string; nameEn: string; districts: DistrictOption[] }[] {
  return [...DIVISIONS]
    .sort((a, b) => collator.compare(a.nameBn, b.nameBn))
    .map((d) => ({
      iso: d.iso,
      bbsCode: d.bbsCode,
      nameBn: d.nameBn,
      nameEn: d.nameEn,
      districts: DISTRICTS.filter((x) => x.division === d.iso)
        .map((x) => ({ iso: x.iso, bbsCode: x.bbsCode, nameBn: x.nameBn, nameEn: x.nameEn }))
        .sort((a, b) => collator.compare(a.nameBn, b.nameBn)),
    }));
}

export interface UpazilaRecord {
  readonly geoCode: string;
  readonly districtIso: string;
  readonly districtBn: string;
  readonly districtEn: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
}

function districtOf(iso: string): District | undefined {
  return DISTRICTS.find((d) => d.iso === iso);
}

/** Resolves a district given as ISO code, BBS code or name; a field error on `district` when unknown. */
export function resolveDistrictFilter(value: string | undefined): District | undefined {
  if (!value) return undefined;
  const district = findDistrict(value);
  if (!district) throw new ValidationError({ district: { bn: `জেলা '${value}' চেনা যায়নি।`, en: `District '${value}' is not known.` } });
  return district;
}

/** Upazilas, optionally of one district and matching a text, ordered by geo code. */
export async function listUpazilas(filters: { district?: District | undefined; q?: string | undefined } = {}): Promise<UpazilaRecord[]> {
  const docs = await Upazila.find(filters.district ? { districtIso: filters.district.iso } : {}).lean();
  const key = filters.q ? searchKey(filters.q) : undefined;
  return docs
    .filter((u) => !key || (u.searchKey ?? '').includes(key) || (u.searchKey ?? '').includes(toLatinDigits(key)))
    .sort((a, b) => a.geoCode.localeCompare(b.geoCode))
    .map((u) => ({
      geoCode: u.geoCode,
      districtIso: u.districtIso,
      districtBn: districtOf(u.districtIso)?.nameBn ?? u.districtIso,
      districtEn: districtOf(u.districtIso)?.nameEn ?? u.districtIso,
      nameBn: u.nameBn,
      nameEn: u.nameEn ?? null,
    }));
}
