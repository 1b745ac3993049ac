/**
 * Bangladesh divisions and districts: reference data for offices and memo numbers (domain.md, "Geography").
 *
 * Where the codes come from (the sources below were checked against each other; no code disagreed):
 * - ISO 3166-2:BD codes (divisions BD-A..BD-H, districts BD-01..BD-64, and the division of each district):
 *   the ISO 3166/MA list as carried by Debian's iso-codes 4.15 (iso_3166-2.json), cross-checked with the
 *   Wikipedia "ISO 3166-2:BD" tables and the BD-01..BD-64 state list used by WooCommerce shops. District
 *   numbers follow the *old* English spellings only roughly alphabetically (05 Bagerhat after 04 Brahmanbaria,
 *   35 Munshiganj before 36 Madaripur): never derive them, always look them up here.
 * - BBS geocodes (the statistics bureau's 2-digit division and zila codes; the geo segment of memo numbers):
 *   the Bangladesh Bureau of Statistics district codes as labelled in the MICS 2019 and MICS 2012-13
 *   microdata catalogues (variable HH7A), GeoNames' admin-2 codes (division + zila, e.g. 4047 Khulna), and a
 *   public BBS geocode table of divisions and zilas (bd_geo_code). Division codes: 10 Barishal, 20 Chattogram,
 *   30 Dhaka, 40 Khulna, 45 Mymensingh, 50 Rajshahi, 55 Rangpur, 60 Sylhet.
 * - Names: the English spellings of the 2018 renaming used on the government portals (Chattogram, Cumilla,
 *   Barishal, Jashore, Bogura) and the standard Bangla names. All names are stored NFC-normalised.
 *
 * Upazilas are not here: they are data an administrator imports and edits.
 */
import { toLatinDigits } from '../../../lib/bangla-digits.js';
import { searchKey } from '../../../lib/text.js';

export const DIVISION_ISO_CODES = ['BD-A', 'BD-B', 'BD-C', 'BD-D', 'BD-E', 'BD-F', 'BD-G', 'BD-H'] as const;
export type DivisionIso = (typeof DIVISION_ISO_CODES)[number];

export const DIVISION_BBS_CODES = ['10', '20', '30', '40', '45', '50', '55', '60'] as const;
export type DivisionBbsCode = (typeof DIVISION_BBS_CODES)[number];

/** ISO 3166-2:BD district code, 'BD-01'..'BD-64'. */
export type DistrictIso = `BD-${string}`;

export interface Division {
  readonly iso: DivisionIso;
  /** BBS division geocode (2 digits). */
  readonly bbsCode: DivisionBbsCode;
  readonly nameBn: string;
  readonly nameEn: string;
}

export interface District {
  readonly iso: DistrictIso;
  /** BBS zila geocode (2 digits, leading zero kept). */
  readonly bbsCode: string;
  readonly division: DivisionIso;
  readonly nameBn: string;
  readonly nameEn: string;
}

function freezeAll<T extends object>(items: T[]): readonly T[] {
  return Object.freeze(items.map((x) => Object.freeze(x)));
}

/** The 8 divisions, in ISO letter order. */
export const DIVISIONS: readonly Division[] = freezeAll<Division>([
  { iso: 'BD-A', bbsCode: '10', nameBn: 'বরিশাল', nameEn: 'Barishal' },
  { iso: 'BD-B', bbsCode: '20', nameBn: 'চট্টগ্রাম', nameEn: 'Chattogram' },
  { iso: 'BD-C', bbsCode: '30', nameBn: 'ঢাকা', nameEn: 'Dhaka' },
  { iso: 'BD-D', bbsCode: '40', nameBn: 'খুলনা', nameEn: 'Khulna' },
  { iso: 'BD-E', bbsCode: '50', nameBn: 'রাজশাহী', nameEn: 'Rajshahi' },
  { iso: 'BD-F', bbsCode: '55', nameBn: 'রংপুর', nameEn: 'Rangpur' },
  { iso: 'BD-G', bbsCode: '60', nameBn: 'সিলেট', nameEn: 'Sylhet' },
  { iso: 'BD-H', bbsCode: '45', nameBn: 'ময়মনসিংহ', nameEn: 'Mymensingh' },
]);

