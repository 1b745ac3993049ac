import { expect } from 'chai';
import fc from 'fast-check';
import { formatNumberBn, parseNumberInput, toBanglaDigits, toLatinDigits } from '../../../src/lib/bangla-digits.js';

describe('bangla-digits', () => {
  describe('toBanglaDigits / toLatinDigits', () => {
    it('when given Latin digits, then each becomes its Bangla digit and other characters stay', () => {
      expect(toBanglaDigits('0123456789')).to.equal('০১২৩৪৫৬৭৮৯');
      expect(toBanglaDigits('২৮/09/2025 (x)')).to.equal('২৮/০৯/২০২৫ (x)');
    });

    it('when given a number, then it is printed without grouping in Bangla digits', () => {
      expect(toBanglaDigits(2025)).to.equal('২০২৫');
      expect(toBanglaDigits(-3.5)).to.equal('-৩.৫');
    });

    it('when given Bangla digits, then toLatinDigits returns Latin digits and leaves letters alone', () => {
      expect(toLatinDigits('১৪ আশ্বিন ১৪৩২')).to.equal('14 আশ্বিন 1432');
      expect(toLatinDigits('abc 123')).to.equal('abc 123');
    });

    it('when any integer goes to Bangla and back, then it is unchanged', () => {
      fc.assert(
        fc.property(fc.maxSafeInteger(), (n) => {
          expect(toLatinDigits(toBanglaDigits(n))).to.equal(String(n));
        }),
      );
    });

    it('when any string goes to Bangla digits, then it contains no Latin digit', () => {
      fc.assert(fc.property(fc.string(), (s) => !/[0-9]/.test(toBanglaDigits(s))));
    });
  });

  describe('formatNumberBn', () => {
    it('when formatting 124080, then it uses Bangla digits with Indian grouping (১,২৪,০৮০)', () => {
      expect(formatNumberBn(124080)).to.equal('১,২৪,০৮০');
    });

    it('when formatting crores and small numbers, then grouping is 2-2-3 from the right', () => {
      expect(formatNumberBn(12345678)).to.equal('১,২৩,৪৫,৬৭৮');
      expect(formatNumberBn(999)).to.equal('৯৯৯');
      expect(formatNumberBn(1000)).to.equal('১,০০০');
      expect(formatNumberBn(0)).to.equal('০');
    });

    it('when formatting negative zero, then no minus sign is printed', () => {
      expect(formatNumberBn(-0)).to.equal('০');
    });

    it('when fractionDigits is given, then exactly that many decimals are printed', () => {
      expect(formatNumberBn(1234.5, { fractionDigits: 2 })).to.equal('১,২৩৪.৫০');
      expect(formatNumberBn(90.456, { fractionDigits: 0 })).to.equal('৯০');
    });

    it('when the number is not finite or fractionDigits is bad, then a RangeError is thrown', () => {
      expect(() => formatNumberBn(Number.NaN)).to.throw(RangeError);
      expect(() => formatNumberBn(Infinity)).to.throw(RangeError);
      expect(() => formatNumberBn(1, { fractionDigits: -1 })).to.throw(RangeError);
    });
  });

  describe('parseNumberInput', () => {
    it('when given Bangla digits with Indian grouping (১,২৪,০৮০), then it returns 124080', () => {
      expect(parseNumberInput('১,২৪,০৮০')).to.equal(124080);
    });

    it('when given Latin, western-grouped, decimal, negative or padded input, then it parses', () => {
      expect(parseNumberInput('124,080')).to.equal(124080);
      expect(parseNumberInput('  1,234,567.25 ')).to.equal(1234567.25);
      expect(parseNumberInput('12,34,567')).to.equal(1234567);
      expect(parseNumberInput('৩.৫')).to.equal(3.5);
      expect(parseNumberInput('.5')).to.equal(0.5);
      expect(parseNumberInput('-৪২')).to.equal(-42);
      expect(parseNumberInput('0')).to.equal(0);
      expect(parseNumberInput('007')).to.equal(7);
    });

    it('when given something that is not a number, then it returns null', () => {
      for (const bad of ['১২ক', '', '   ', '1,2,3,,4', '1,23', '12,3456', ',123', '123,', '1.2.3', '1e5', '0x10', '+5', '5.', '-', '১ ২', 'NaN', 'Infinity']) {
        expect(parseNumberInput(bad), JSON.stringify(bad)).to.equal(null);
      }
    });

    it('when a number is far too large for a double, then it returns null', () => {
      expect(parseNumberInput('9'.repeat(400))).to.equal(null);
    });

    it('when any safe integer is formatted with formatNumberBn, then parseNumberInput gives it back', () => {
      fc.assert(
        fc.property(fc.maxSafeInteger(), (n) => {
          expect(parseNumberInput(formatNumberBn(n))).to.equal(n === 0 ? 0 : n);
        }),
      );
    });

    it('when any number is formatted with 2 decimals, then parsing gives the rounded value', () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e9, max: 1e9 }), (cents) => {
          expect(parseNumberInput(formatNumberBn(cents / 100, { fractionDigits: 2 }))).to.equal(cents / 100);
        }),
      );
    });
  });
});
