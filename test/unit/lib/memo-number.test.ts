import { expect } from 'chai';
import fc from 'fast-check';
import { toBanglaDigits, toLatinDigits } from '../../../src/lib/bangla-digits.js';
import {
  MEMO_LAYOUTS,
  type MemoRegisterSpec,
  formatMemoNumber,
  normalizeMemoSpec,
  parseMemoNumber,
  validateMemoSpec,
} from '../../../src/lib/memo-number.js';

/** A spec for an official layout, values given in layout order. */
function officialSpec(layout: '2014' | '2024', values: string[], separator: '-' | '.' = '-'): MemoRegisterSpec {
  return {
    layout,
    separator,
    segments: MEMO_LAYOUTS[layout].map((d, i) => ({ key: d.key, width: d.width, value: values[i] ?? '0' })),
  };
}

const spec2014 = officialSpec('2014', ['32', '01', '0000', '021', '25', '011', '20']);
const spec2024 = officialSpec('2024', ['05', '44', '4764', '001', '002', '06', '0012', '25']);

function digitString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 9 }), { minLength, maxLength }).map((a) => a.join(''));
}

/** Any valid spec: official layouts with values of 1..width digits, or custom with 2..10 segments. */
const anyValidSpec: fc.Arbitrary<MemoRegisterSpec> = fc.oneof(
  fc.constantFrom('2014' as const, '2024' as const).chain((layout) =>
    fc
      .tuple(
        fc.tuple(...MEMO_LAYOUTS[layout].map((d) => digitString(1, d.width))),
        fc.constantFrom('-' as const, '.' as const),
        fc.boolean(),
      )
      .map(([values, separator, bangla]) =>
        officialSpec(layout, values.map((v) => (bangla ? toBanglaDigits(v) : v)), separator),
      ),
  ),
  fc
    .tuple(
      fc.array(
        fc.integer({ min: 1, max: 6 }).chain((width) => digitString(1, width).map((value) => ({ width, value }))),
        { minLength: 2, maxLength: 10 },
      ),
      fc.constantFrom('-' as const, '.' as const),
    )
    .map(([segs, separator]) => ({
      layout: 'custom' as const,
      separator,
      segments: segs.map((s, i) => ({ key: `s${i + 1}`, ...s })),
    })),
);

const anySerial = fc.integer({ min: 1, max: 10_000_000 });

