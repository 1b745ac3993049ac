import { expect } from 'chai';
import fc from 'fast-check';
import { escapeRegExp, normaliseText, searchKey } from '../../../src/lib/text.js';

const YA_PRECOMPOSED = '\u09DF'; // য় as one code point
const YA_DECOMPOSED = '\u09AF\u09BC'; // য + nukta
const RRA_PRECOMPOSED = '\u09DC'; // ড়
const RRA_DECOMPOSED = '\u09A1\u09BC';
const RHA_PRECOMPOSED = '\u09DD'; // ঢ়
const RHA_DECOMPOSED = '\u09A2\u09BC';

describe('text', () => {
  describe('normaliseText', () => {
    it('when text has surrounding and repeated whitespace, then it is trimmed and collapsed', () => {
      expect(normaliseText('  উদ্ভাবনী \t\n  উদ্যোগ\u00A0 ')).to.equal('উদ্ভাবনী উদ্যোগ');
    });

    it('when য় ড় ঢ় are typed precomposed, then NFC gives base + nukta', () => {
      expect(normaliseText(YA_PRECOMPOSED)).to.equal(YA_DECOMPOSED);
      expect(normaliseText(RRA_PRECOMPOSED)).to.equal(RRA_DECOMPOSED);
      expect(normaliseText(RHA_PRECOMPOSED)).to.equal(RHA_DECOMPOSED);
    });

    it('when applied twice, then the result does not change', () => {
      fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => normaliseText(normaliseText(s)) === normaliseText(s)));
    });
  });

  describe('searchKey', () => {
    it('when a word has a precomposed য় (U+09DF) or য + nukta, then both give the same key', () => {
      const a = `মহিলা বিষ${YA_PRECOMPOSED}ক`;
      const b = `মহিলা বিষ${YA_DECOMPOSED}ক`;
      expect(a).to.not.equal(b);
      expect(searchKey(a)).to.equal(searchKey(b));
      expect(searchKey(`পড়া ${RRA_PRECOMPOSED}`)).to.equal(searchKey(`পড়া ${RRA_DECOMPOSED}`.normalize('NFD')));
      expect(searchKey(`আষা${RHA_PRECOMPOSED}`)).to.equal(searchKey(`আষা${RHA_DECOMPOSED}`));
    });

    it('when a query differs only in case and spacing, then the key matches', () => {
      expect(searchKey('  Digital   Service ')).to.equal(searchKey('digital service'));
      expect(searchKey('TCV')).to.equal('tcv');
    });

    it('when a key is made from a stored key, then nothing changes', () => {
      fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => searchKey(searchKey(s)) === searchKey(s)));
    });

    it('when Bangla text uses precomposed nukta letters anywhere, then the key equals that of the NFD form', () => {
      const bangla = fc.string({ unit: fc.constantFrom('ক', 'ব', 'ি', 'া', ' ', YA_PRECOMPOSED, RRA_PRECOMPOSED, RHA_PRECOMPOSED, YA_DECOMPOSED) });
      fc.assert(fc.property(bangla, (s) => searchKey(s) === searchKey(s.normalize('NFD'))));
    });
  });

  describe('escapeRegExp', () => {
    it('when special characters are escaped, then the pattern matches them literally', () => {
      const s = 'a.b*c+(d)?[e]{f}|g^h$i\\j/k-l';
      expect(new RegExp(`^${escapeRegExp(s)}$`).test(s)).to.equal(true);
      expect(new RegExp(escapeRegExp('a.b')).test('axb')).to.equal(false);
    });

    it('when any string is escaped, then a unicode-mode RegExp built from it matches exactly that string', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme' }), (s) => {
          expect(new RegExp(`^${escapeRegExp(s)}$`, 'u').test(s)).to.equal(true);
        }),
      );
    });
  });
});
