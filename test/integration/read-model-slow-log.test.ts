// The change log that read models catch up from: an insert held up by the engine (a restart, a pause) must not
// become visible with an id older than the catch-up overlap allows (src/platform/db/read-model.ts).
import path from 'node:path';
import { expect } from 'chai';
import mongoose, { type Types } from 'mongoose';
import { findEnginesServing } from '../../src/platform/db/embedded-engine.js';
import { changeLog, recordChanges } from '../../src/platform/db/read-model.js';
import { testDatabase } from '../support/db.js';

describe('read-model change log under a held-up engine', function () {
  this.timeout(60_000);

  it('when a change-log insert is held up longer than half the catch-up overlap (engine paused 6 s), then the change is logged again with a fresh id', async function () {
    const [engine] = findEnginesServing(`file:${path.join(testDatabase().tmpDir, 'engine', 'ferretdb')}/`);
    if (!engine) this.skip(); // TEST_MONGODB_URI: no embedded engine of ours to pause
    const log = changeLog('slow-log-probe');
    const started = Date.now();
    process.kill(engine!.pid, 'SIGSTOP');
    const resume = setTimeout(() => process.kill(engine!.pid, 'SIGCONT'), 6_000);
    try {
      await recordChanges(log, ['held']);
    } finally {
      clearTimeout(resume);
      process.kill(engine!.pid, 'SIGCONT');
    }
    const rows = await mongoose.connection.db!.collection(log.collection).find({ key: 'held' }).toArray();
    const times = rows.map((r) => (r._id as unknown as Types.ObjectId).getTimestamp().getTime()).sort((a, b) => a - b);
    expect(rows, 'the held-up entry and a fresh one').to.have.length(2);
    expect(times[0]).to.be.below(started + 2_000);
    expect(times[1]).to.be.at.least(started + 5_000);
  });
});
