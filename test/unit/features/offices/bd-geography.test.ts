import { expect } from 'chai';
import {
  DISTRICTS,
  DIVISIONS,
  type DivisionIso,
  districtsOfDivision,
  findDistrict,
} from '../../../../src/features/offices/reference/bd-geography.js';

describe('bd-geography reference data', () => {
  it('has the 8 divisions BD-A..BD-H with their BBS codes', () => {
    expect(DIVISIONS).to.have.length(8);
    expect(DIVISIONS.map((d) => d.iso)).to.deep.equal(['BD-A', 'BD-B', 'BD-C', 'BD-D', 'BD-E', 'BD-F', 'BD-G', 'BD-H']);
    const bbs = Object.fromEntries(DIVISIONS.map((d) => [d.nameEn, d.bbsCode]));
    expect(bbs).to.deep.equal({
      Barishal: '10',
      Chattogram: '20',
      Dhaka: '30',
      Khulna: '40',
      Mymensingh: '45',
      Rajshahi: '50',
      Rangpur: '55',
      Sylhet: '60',
    });
    const letters = Object.fromEntries(DIVISIONS.map((d) => [d.iso, d.nameEn]));
    expect(letters).to.deep.equal({
      'BD-A': 'Barishal',
      'BD-B': 'Chattogram',
      'BD-C': 'Dhaka',
      'BD-D': 'Khulna',
      'BD-E': 'Rajshahi',
      'BD-F': 'Rangpur',
      'BD-G': 'Sylhet',
      'BD-H': 'Mymensingh',
    });
  });

  it('has 64 districts with unique ISO codes BD-01..BD-64 and unique 2-digit BBS codes', () => {
    expect(DISTRICTS).to.have.length(64);
    const isos = DISTRICTS.map((d) => d.iso).sort();
    const expected = Array.from({ length: 64 }, (_, i) => `BD-${String(i + 1).padStart(2, '0')}`);
    expect(isos).to.deep.equal(expected);
    const bbs = DISTRICTS.map((d) => d.bbsCode);
    expect(new Set(bbs).size).to.equal(64);
    for (const code of bbs) expect(code).to.match(/^\d{2}$/);
  });

  it('puts every district in an existing division, with the right count per division', () => {
    const divisionIsos = new Set<string>(DIVISIONS.map((d) => d.iso));
    for (const d of DISTRICTS) expect(divisionIsos.has(d.division), d.nameEn).to.equal(true);
    const counts: Record<string, number> = {
      Barishal: 6,
      Chattogram: 11,
      Dhaka: 13,
      Khulna: 10,
      Mymensingh: 4,
      Rajshahi: 8,
      Rangpur: 8,
      Sylhet: 4,
    };
    for (const div of DIVISIONS) {
      expect(districtsOfDivision(div.iso), div.nameEn).to.have.length(counts[div.nameEn] ?? -1);
    }
    expect(districtsOfDivision('BD-H').map((d) => d.nameEn)).to.have.members([
      'Jamalpur',
      'Mymensingh',
      'Netrokona',
      'Sherpur',
    ]);
  });

  it('spot checks: Khulna is BD-27 / BBS 47, Dhaka is BD-13 / BBS 26, Noakhali is BD-47', () => {
    const khulna = findDistrict('BD-27');
    expect(khulna).to.include({ nameEn: 'Khulna', nameBn: 'খুলনা', bbsCode: '47', division: 'BD-D' });
    expect(findDistrict('47')).to.equal(khulna);
    expect(findDistrict('26')).to.include({ iso: 'BD-13', nameEn: 'Dhaka', division: 'BD-C' });
    expect(findDistrict('BD-47')).to.include({ nameEn: 'Noakhali', bbsCode: '75', division: 'BD-B' });
    expect(findDistrict('BD-10')).to.include({ nameEn: 'Chattogram', bbsCode: '15' });
    expect(findDistrict('BD-08')).to.include({ nameEn: 'Cumilla', bbsCode: '19' });
    expect(findDistrict('BD-35')).to.include({ nameEn: 'Munshiganj', bbsCode: '59' });
    expect(findDistrict('BD-36')).to.include({ nameEn: 'Madaripur', bbsCode: '54' });
    expect(findDistrict('BD-64')).to.include({ nameEn: 'Thakurgaon', bbsCode: '94', division: 'BD-F' });
  });

  it('finds a district by ISO code, BBS code (Latin or Bangla digits) or name, case-insensitively', () => {
    const khulna = findDistrict('BD-27');
    expect(findDistrict('bd-27')).to.equal(khulna);
    expect(findDistrict(' Khulna ')).to.equal(khulna);
    expect(findDistrict('KHULNA')).to.equal(khulna);
    expect(findDistrict('খুলনা')).to.equal(khulna);
    expect(findDistrict('৪৭')).to.equal(khulna);
    expect(findDistrict("cox's bazar")?.iso).to.equal('BD-11');
    expect(findDistrict('Coxs Bazar')?.iso).to.equal('BD-11');
    expect(findDistrict('Chittagong')?.iso).to.equal('BD-10');
    expect(findDistrict('Jessore')?.nameEn).to.equal('Jashore');
    expect(findDistrict('Chapai Nawabganj')?.bbsCode).to.equal('70');
    expect(findDistrict('Nowhere')).to.equal(undefined);
    expect(findDistrict('')).to.equal(undefined);
    expect(findDistrict('99')).to.equal(undefined);
    expect(findDistrict('BD-65')).to.equal(undefined);
  });

  it('finds ময়মনসিংহ whether য় is typed as U+09DF or as U+09AF U+09BC', () => {
    const precomposed = 'ম\u09DFমনসিংহ';
    const decomposed = 'ম\u09AF\u09BCমনসিংহ';
    expect(precomposed).to.not.equal(decomposed);
    const a = findDistrict(precomposed);
    const b = findDistrict(decomposed);
    expect(a?.iso).to.equal('BD-34');
    expect(b).to.equal(a);
    // Likewise ড় (U+09DC vs U+09A1 U+09BC) in বগুড়া.
    expect(findDistrict('বগু\u09DCা')?.iso).to.equal('BD-03');
    expect(findDistrict('বগু\u09A1\u09BCা')?.iso).to.equal('BD-03');
  });

  it('stores every name NFC-normalised and every name and alias resolves to its own district', () => {
    for (const d of [...DIVISIONS, ...DISTRICTS]) {
      expect(d.nameBn, d.nameEn).to.equal(d.nameBn.normalize('NFC'));
      expect(d.nameEn).to.equal(d.nameEn.normalize('NFC'));
      expect(d.nameBn).to.match(/^[\u0980-\u09FF ]+$/);
    }
    for (const d of DISTRICTS) {
      expect(findDistrict(d.nameEn), d.nameEn).to.equal(d);
      expect(findDistrict(d.nameBn), d.nameBn).to.equal(d);
      expect(findDistrict(d.iso), d.iso).to.equal(d);
      expect(findDistrict(d.bbsCode), d.bbsCode).to.equal(d);
    }
  });

  it('is read-only at run time', () => {
    expect(Object.isFrozen(DISTRICTS)).to.equal(true);
    expect(Object.isFrozen(DIVISIONS)).to.equal(true);
    const first = DISTRICTS[0];
    expect(first && Object.isFrozen(first)).to.equal(true);
    const division: DivisionIso = 'BD-C';
    expect(districtsOfDivision(division).every((d) => d.division === 'BD-C')).to.equal(true);
  });
});
