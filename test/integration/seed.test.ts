import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { Charter } from '../../src/features/charters/charter.model.js';
import { Initiative } from '../../src/features/initiatives/initiative.model.js';
import { Office } from '../../src/features/offices/office.model.js';
import { ActionItem, Meeting } from '../../src/features/meetings/meeting.model.js';
import { MemoNumber, MemoRegister } from '../../src/features/memo-numbers/memo.model.js';
import { NEXT_MEETING_SUBJECT, PAST_MEETING_SUBJECT } from '../../src/features/seed/demo-meetings.js';
import { seedDemo } from '../../src/features/seed/index.js';
import { DEMO_MOTTO } from '../../src/features/seed/demo-letterhead.js';
import { Letterhead } from '../../src/features/letterhead/letterhead.model.js';
import { letterheadFor } from '../../src/features/letterhead/letterhead.service.js';
import { User } from '../../src/features/users/user.model.js';
import { isStuck } from '../../src/features/initiatives/initiative.service.js';
import { resetDatabase, testDatabase } from '../support/db.js';
import { testLogger } from '../support/logger.js';
import path from 'node:path';

describe('demo seed', function () {
  this.timeout(60_000);
  before(resetDatabase);

  it('when seeded twice, then the demo exists once: offices, one user per role, initiatives, the sample charter', async () => {
    const config = loadConfig({ DATA_DIR: path.join(testDatabase().tmpDir, 'seed'), DEMO_PASSWORD: 'demo-password-9' });
    const first = await seedDemo({ config, logger: testLogger });
    const counts = async () => [await Office.countDocuments(), await User.countDocuments(), await Initiative.countDocuments(), await Charter.countDocuments(), await Meeting.countDocuments(), await MemoRegister.countDocuments(), await MemoNumber.countDocuments(), await ActionItem.countDocuments()];
    const after1 = await counts();
    const second = await seedDemo({ config, logger: testLogger });
    expect(await counts()).to.deep.equal(after1);
    expect(second.created).to.deep.equal({ offices: 0, users: 0 });
    expect(first.logins.map((l) => l.username)).to.deep.equal(['admin', 'officer', 'head', 'field', 'monitor', 'observer']);
    const field = await User.findOne({ username: 'field' }).lean();
    expect((await Office.findById(field!.office).lean())?.level).to.equal('upazila');
    const hq = await Office.findOne({ code: 'dwa-hq' }).lean();
    expect(await Office.countDocuments({ parent: hq!._id, level: 'division' })).to.equal(8);
    const initiatives = await Initiative.find().lean();
    expect(initiatives.filter((i) => i.stage === 'pilot')).to.have.length(3);
    expect(initiatives.filter((i) => i.stage === 'institutionalised' && i.kind === 'simplification')).to.have.length(2);
    expect(initiatives.flatMap((i) => i.areas).length).to.be.at.least(5);
    const stuck = initiatives.filter((i) => isStuck({ stage: i.stage, stageEnteredAt: i.stageEnteredAt.getTime(), lastDecisionAt: i.lastDecisionAt?.getTime() }, new Date(), 6));
    expect(stuck.map((i) => i.titleEn)).to.deep.equal(['Safe movement for women']);
    const charter = await Charter.findOne().lean();
    expect(charter?.services).to.have.length(13);
  });

  it('when seeded, then the headquarters has a 2014 register, a past review meeting signed and issued with open decisions, and the next meeting in draft reviewing them', async () => {
    const hq = await Office.findOne({ code: 'dwa-hq' }).lean();
    const registers = await MemoRegister.find({ office: hq!._id }).lean();
    expect(registers).to.have.length(1);
    expect(registers[0]).to.include({ layout: '2014', separator: '-', isDefault: true });
    const past = await Meeting.findOne({ subject: PAST_MEETING_SUBJECT }).lean();
    expect(past?.status).to.equal('issued');
    expect(past?.memoNumber).to.equal('৩২.০১.০০০০.০২১.২৫.০১১.২০-১');
    expect(past?.signedBy?.designation).to.equal('মহাপরিচালক');
    expect(past?.contentHash).to.match(/^[0-9a-f]{64}$/);
    const items = await ActionItem.find({ meeting: past!._id }).lean();
    expect(items).to.have.length(3);
    expect(items.every((d) => d.status === 'open')).to.equal(true);
    const next = await Meeting.findOne({ subject: NEXT_MEETING_SUBJECT }).lean();
    expect(next?.status).to.equal('draft');
    expect(String(next?.previous)).to.equal(String(past!._id));
  });

  it('when seeded, then the headquarters letterhead carries the demo motto (once, at version 1)', async () => {
    const hq = await Office.findOne({ code: 'dwa-hq' }).lean();
    const lh = await Letterhead.findById(String(hq!._id)).lean();
    expect(lh).to.include({ motto: DEMO_MOTTO, version: 1 });
    expect((await letterheadFor(String(hq!._id))).motto).to.equal(DEMO_MOTTO);
  });
});
