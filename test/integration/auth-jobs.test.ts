import { expect } from 'chai';
import { SignInSlot, SignInState } from '../../src/features/auth/auth.model.js';
import { authJobs, cleanUpSignInRecords } from '../../src/features/auth/auth.jobs.js';
import { currentGeneration } from '../../src/features/auth/sign-in-lockout.js';
import { resetDatabase } from '../support/db.js';

describe('sign-in housekeeping job', () => {
  beforeEach(resetDatabase);

  const day = 86_400_000;

  it('when the nightly job runs, then sign-in records older than 30 days go and recent ones stay', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    await SignInSlot.create([
      { _id: 'a#0#1', kind: 'slot', username: 'a', generation: 0, n: 1, at: new Date(now.getTime() - 31 * day) },
      { _id: 'a#1', kind: 'generation', username: 'a', generation: 1, at: new Date(now.getTime() - 31 * day) },
      { _id: 'a#1#1', kind: 'slot', username: 'a', generation: 1, n: 1, at: new Date(now.getTime() - 29 * day) },
      { _id: 'b#0#1', kind: 'slot', username: 'b', generation: 0, n: 1, at: new Date(now.getTime() - 60_000) },
    ]);
    expect(await cleanUpSignInRecords(now)).to.deep.equal({ records: 2 });
    expect((await SignInSlot.find().lean()).map((s) => s._id).sort()).to.deep.equal(['a#1#1', 'b#0#1']);
  });

  it('when an old generation record is removed while the hint lags behind it, then the hint is raised first and the newest generation is still found', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    await SignInState.create({ _id: 'c', generation: 0 });
    await SignInSlot.create([
      { _id: 'c#1', kind: 'generation', username: 'c', generation: 1, at: new Date(now.getTime() - 40 * day) },
      { _id: 'c#2', kind: 'generation', username: 'c', generation: 2, at: new Date(now.getTime() - day) },
    ]);
    await cleanUpSignInRecords(now);
    expect(await SignInSlot.countDocuments({ _id: 'c#1' })).to.equal(0);
    expect((await SignInState.findById('c').lean())?.generation).to.equal(2);
    expect(await currentGeneration('c')).to.equal(2);
  });

  it('when the scheduler runs the job with its clock, then it does the same clean-up', async () => {
    await SignInSlot.create({ _id: 'd#0#1', kind: 'slot', username: 'd', generation: 0, n: 1, at: new Date('2020-01-01T00:00:00Z') });
    const job = authJobs.find((j) => j.name === 'auth.clean-up-sign-in-records')!;
    expect(job.schedule).to.match(/^\d+ \d+ \* \* \*$/);
    await job.run(new Date('2026-01-01T00:00:00Z'));
    expect(await SignInSlot.countDocuments()).to.equal(0);
  });
});