/** The 64 districts, in ISO code order. */
export const DISTRICTS: readonly District[] = freezeAll<District>([
  { iso: 'BD-01', bbsCode: '03', division: 'BD-B', nameBn: 'বান্দরবান', nameEn: 'Bandarban' },
  { iso: 'BD-02', bbsCode: '04', division: 'BD-A', nameBn: 'বরগুনা', nameEn: 'Barguna' },
  { iso: 'BD-03', bbsCode: '10', division: 'BD-E', nameBn: 'বগুড়া', nameEn: 'Bogura' },
  { iso: 'BD-04', bbsCode: '12', division: 'BD-B', nameBn: 'ব্রাহ্মণবাড়িয়া', nameEn: 'Brahmanbaria' },
  { iso: 'BD-05', bbsCode: '01', division: 'BD-D', nameBn: 'বাগেরহাট', nameEn: 'Bagerhat' },
  { iso: 'BD-06', bbsCode: '06', division: 'BD-A', nameBn: 'বরিশাল', nameEn: 'Barishal' },
  { iso: 'BD-07', bbsCode: '09', division: 'BD-A', nameBn: 'ভোলা', nameEn: 'Bhola' },
  { iso: 'BD-08', bbsCode: '19', division: 'BD-B', nameBn: 'কুমিল্লা', nameEn: 'Cumilla' },
  { iso: 'BD-09', bbsCode: '13', division: 'BD-B', nameBn: 'চাঁদপুর', nameEn: 'Chandpur' },
  { iso: 'BD-10', bbsCode: '15', division: 'BD-B', nameBn: 'চট্টগ্রাম', nameEn: 'Chattogram' },
  { iso: 'BD-11', bbsCode: '22', division: 'BD-B', nameBn: 'কক্সবাজার', nameEn: 'Cox\'s Bazar' },
  { iso: 'BD-12', bbsCode: '18', division: 'BD-D', nameBn: 'চুয়াডাঙ্গা', nameEn: 'Chuadanga' },
  { iso: 'BD-13', bbsCode: '26', division: 'BD-C', nameBn: 'ঢাকা', nameEn: 'Dhaka' },
  { iso: 'BD-14', bbsCode: '27', division: 'BD-F', nameBn: 'দিনাজপুর', nameEn: 'Dinajpur' },
  { iso: 'BD-15', bbsCode: '29', division: 'BD-C', nameBn: 'ফরিদপুর', nameEn: 'Faridpur' },
  { iso: 'BD-16', bbsCode: '30', division: 'BD-B', nameBn: 'ফেনী', nameEn: 'Feni' },
  { iso: 'BD-17', bbsCode: '35', division: 'BD-C', nameBn: 'গোপালগঞ্জ', nameEn: 'Gopalganj' },
  { iso: 'BD-18', bbsCode: '33', division: 'BD-C', nameBn: 'গাজীপুর', nameEn: 'Gazipur' },
  { iso: 'BD-19', bbsCode: '32', division: 'BD-F', nameBn: 'গাইবান্ধা', nameEn: 'Gaibandha' },
  { iso: 'BD-20', bbsCode: '36', division: 'BD-G', nameBn: 'হবিগঞ্জ', nameEn: 'Habiganj' },
  { iso: 'BD-21', bbsCode: '39', division: 'BD-H', nameBn: 'জামালপুর', nameEn: 'Jamalpur' },
  { iso: 'BD-22', bbsCode: '41', division: 'BD-D', nameBn: 'যশোর', nameEn: 'Jashore' },
  { iso: 'BD-23', bbsCode: '44', division: 'BD-D', nameBn: 'ঝিনাইদহ', nameEn: 'Jhenaidah' },
  { iso: 'BD-24', bbsCode: '38', division: 'BD-E', nameBn: 'জয়পুরহাট', nameEn: 'Joypurhat' },
  { iso: 'BD-25', bbsCode: '42', division: 'BD-A', nameBn: 'ঝালকাঠি', nameEn: 'Jhalokati' },
  { iso: 'BD-26', bbsCode: '48', division: 'BD-C', nameBn: 'কিশোরগঞ্জ', nameEn: 'Kishoreganj' },
  { iso: 'BD-27', bbsCode: '47', division: 'BD-D', nameBn: 'খুলনা', nameEn: 'Khulna' },
  { iso: 'BD-28', bbsCode: '49', division: 'BD-F', nameBn: 'কুড়িগ্রাম', nameEn: 'Kurigram' },
  { iso: 'BD-29', bbsCode: '46', division: 'BD-B', nameBn: 'খাগড়াছড়ি', nameEn: 'Khagrachhari' },
  { iso: 'BD-30', bbsCode: '50', division: 'BD-D', nameBn: 'কুষ্টিয়া', nameEn: 'Kushtia' },
  { iso: 'BD-31', bbsCode: '51', division: 'BD-B', nameBn: 'লক্ষ্মীপুর', nameEn: 'Lakshmipur' },
  { iso: 'BD-32', bbsCode: '52', division: 'BD-F', nameBn: 'লালমনিরহাট', nameEn: 'Lalmonirhat' },
  { iso: 'BD-33', bbsCode: '56', division: 'BD-C', nameBn: 'মানিকগঞ্জ', nameEn: 'Manikganj' },
  { iso: 'BD-34', bbsCode: '61', division: 'BD-H', nameBn: 'ময়মনসিংহ', nameEn: 'Mymensingh' },
  { iso: 'BD-35', bbsCode: '59', division: 'BD-C', nameBn: 'মুন্সীগঞ্জ', nameEn: 'Munshiganj' },
  { iso: 'BD-36', bbsCode: '54', division: 'BD-C', nameBn: 'মাদারীপুর', nameEn: 'Madaripur' },
  { iso: 'BD-37', bbsCode: '55', division: 'BD-D', nameBn: 'মাগুরা', nameEn: 'Magura' },
  { iso: 'BD-38', bbsCode: '58', division: 'BD-G', nameBn: 'মৌলভীবাজার', nameEn: 'Moulvibazar' },
  { iso: 'BD-39', bbsCode: '57', division: 'BD-D', nameBn: 'মেহেরপুর', nameEn: 'Meherpur' },
  { iso: 'BD-40', bbsCode: '67', division: 'BD-C', nameBn: 'নারায়ণগঞ্জ', nameEn: 'Narayanganj' },
  { iso: 'BD-41', bbsCode: '72', division: 'BD-H', nameBn: 'নেত্রকোণা', nameEn: 'Netrokona' },
  { iso: 'BD-42', bbsCode: '68', division: 'BD-C', nameBn: 'নরসিংদী', nameEn: 'Narsingdi' },
  { iso: 'BD-43', bbsCode: '65', division: 'BD-D', nameBn: 'নড়াইল', nameEn: 'Narail' },
  { iso: 'BD-44', bbsCode: '69', division: 'BD-E', nameBn: 'নাটোর', nameEn: 'Natore' },
  { iso: 'BD-45', bbsCode: '70', division: 'BD-E', nameBn: 'চাঁপাইনবাবগঞ্জ', nameEn: 'Chapai Nawabganj' },
  { iso: 'BD-46', bbsCode: '73', division: 'BD-F', nameBn: 'নীলফামারী', nameEn: 'Nilphamari' },
  { iso: 'BD-47', bbsCode: '75', division: 'BD-B', nameBn: 'নোয়াখালী', nameEn: 'Noakhali' },
  { iso: 'BD-48', bbsCode: '64', division: 'BD-E', nameBn: 'নওগাঁ', nameEn: 'Naogaon' },
  { iso: 'BD-49', bbsCode: '76', division: 'BD-E', nameBn: 'পাবনা', nameEn: 'Pabna' },
  { iso: 'BD-50', bbsCode: '79', division: 'BD-A', nameBn: 'পিরোজপুর', nameEn: 'Pirojpur' },
  { iso: 'BD-51', bbsCode: '78', division: 'BD-A', nameBn: 'পটুয়াখালী', nameEn: 'Patuakhali' },
  { iso: 'BD-52', bbsCode: '77', division: 'BD-F', nameBn: 'পঞ্চগড়', nameEn: 'Panchagarh' },
  { iso: 'BD-53', bbsCode: '82', division: 'BD-C', nameBn: 'রাজবাড়ী', nameEn: 'Rajbari' },
  { iso: 'BD-54', bbsCode: '81', division: 'BD-E', nameBn: 'রাজশাহী', nameEn: 'Rajshahi' },
  { iso: 'BD-55', bbsCode: '85', division: 'BD-F', nameBn: 'রংপুর', nameEn: 'Rangpur' },
  { iso: 'BD-56', bbsCode: '84', division: 'BD-B', nameBn: 'রাঙ্গামাটি', nameEn: 'Rangamati' },
  { iso: 'BD-57', bbsCode: '89', division: 'BD-H', nameBn: 'শেরপুর', nameEn: 'Sherpur' },
  { iso: 'BD-58', bbsCode: '87', division: 'BD-D', nameBn: 'সাতক্ষীরা', nameEn: 'Satkhira' },
  { iso: 'BD-59', bbsCode: '88', division: 'BD-E', nameBn: 'সিরাজগঞ্জ', nameEn: 'Sirajganj' },
  { iso: 'BD-60', bbsCode: '91', division: 'BD-G', nameBn: 'সিলেট', nameEn: 'Sylhet' },
  { iso: 'BD-61', bbsCode: '90', division: 'BD-G', nameBn: 'সুনামগঞ্জ', nameEn: 'Sunamganj' },
  { iso: 'BD-62', bbsCode: '86', division: 'BD-C', nameBn: 'শরীয়তপুর', nameEn: 'Shariatpur' },
  { iso: 'BD-63', bbsCode: '93', division: 'BD-C', nameBn: 'টাঙ্গাইল', nameEn: 'Tangail' },
  { iso: 'BD-64', bbsCode: '94', division: 'BD-F', nameBn: 'ঠাকুরগাঁও', nameEn: 'Thakurgaon' },
]);

