import { expect } from 'chai';
import { AccountLock, LoginAttempt } from '../../src/features/auth/auth.model.js';
import { authJobs, cleanUpSignInRecords } from '../../src/features/auth/auth.jobs.js';
import { resetDatabase } from '../support/db.js';

describe('sign-in housekeeping job', () => {
  beforeEach(resetDatabase);

  it('when the nightly job runs, then attempts older than 30 days and expired locks go, recent ones stay', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const day = 86_400_000;
    await LoginAttempt.create([
      { username: 'a', at: new Date(now.getTime() - 31 * day), ok: false },
      { username: 'a', at: new Date(now.getTime() - 29 * day), ok: false },
      { username: 'b', at: new Date(now.getTime() - 60_000), ok: true },
    ]);
    await AccountLock.create([
      { _id: 'a', until: new Date(now.getTime() - 60_000) },
      { _id: 'b', until: new Date(now.getTime() + 60_000) },
    ]);
    expect(await cleanUpSignInRecords(now)).to.deep.equal({ attempts: 1, locks: 1 });
    expect(await LoginAttempt.countDocuments()).to.equal(2);
    expect((await AccountLock.find().lean()).map((l) => l._id)).to.deep.equal(['b']);
  });

  it('when the scheduler runs the job with its clock, then it does the same clean-up', async () => {
    await AccountLock.create({ _id: 'c', until: new Date('2020-01-01T00:00:00Z') });
    const job = authJobs.find((j) => j.name === 'auth.clean-up-sign-in-records')!;
    expect(job.schedule).to.match(/^\d+ \d+ \* \* \*$/);
    await job.run(new Date('2026-01-01T00:00:00Z'));
    expect(await AccountLock.countDocuments()).to.equal(0);
  });
});
