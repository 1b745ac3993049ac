// The shared catalogues live in platform/i18n; each feature's text is registered by the wiring (src/app.ts).
import { expect } from 'chai';
import { registerCatalogues } from '../../../src/app.js';
import { officesText } from '../../../src/features/offices/offices.i18n.js';
import { usersText } from '../../../src/features/users/users.i18n.js';
import { registerCatalogue, translator } from '../../../src/platform/i18n/index.js';

describe('i18n catalogues', () => {
  it('when a catalogue is registered after its key was asked for, then the text replaces the remembered key', () => {
    const en = translator('en');
    expect(en('i18nProbe.hello')).to.equal('i18nProbe.hello');
    registerCatalogue('i18nProbe', { bn: { hello: 'নমস্কার' }, en: { hello: 'Hello' } });
    expect(en('i18nProbe.hello')).to.equal('Hello');
    expect(translator('bn')('i18nProbe.hello')).to.equal('নমস্কার');
  });

  it('when the same catalogue is registered again, then nothing changes; different text under the name is refused', () => {
    const probe = { bn: { hi: 'হাই' }, en: { hi: 'Hi' } };
    registerCatalogue('i18nProbe2', probe);
    registerCatalogue('i18nProbe2', probe);
    registerCatalogue('i18nProbe2', { bn: { hi: 'হাই' }, en: { hi: 'Hi' } });
    expect(translator('en')('i18nProbe2.hi')).to.equal('Hi');
    expect(() => registerCatalogue('i18nProbe2', { bn: { hi: 'অন্য' }, en: { hi: 'Other' } })).to.throw(/i18nProbe2/);
    expect(translator('en')('i18nProbe2.hi')).to.equal('Hi');
  });

  it('when the wiring registers the features (twice), then their text is there in both languages and the shared users text stays', () => {
    const names = registerCatalogues();
    expect(registerCatalogues()).to.deep.equal(names);
    expect(names).to.include.members([
      'offices',
      'users',
      'audit',
      'charters',
      'initiatives',
      'attachments',
      'meetings',
      'memo',
      'letterhead',
    ]);
    expect(translator('en')('offices.title')).to.equal(officesText.en.title);
    expect(translator('bn')('offices.title')).to.equal(officesText.bn.title);
    expect(translator('en')('users.title')).to.equal(usersText.en.title);
    expect(translator('bn')('users.actingShort')).to.equal('চলতি দায়িত্ব');
    expect(translator('en')('users.actingShort')).to.equal('acting charge');
    expect(translator('en')('offices.created', { name: 'X' })).to.equal('Office “X” was added.');
  });
});
