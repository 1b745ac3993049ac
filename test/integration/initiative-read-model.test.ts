// The in-process read model of initiatives catches up from the change log that every instance writes. Change
// ids come from each instance's own ObjectId generator, so another instance's change can sort below the newest
// change already applied; the catch-up must still apply it.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Initiative, InitiativeChange } from '../../src/features/initiatives/initiative.model.js';
import { initiativeReadModel, recordInitiativeChange } from '../../src/features/initiatives/initiative.read-model.js';
import { ChangeMarker } from '../../src/platform/db/change-marker.js';
import { resetDatabase } from '../support/db.js';
import { createWorld } from '../support/factories.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('initiatives read model', () => {
  beforeEach(async () => {
    await resetDatabase();
    initiativeReadModel.reset();
  });

  it("when another instance's change carries an id below the newest change already applied, then the next catch-up still applies it", async () => {
    const world = await createWorld();
    const [a, b] = await Initiative.create([
      { title: 'প্রথম উদ্যোগ', kind: 'idea', office: world.districtA._id, stageEnteredAt: new Date() },
      { title: 'দ্বিতীয় উদ্যোগ', kind: 'idea', office: world.districtA._id, stageEnteredAt: new Date() },
    ]);
    await initiativeReadModel.all(); // loaded
    await sleep(600);
    await recordInitiativeChange(a!._id); // this instance's newest change
    await sleep(600);
    await initiativeReadModel.all(); // caught up to it
    // "Another instance" changed b and logged it with an id from two seconds earlier, visible only now.
    await Initiative.updateOne({ _id: b!._id }, { $set: { title: 'দ্বিতীয় উদ্যোগ (অন্য সার্ভারে বদলানো)' } });
    await InitiativeChange.create({ _id: Types.ObjectId.createFromTime(Math.floor(Date.now() / 1000) - 2), initiative: b!._id, at: new Date() });
    // ...and bumped the marker, as its recordChanges does (a marker object of its own: not this process's).
    await new ChangeMarker('initiatives').bump();
    await sleep(600);
    expect((await initiativeReadModel.summary(String(b!._id)))?.title).to.equal('দ্বিতীয় উদ্যোগ (অন্য সার্ভারে বদলানো)');
  });
});