/** Former or common alternative spellings that findDistrict also accepts (not display names). */
const DISTRICT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'BD-06': ['Barisal'],
  'BD-10': ['Chittagong'],
  'BD-08': ['Comilla'],
  'BD-22': ['Jessore'],
  'BD-03': ['Bogra'],
  'BD-45': ['Chapainawabganj', 'Nawabganj', 'চাঁপাই নবাবগঞ্জ'],
  'BD-25': ['Jhalakathi', 'Jhalokathi'],
  'BD-41': ['Netrakona', 'নেত্রকোনা'],
  'BD-38': ['Maulvibazar'],
  'BD-26': ['Kishorganj'],
  'BD-35': ['মুন্সিগঞ্জ'],
  'BD-56': ['রাঙামাটি'],
};

/** Name key: NFC, lower-cased, without spaces, apostrophes, hyphens or dots ("Cox's Bazar" = "coxs bazar"). */
function nameKey(s: string): string {
  return searchKey(s).replace(/[\s'’.-]/g, '');
}

const byIso = new Map<string, District>();
const byBbs = new Map<string, District>();
const byName = new Map<string, District>();
for (const d of DISTRICTS) {
  byIso.set(d.iso, d);
  byBbs.set(d.bbsCode, d);
  for (const name of [d.nameEn, d.nameBn, ...(DISTRICT_ALIASES[d.iso] ?? [])]) byName.set(nameKey(name), d);
}

/**
 * Finds a district by ISO code ('BD-27', case-insensitive), BBS geocode ('47', also in Bangla digits '৪৭'),
 * or English/Bangla name (NFC-normalised, case-insensitive, ignoring spaces and apostrophes; a few former
 * spellings such as "Chittagong" are accepted). A bare number is always a BBS code, never an ISO number.
 */
export function findDistrict(codeOrName: string): District | undefined {
  const s = toLatinDigits(searchKey(codeOrName));
  if (s === '') return undefined;
  if (/^bd-\d{2}$/.test(s)) return byIso.get(s.toUpperCase());
  if (/^\d{2}$/.test(s)) return byBbs.get(s);
  return byName.get(nameKey(s));
}

/** The districts of a division, in ISO code order. */
export function districtsOfDivision(iso: DivisionIso): readonly District[] {
  return DISTRICTS.filter((d) => d.division === iso);
}