describe('memo-number', () => {
  describe('MEMO_LAYOUTS', () => {
    it('when reading the 2014 layout, then it has 7 segments of widths 2,2,4,3,2,3,2 (18 digits)', () => {
      const l = MEMO_LAYOUTS['2014'];
      expect(l.map((s) => s.key)).to.deep.equal(['ministry', 'department', 'geo', 'branch', 'subject', 'file', 'year']);
      expect(l.map((s) => s.width)).to.deep.equal([2, 2, 4, 3, 2, 3, 2]);
      expect(l.reduce((a, s) => a + s.width, 0)).to.equal(18);
    });

    it('when reading the 2024 layout, then it has 8 segments of widths 2,2,4,3,3,2,4,2 (22 digits)', () => {
      const l = MEMO_LAYOUTS['2024'];
      expect(l.map((s) => s.key)).to.deep.equal(['ministry', 'office', 'geo', 'subordinate', 'branch', 'subject', 'file', 'year']);
      expect(l.map((s) => s.width)).to.deep.equal([2, 2, 4, 3, 3, 2, 4, 2]);
      expect(l.reduce((a, s) => a + s.width, 0)).to.equal(22);
    });

    it('when reading any segment, then it has Bangla and English labels', () => {
      for (const s of [...MEMO_LAYOUTS['2014'], ...MEMO_LAYOUTS['2024']]) {
        expect(s.labelBn).to.match(/[\u0980-\u09FF]/u);
        expect(s.labelEn).to.match(/^[A-Z]/);
      }
    });
  });

  describe('validateMemoSpec', () => {
    it('when the spec is a correct 2014 or 2024 spec, then there are no problems', () => {
      expect(validateMemoSpec(spec2014)).to.deep.equal([]);
      expect(validateMemoSpec(spec2024)).to.deep.equal([]);
    });

    it('when values are in Bangla digits or shorter than the width, then the spec is still valid', () => {
      expect(validateMemoSpec(officialSpec('2014', ['৩২', '১', '০', '২১', '২৫', '১১', '২০']))).to.deep.equal([]);
    });

    it('when a 2014 spec has 6 segments, then the count problem is reported in Bangla and English', () => {
      const spec = { ...spec2014, segments: spec2014.segments.slice(0, 6) };
      const problems = validateMemoSpec(spec);
      expect(problems).to.have.length(1);
      expect(problems[0]?.segment).to.equal(undefined);
      expect(problems[0]?.bn).to.equal('সচিবালয় নির্দেশমালা ২০১৪-এর বিন্যাসে ৭টি অংশ থাকতে হবে; দেওয়া হয়েছে ৬টি।');
      expect(problems[0]?.en).to.equal('The 2014 layout has 7 segments; got 6.');
    });

    it('when a 2024 spec has 7 segments, then the count problem names the 2024 layout', () => {
      const spec = { ...spec2014, layout: '2024' as const };
      const problems = validateMemoSpec(spec);
      expect(problems.map((p) => p.en)).to.deep.equal(['The 2024 layout has 8 segments; got 7.']);
      expect(problems[0]?.bn).to.contain('২০২৪').and.contain('৮টি').and.contain('৭টি');
    });

    it('when a value holds a non-digit, then that segment is reported', () => {
      const spec = officialSpec('2014', ['3ক', '01', '0000', '021', '25', '011', '20']);
      expect(validateMemoSpec(spec)).to.deep.equal([
        {
          segment: 'ministry',
          bn: '“মন্ত্রণালয়/বিভাগ” অংশে কেবল অঙ্ক থাকতে পারে; দেওয়া হয়েছে “3ক”।',
          en: 'Segment "ministry" may hold digits only; got "3ক".',
        },
      ]);
    });

    it('when a value has spaces or a sign, then it is reported as non-digit', () => {
      for (const bad of [' 32', '-1', '1.5', '৩ ২']) {
        const problems = validateMemoSpec(officialSpec('2014', [bad, '01', '0000', '021', '25', '011', '20']));
        expect(problems.map((p) => p.en), bad).to.deep.equal([`Segment "ministry" may hold digits only; got "${bad}".`]);
      }
    });

    it('when a value is longer than its width, then the width and the length are reported', () => {
      const spec = officialSpec('2014', ['32', '01', '00000', '021', '25', '011', '20']);
      expect(validateMemoSpec(spec)).to.deep.equal([
        {
          segment: 'geo',
          bn: '“ভৌগোলিক কোড” অংশে সর্বোচ্চ ৪ অঙ্ক থাকতে পারে; দেওয়া হয়েছে ৫ অঙ্ক (“00000”)।',
          en: 'Segment "geo" allows at most 4 digits; got 5 ("00000").',
        },
      ]);
    });

    it('when a value is empty, then the user is told to write 0 for an unused segment', () => {
      const spec = officialSpec('2014', ['32', '01', '', '021', '25', '011', '20']);
      expect(validateMemoSpec(spec)).to.deep.equal([
        {
          segment: 'geo',
          bn: '“ভৌগোলিক কোড” অংশ ফাঁকা; ব্যবহার না হলে ০ লিখুন।',
          en: 'Segment "geo" is empty; write 0 for an unused segment.',
        },
      ]);
    });

    it('when a width is below 1 or not whole, then it is reported', () => {
      const spec: MemoRegisterSpec = {
        layout: 'custom',
        separator: '-',
        segments: [
          { key: 'a', value: '1', width: 0 },
          { key: 'b', value: '1', width: 1.5 },
          { key: 'c', value: '1', width: 2 },
        ],
      };
      expect(validateMemoSpec(spec)).to.deep.equal([
        {
          segment: 'a',
          bn: '“a” অংশের প্রস্থ অন্তত ১ অঙ্কের পূর্ণসংখ্যা হতে হবে; দেওয়া হয়েছে ০।',
          en: 'Segment "a": width must be a whole number of at least 1; got 0.',
        },
        {
          segment: 'b',
          bn: '“b” অংশের প্রস্থ অন্তত ১ অঙ্কের পূর্ণসংখ্যা হতে হবে; দেওয়া হয়েছে ১.৫।',
          en: 'Segment "b": width must be a whole number of at least 1; got 1.5.',
        },
      ]);
    });

    it('when a custom spec has 0 segments, then it is reported', () => {
      const problems = validateMemoSpec({ layout: 'custom', separator: '-', segments: [] });
      expect(problems).to.deep.equal([
        {
          bn: 'নিজস্ব বিন্যাসে অন্তত ২টি অংশ থাকতে হবে; দেওয়া হয়েছে ০টি।',
          en: 'A custom layout needs at least 2 segments; got 0.',
        },
      ]);
    });

    it('when a custom spec has 1 segment, then it is reported, since its numbers could not be read back', () => {
      const problems = validateMemoSpec({ layout: 'custom', separator: '-', segments: [{ key: 'a', value: '1', width: 2 }] });
      expect(problems.map((p) => p.en)).to.deep.equal(['A custom layout needs at least 2 segments; got 1.']);
    });

    it('when an official spec has a width that differs from the layout, then it is reported', () => {
      const spec = officialSpec('2014', ['32', '01', '0000', '021', '25', '011', '20']);
      spec.segments[2] = { key: 'geo', value: '0', width: 3 };
      expect(validateMemoSpec(spec)).to.deep.equal([
        {
          segment: 'geo',
          bn: 'সচিবালয় নির্দেশমালা ২০১৪-এর বিন্যাসে “ভৌগোলিক কোড” অংশ ৪ অঙ্কের; দেওয়া হয়েছে ৩।',
          en: 'Segment "geo": the 2014 layout makes it 4 digits wide; got 3.',
        },
      ]);
    });

    it('when the layout name or separator is unknown (untyped input), then each is reported', () => {
      const spec = { ...spec2014, layout: '2019', separator: '/' } as unknown as MemoRegisterSpec;
      expect(validateMemoSpec(spec)).to.deep.equal([
        {
          bn: 'অজানা বিন্যাস “2019”; ২০১৪, ২০২৪ অথবা নিজস্ব (custom) বিন্যাস বেছে নিন।',
          en: `Unknown layout "2019"; use '2014', '2024' or 'custom'.`,
        },
        {
          bn: 'ক্রমিকের আগের বিভাজক “-” অথবা “.” হতে হবে; দেওয়া হয়েছে “/”।',
          en: `The separator before the serial must be '-' or '.'; got "/".`,
        },
      ]);
    });

    it('when several things are wrong, then every problem is listed', () => {
      const spec = officialSpec('2014', ['x', '001', '0000', '021', '25', '011', '20']);
      expect(validateMemoSpec(spec).map((p) => p.segment)).to.deep.equal(['ministry', 'department']);
    });
  });

  describe('normalizeMemoSpec', () => {
    it('when values are Bangla or short, then they are stored as zero-padded Latin digits', () => {
      const n = normalizeMemoSpec(officialSpec('2014', ['৩২', '১', '০', '২১', '২৫', '১১', '২০']));
      expect(n.segments.map((s) => s.value)).to.deep.equal(['32', '01', '0000', '021', '25', '011', '20']);
    });

    it('when the spec is invalid, then it throws', () => {
      expect(() => normalizeMemoSpec({ layout: 'custom', separator: '-', segments: [] })).to.throw(/at least 2 segments/);
    });
  });

  describe('formatMemoNumber', () => {
    it('when the 2014 spec is 32.01.0000.021.25.011.20 with "-" and serial 68, then it prints ৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮', () => {
      expect(formatMemoNumber(spec2014, 68)).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮');
    });

    it('when the layout is 2024, then 8 segments with a 4-digit file serial are printed', () => {
      expect(formatMemoNumber(spec2024, 7)).to.equal('০৫.৪৪.৪৭৬৪.০০১.০০২.০৬.০০১২.২৫-৭');
    });

    it('when the separator is ".", then the serial follows a dot', () => {
      const spec = officialSpec('2014', ['4', '0', '0', '833', '33', '2', '18'], '.');
      expect(formatMemoNumber(spec, 105)).to.equal('০৪.০০.০০০০.৮৩৩.৩৩.০০২.১৮.১০৫');
    });

    it('when values are short or in Bangla digits, then they are zero-padded (geo "0" → ০০০০)', () => {
      const spec = officialSpec('2014', ['৩২', '1', '0', '২১', '25', '11', '২০']);
      expect(formatMemoNumber(spec, 1)).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-১');
    });

    it('when the layout is custom, then its own widths are used', () => {
      const spec: MemoRegisterSpec = {
        layout: 'custom',
        separator: '.',
        segments: [
          { key: 'ministry', value: '33', width: 2 },
          { key: 'office', value: '2', width: 2 },
          { key: 'geo', value: '4764', width: 4 },
          { key: 'branch', value: '36', width: 2 },
          { key: 'file', value: '36', width: 3 },
          { key: 'year', value: '15', width: 2 },
        ],
      };
      expect(formatMemoNumber(spec, 414)).to.equal('৩৩.০২.৪৭৬৪.৩৬.০৩৬.১৫.৪১৪');
    });

    it('when the serial is large, then it is printed in full without grouping or padding', () => {
      expect(formatMemoNumber(spec2014, 1234567)).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-১২৩৪৫৬৭');
    });

    it('when the serial is not a whole number of at least 1, then it throws', () => {
      for (const bad of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53]) {
        expect(() => formatMemoNumber(spec2014, bad), String(bad)).to.throw(Error, /serial must be a whole number/);
      }
    });

    it('when the spec is invalid, then it throws with the problems in the message', () => {
      const spec = officialSpec('2014', ['320', '01', '0000', '021', '25', '011', '20']);
      expect(() => formatMemoNumber(spec, 1)).to.throw(Error, /invalid memo register spec.*"ministry" allows at most 2 digits/);
    });

    it('when any valid spec is printed, then only Bangla digits, dots and the separator appear', () => {
      fc.assert(
        fc.property(anyValidSpec, anySerial, (spec, n) => {
          expect(formatMemoNumber(spec, n)).to.match(/^[০-৯]+(?:\.[০-৯]+)+[-.][০-৯]+$/u);
        }),
      );
    });
  });

  describe('parseMemoNumber', () => {
    it('when reading ৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮, then it is a 2014 number with serial 68 after "-"', () => {
      expect(parseMemoNumber('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮')).to.deep.equal({
        layout: '2014',
        segments: ['৩২', '০১', '০০০০', '০২১', '২৫', '০১১', '২০'],
        segmentsLatin: ['32', '01', '0000', '021', '25', '011', '20'],
        serial: 68,
        serialText: '৬৮',
        separator: '-',
        normalized: '৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮',
      });
    });

    it('when reading ০৪.০০.০০০০.৮৩৩.৩৩.০০২.১৮.১০৫, then it has 2014 widths, serial 105 and separator "."', () => {
      const p = parseMemoNumber('০৪.০০.০০০০.৮৩৩.৩৩.০০২.১৮.১০৫');
      expect(p).to.include({ layout: '2014', serial: 105, serialText: '১০৫', separator: '.' });
      expect(p?.segmentsLatin).to.deep.equal(['04', '00', '0000', '833', '33', '002', '18']);
      expect(p?.normalized).to.equal('০৪.০০.০০০০.৮৩৩.৩৩.০০২.১৮.১০৫');
    });

    it('when reading ৩৩.০২.৪৭৬৪.৩৬.০৩৬.১৫.৪১৪ (odd widths), then the layout is other, serial 414, separator "."', () => {
      const p = parseMemoNumber('৩৩.০২.৪৭৬৪.৩৬.০৩৬.১৫.৪১৪');
      expect(p).to.include({ layout: 'other', serial: 414, separator: '.' });
      expect(p?.segments).to.deep.equal(['৩৩', '০২', '৪৭৬৪', '৩৬', '০৩৬', '১৫']);
    });

    it('when reading the sample letter "স্মারক নং-০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২", then it is 2014 with serial 12', () => {
      const p = parseMemoNumber('স্মারক নং-০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২');
      expect(p).to.include({ layout: '2014', serial: 12, separator: '-', normalized: '০৫.৪৪.৪৭৬৪.০০০.০৬.০০১.২৫-১২' });
      expect(p?.segmentsLatin).to.deep.equal(['05', '44', '4764', '000', '06', '001', '25']);
    });

    it('when reading a 2024 number, then the layout is 2024', () => {
      const p = parseMemoNumber('০৫.৪৪.৪৭৬৪.০০১.০০২.০৬.০০১২.২৫-৭');
      expect(p).to.include({ layout: '2024', serial: 7, separator: '-' });
      expect(p?.segmentsLatin).to.deep.equal(['05', '44', '4764', '001', '002', '06', '0012', '25']);
    });

    it('when the number has any of the usual prefixes, then the prefix is skipped', () => {
      const prefixes = [
        'স্মারক নং-',
        'স্মারক নং:',
        'স্মারক নং :',
        'স্মারক নং.',
        'স্মারক নং- ',
        'স্মারক নম্বর ',
        'স্মারক নম্বর: ',
        'স্মারক নম্বরঃ ',
        'স্মারক: ',
        'নং ',
        'সূত্র: স্মারক নং ',
        'Memo No.',
        'Memo No. ',
        'Memo No: ',
        'memo no-',
        'MEMO NO ',
        'Ref:',
        'Ref: ',
        'ref. no. ',
        'Reference No: ',
      ];
      for (const prefix of prefixes) {
        const p = parseMemoNumber(`${prefix}৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮`);
        expect(p?.normalized, prefix).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮');
        expect(p?.layout, prefix).to.equal('2014');
      }
    });

    it('when digits are Latin or mixed, then segments keep what was written and segmentsLatin is Latin', () => {
      const p = parseMemoNumber('32.০১.0000.০২১.25.011.২০-6৮');
      expect(p).to.deep.equal({
        layout: '2014',
        segments: ['32', '০১', '0000', '০২১', '25', '011', '২০'],
        segmentsLatin: ['32', '01', '0000', '021', '25', '011', '20'],
        serial: 68,
        serialText: '6৮',
        separator: '-',
        normalized: '৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮',
      });
    });

    it('when there are spaces around dots and the separator, and surrounding whitespace, then it still parses', () => {
      const p = parseMemoNumber('  ৩২ . ০১. ০০০০ .০২১.২৫.০১১.২০ - ৬৮ \n');
      expect(p?.normalized).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮');
      expect(p?.segments).to.deep.equal(['৩২', '০১', '০০০০', '০২১', '২৫', '০১১', '২০']);
    });

    it('when the number ends with "।" or ".", then the full stop is ignored', () => {
      expect(parseMemoNumber('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮।')).to.include({ serial: 68, separator: '-' });
      expect(parseMemoNumber('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮.')).to.include({ serial: 68, separator: '-' });
      expect(parseMemoNumber('০৪.০০.০০০০.৮৩৩.৩৩.০০২.১৮.১০৫।')).to.include({ serial: 105, separator: '.', layout: '2014' });
      expect(parseMemoNumber('০৪.০০.০০০০.৮৩৩.৩৩.০০২.১৮.১০৫ .')).to.include({ serial: 105, separator: '.', layout: '2014' });
    });

    it('when the serial follows an en dash, em dash or "/", then it is read as the "-" separator', () => {
      for (const dash of ['–', '—', '/', ' / ']) {
        const p = parseMemoNumber(`৩২.০১.০০০০.০২১.২৫.০১১.২০${dash}৬৮`);
        expect(p, dash).to.include({ serial: 68, serialText: '৬৮', separator: '-', layout: '2014' });
        expect(p?.normalized, dash).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮');
      }
    });

    it('when the serial is written with leading zeros, then serialText keeps them and normalized drops them', () => {
      const p = parseMemoNumber('৩২.০১.০০০০.০২১.২৫.০১১.২০-০০৬৮');
      expect(p).to.include({ serial: 68, serialText: '০০৬৮', normalized: '৩২.০১.০০০০.০২১.২৫.০১১.২০-৬৮' });
    });

    it('when there are just 2 segments plus a serial, then it parses as layout other', () => {
      expect(parseMemoNumber('১২.৩৪-৫')).to.include({ layout: 'other', serial: 5, separator: '-' });
      expect(parseMemoNumber('১২.৩৪.৫')).to.include({ layout: 'other', serial: 5, separator: '.' });
    });

    it('when the text holds no memo number, then it returns null', () => {
      const bad = [
        '',
        '   ',
        'abc',
        '১২',
        '12',
        '১২.৩৪', // one segment plus a serial
        '১২-৩৪', // one segment plus a serial
        '১২.৩৪.', // still one segment plus a serial
        '৩২.০১..০০০০-৬৮',
        '৩২.০১.০০০০-',
        '.৩২.০১.০০০০-৬৮',
        '৩২.০১.০০০০-৬৮-৬৯',
        '৩২.০১.০০০০-৬৮ তারিখ',
        '৩২.০১.০০০০-০', // serial 0 is never issued
        'স্মারক নং-',
        'memorandum ৩২.০১.০০০০-৬৮',
        'তারিখ: ১৪.০৯.২০২৫',
        '৩২.০ক.০০০০-৬৮',
      ];
      for (const s of bad) expect(parseMemoNumber(s), s).to.equal(null);
    });

    it('when given any string, then it never throws and returns null or a number with at least 2 segments', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9০-৯.\- ।]{0,30}$/)), (s) => {
          const p = parseMemoNumber(s);
          if (p !== null) {
            expect(p.segments.length).to.be.at.least(2);
            expect(p.serial).to.be.at.least(1);
          }
        }),
      );
    });

    it('when any valid spec is printed and read back, then serial, separator, padded values and layout survive', () => {
      fc.assert(
        fc.property(anyValidSpec, anySerial, (spec, n) => {
          const printed = formatMemoNumber(spec, n);
          const p = parseMemoNumber(printed);
          expect(p).to.not.equal(null);
          expect(p?.serial).to.equal(n);
          expect(p?.separator).to.equal(spec.separator);
          expect(p?.segmentsLatin).to.deep.equal(spec.segments.map((s) => toLatinDigits(s.value).padStart(s.width, '0')));
          expect(p?.normalized).to.equal(printed);
          if (spec.layout !== 'custom') expect(p?.layout).to.equal(spec.layout);
        }),
      );
    });

    it('when the same number is written in Latin digits, then it parses to the same result as in Bangla', () => {
      fc.assert(
        fc.property(anyValidSpec, anySerial, fc.constantFrom('', 'স্মারক নং-', 'Memo No. '), (spec, n, prefix) => {
          const bangla = formatMemoNumber(spec, n);
          const fromBangla = parseMemoNumber(prefix + bangla);
          const fromLatin = parseMemoNumber(prefix + toLatinDigits(bangla));
          expect(fromLatin).to.not.equal(null);
          expect(fromBangla).to.not.equal(null);
          const { segments: sl, serialText: tl, ...restLatin } = fromLatin!;
          const { segments: sb, serialText: tb, ...restBangla } = fromBangla!;
          expect(restLatin).to.deep.equal(restBangla);
          // The as-written fields differ only in the digit set.
          expect(sl).to.deep.equal(sb.map(toLatinDigits));
          expect(tl).to.equal(toLatinDigits(tb));
        }),
      );
    });
  });
});
