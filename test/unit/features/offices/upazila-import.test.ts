import { expect } from 'chai';
import { parseUpazilaCsv } from '../../../../src/features/offices/upazila-import.js';

// Khulna district: ISO BD-27, BBS 47. Paikgachha upazila 64 (4764), Dumuria 30 (4730).
const PAIKGACHHA = 'পাইকগাছা';
const DUMURIA = 'ডুমুরিয়া'; // NFC: য + nukta

describe('parseUpazilaCsv', () => {
  describe('file formats', () => {
    it('when the header is English and comma-separated, then each data row becomes an upazila from row 2', () => {
      const { rows, errors } = parseUpazilaCsv(
        ['district,name_bn,name_en,geocode', 'Khulna,পাইকগাছা,Paikgachha,64', 'Khulna,ডুমুরিয়া,Dumuria,30'].join('\n'),
      );
      expect(errors).to.deep.equal([]);
      expect(rows).to.have.length(2);
      const [first, second] = rows;
      expect(first?.row).to.equal(2);
      expect(first?.district.iso).to.equal('BD-27');
      expect(first?.nameBn).to.equal(PAIKGACHHA);
      expect(first?.nameEn).to.equal('Paikgachha');
      expect(first?.geoCode).to.equal('4764');
      expect(first?.duplicateOfExisting).to.equal(false);
      expect(second?.row).to.equal(3);
      expect(second?.geoCode).to.equal('4730');
    });

    it('when the header is Bangla and tab-separated, then the columns are recognised and the tab is the delimiter', () => {
      const { rows, errors } = parseUpazilaCsv('জেলা\tউপজেলা\tজিও কোড\nখুলনা\tপাইকগাছা\t৬৪\n');
      expect(errors).to.deep.equal([]);
      expect(rows).to.have.length(1);
      expect(rows[0]?.district.nameEn).to.equal('Khulna');
      expect(rows[0]?.nameBn).to.equal(PAIKGACHHA);
      expect(rows[0]?.nameEn).to.equal(undefined);
      expect(rows[0]?.geoCode).to.equal('4764');
    });

    it('when the file is semicolon-separated, then the semicolon is the delimiter and commas stay inside fields', () => {
      const { rows, errors } = parseUpazilaCsv('zila;nameBn;nameEn;code\n47;পাইকগাছা;Paikgachha, Khulna;4764\n');
      expect(errors).to.deep.equal([]);
      expect(rows[0]?.nameEn).to.equal('Paikgachha, Khulna');
      expect(rows[0]?.geoCode).to.equal('4764');
    });

    it('when the file starts with a UTF-8 BOM and uses CRLF line ends, then both are handled', () => {
      const { rows, errors } = parseUpazilaCsv('\uFEFFdistrict,name_bn,geo_code\r\nKhulna,পাইকগাছা,64\r\nKhulna,ডুমুরিয়া,30\r\n');
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => [r.row, r.nameBn, r.geoCode])).to.deep.equal([
        [2, PAIKGACHHA, '4764'],
        [3, DUMURIA, '4730'],
      ]);
    });

    it('when a quoted field holds commas and a line break, then it is one field with whitespace collapsed and the record is one row', () => {
      const csv = ['district,name_bn,name_en,geocode', 'Khulna,"পাইকগাছা","Paikgachha,', 'Khulna",64', 'Khulna,ডুমুরিয়া,Dumuria,30'].join(
        '\n',
      );
      const { rows, errors } = parseUpazilaCsv(csv);
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => [r.row, r.nameEn, r.geoCode])).to.deep.equal([
        [2, 'Paikgachha, Khulna', '4764'],
        [3, 'Dumuria', '4730'],
      ]);
    });

    it('when blank lines and lines of empty cells appear, then they are ignored but still counted in row numbers', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\n\nKhulna,পাইকগাছা,64\n,,\n   \nKhulna,ডুমুরিয়া,30\n\n');
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => r.row)).to.deep.equal([3, 6]);
    });

    it('when fields have surrounding or repeated whitespace, then it is trimmed and collapsed', () => {
      const { rows, errors } = parseUpazilaCsv(
        'district , name_bn , name_en , geocode\n  Khulna  ,  পাইকগাছা  , Paikgachha   Upazila ,  64 \n',
      );
      expect(errors).to.deep.equal([]);
      expect(rows[0]?.nameBn).to.equal(PAIKGACHHA);
      expect(rows[0]?.nameEn).to.equal('Paikgachha Upazila');
      expect(rows[0]?.geoCode).to.equal('4764');
    });

    it('when header names differ in case, spacing and underscores or extra columns are present, then the columns are still found', () => {
      const { rows, errors } = parseUpazilaCsv(
        'Division,DISTRICT,Name BN,Name-En,Geo Code,Remarks\nKhulna,Khulna,পাইকগাছা,Paikgachha,64,new\n',
      );
      expect(errors).to.deep.equal([]);
      expect(rows[0]?.nameEn).to.equal('Paikgachha');
      expect(rows[0]?.geoCode).to.equal('4764');
    });

    it('when য় is typed as U+09DF or as U+09AF U+09BC, then the stored Bangla name is the same NFC string', () => {
      const precomposed = 'ডুমুরি\u09DFা';
      const decomposed = 'ডুমুরি\u09AF\u09BCা';
      expect(precomposed).to.not.equal(decomposed);
      const { rows, errors } = parseUpazilaCsv(`district,name_bn,geocode\nKhulna,${precomposed},30\nKhulna,${decomposed},31\n`);
      expect(errors).to.deep.equal([]);
      expect(rows[0]?.nameBn).to.equal(rows[1]?.nameBn);
      expect(rows[0]?.nameBn).to.equal(DUMURIA);
      expect(rows[0]?.nameBn).to.equal(rows[0]?.nameBn.normalize('NFC'));
    });
  });

  describe('districts', () => {
    it('when the district is an ISO code, a BBS code in either digits, or a name in either language, then it is found', () => {
      const { rows, errors } = parseUpazilaCsv(
        [
          'district,name_bn,geocode',
          'BD-27,পাইকগাছা,64',
          'bd-27,ডুমুরিয়া,30',
          '47,বটিয়াঘাটা,12',
          '৪৭,দাকোপ,17',
          'খুলনা,দিঘলিয়া,40',
          'Khulna District,কয়রা,53',
          'খুলনা জেলা,ফুলতলা,69',
        ].join('\n'),
      );
      expect(errors).to.deep.equal([]);
      expect(rows).to.have.length(7);
      expect(rows.every((r) => r.district.iso === 'BD-27')).to.equal(true);
    });

    it('when a district is not known, then that row is an error in Bangla and English and the other rows are still returned', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nKhulna,পাইকগাছা,64\nAtlantis,কোথাও,12\nKhulna,ডুমুরিয়া,30\n');
      expect(rows.map((r) => r.row)).to.deep.equal([2, 4]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(3);
      expect(errors[0]?.message).to.include("জেলা 'Atlantis' চেনা যায়নি");
      expect(errors[0]?.messageEn).to.include('Atlantis');
    });

    it('when the district cell is empty, then the row is an error', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\n,পাইকগাছা,64\n');
      expect(rows).to.deep.equal([]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(2);
      expect(errors[0]?.messageEn).to.match(/district is missing/i);
    });
  });

  describe('geo codes', () => {
    it('when the 2-digit upazila code or the full 4-digit code is given, then both give the same 4-digit geo code', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nKhulna,পাইকগাছা,64\nKhulna,ডুমুরিয়া,4730\n');
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => r.geoCode)).to.deep.equal(['4764', '4730']);
    });

    it('when the geo code is in Bangla digits, then it is stored in Latin digits', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nখুলনা,পাইকগাছা,৪৭৬৪\nখুলনা,ডুমুরিয়া,৩০\n');
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => r.geoCode)).to.deep.equal(['4764', '4730']);
    });

    it("when a 4-digit code does not start with the district's BBS code, then the row is an error naming both", () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nJashore,পাইকগাছা,4764\nKhulna,ডুমুরিয়া,30\n');
      expect(rows.map((r) => r.geoCode)).to.deep.equal(['4730']);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(2);
      expect(errors[0]?.messageEn).to.include('4764').and.include('Jashore').and.include('41').and.include('Khulna');
      expect(errors[0]?.message).to.include('যশোর');
    });

    it('when a spreadsheet dropped leading zeros or the 6-digit division code is given, then the 4-digit code is rebuilt and checked', () => {
      const { rows, errors } = parseUpazilaCsv(
        'district,name_bn,geocode\nBagerhat,বাগেরহাট সদর,108\nBagerhat,চিতলমারী,0114\nKhulna,পাইকগাছা,404764\nKhulna,ডুমুরিয়া,304730\n',
      );
      expect(rows.map((r) => r.geoCode)).to.deep.equal(['0108', '0114', '4764']);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(5);
      expect(errors[0]?.messageEn).to.include('division');
    });

    it('when the geo code is not a code (letters, wrong length, upazila 00) or missing, then each such row is an error', () => {
      const { rows, errors } = parseUpazilaCsv(
        'district,name_bn,geocode\nKhulna,ক,6a\nKhulna,খ,47640\nKhulna,গ,4700\nKhulna,ঘ,\nKhulna,ঙ,64\n',
      );
      expect(rows.map((r) => r.row)).to.deep.equal([6]);
      expect(errors.map((e) => e.row)).to.deep.equal([2, 3, 4, 5]);
      expect(errors[0]?.messageEn).to.include("'6a'");
      expect(errors[3]?.messageEn).to.match(/geo code is missing/i);
    });

    it('when a geo code appears twice in the file, then the second occurrence is an error pointing at the first', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nKhulna,পাইকগাছা,64\nKhulna,ডুমুরিয়া,30\nKhulna,পাইকগাছা,4764\n');
      expect(rows.map((r) => r.row)).to.deep.equal([2, 3]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(4);
      expect(errors[0]?.messageEn).to.include('4764').and.include('row 2');
      expect(errors[0]?.message).to.include('৪৭৬৪').and.include('২');
    });

    it('when existingGeoCodes holds a geo code, then that row is flagged duplicateOfExisting and is not an error', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nKhulna,পাইকগাছা,64\nKhulna,ডুমুরিয়া,30\n', {
        existingGeoCodes: new Set(['4764']),
      });
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => [r.geoCode, r.duplicateOfExisting])).to.deep.equal([
        ['4764', true],
        ['4730', false],
      ]);
    });
  });

  describe('names', () => {
    it('when the Bangla name is missing or not in Bangla script, then the row is an error', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nKhulna,,64\nKhulna,Dumuria,30\nKhulna,কয়রা,53\n');
      expect(rows.map((r) => r.row)).to.deep.equal([4]);
      expect(errors.map((e) => e.row)).to.deep.equal([2, 3]);
      expect(errors[0]?.messageEn).to.match(/Bangla name .*missing/i);
      expect(errors[1]?.messageEn).to.include("'Dumuria'");
    });

    it('when the English name cell is empty, then nameEn is undefined', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,name_en,geocode\nKhulna,পাইকগাছা,,64\n');
      expect(errors).to.deep.equal([]);
      expect(rows[0]?.nameEn).to.equal(undefined);
    });

    it('when a row has several problems, then each is reported for that row', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nAtlantis,,xx\n');
      expect(rows).to.deep.equal([]);
      expect(errors.map((e) => e.row)).to.deep.equal([2, 2, 2]);
    });
  });

  describe('structure', () => {
    it('when a row has more or fewer cells than the header, then it is a column-count error and the other rows are returned', () => {
      const { rows, errors } = parseUpazilaCsv(
        'district,name_bn,name_en,geocode\nKhulna,পাইকগাছা,Paikgachha,64\nKhulna,ডুমুরিয়া,30\nKhulna,কয়রা,Koyra,53,extra\nKhulna,ফুলতলা,Phultala,69,,\n',
      );
      expect(rows.map((r) => r.row)).to.deep.equal([2, 5]);
      expect(errors.map((e) => e.row)).to.deep.equal([3, 4]);
      expect(errors[0]?.messageEn).to.include('3 columns').and.include('header row has 4');
      expect(errors[1]?.messageEn).to.include('5 columns');
    });

    it('when a quote is never closed, then that row is an error and the rows after it are still read', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\nKhulna,"পাইকগাছা,64\nKhulna,ডুমুরিয়া,30\nKhulna,কয়রা,53\n');
      expect(rows.map((r) => [r.row, r.geoCode])).to.deep.equal([
        [3, '4730'],
        [4, '4753'],
      ]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(2);
      expect(errors[0]?.messageEn).to.include('quotation mark');
    });

    it('when the header lacks a required column, then there is a single error for row 1 and no rows', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_en,geocode\nKhulna,Paikgachha,64\n');
      expect(rows).to.deep.equal([]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(1);
      expect(errors[0]?.messageEn).to.include('Bangla name').and.not.include('district (');
      expect(errors[0]?.message).to.include('বাংলা নাম');
    });

    it('when the header has no recognisable columns at all, then the single row-1 error lists all three required columns', () => {
      const { rows, errors } = parseUpazilaCsv('a,b,c\n1,2,3\n');
      expect(rows).to.deep.equal([]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(1);
      expect(errors[0]?.messageEn).to.include('district').and.include('Bangla name').and.include('geo code');
    });

    it('when two header columns mean the same thing, then there is a single error for row 1 and no rows', () => {
      const { rows, errors } = parseUpazilaCsv('district,upazila,উপজেলা,geocode\nKhulna,পাইকগাছা,পাইকগাছা,64\n');
      expect(rows).to.deep.equal([]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(1);
      expect(errors[0]?.messageEn).to.include("'upazila'").and.include("'উপজেলা'");
    });

    it('when the input is empty, only whitespace or only a BOM, then there is one error for row 1', () => {
      for (const text of ['', '   \n\r\n\t', '\uFEFF', ',,\n;;\n']) {
        const { rows, errors } = parseUpazilaCsv(text);
        expect(rows, JSON.stringify(text)).to.deep.equal([]);
        expect(errors, JSON.stringify(text)).to.have.length(1);
        expect(errors[0]?.row).to.equal(1);
        expect(errors[0]?.messageEn).to.equal('The file is empty.');
        expect(errors[0]?.message).to.equal('ফাইলটি খালি।');
      }
    });

    it('when there is a header but no data rows, then there is an error saying so', () => {
      const { rows, errors } = parseUpazilaCsv('district,name_bn,geocode\n\n');
      expect(rows).to.deep.equal([]);
      expect(errors).to.have.length(1);
      expect(errors[0]?.row).to.equal(1);
      expect(errors[0]?.messageEn).to.include('no upazila rows');
    });

    it('when the file is not CSV at all, then parsing does not throw and reports errors', () => {
      const junk = 'district,name_bn,geocode\n' + '"a"b,"c\n'.repeat(100);
      const result = parseUpazilaCsv(junk);
      expect(result.rows).to.deep.equal([]);
      expect(result.errors.length).to.be.greaterThan(0);
      expect(result.errors.length).to.be.lessThan(30);
    });
  });
});
