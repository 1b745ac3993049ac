// Sign-in hardening on the real engine: the lock is judged from the whole generation of attempt slots (a slot given
// back after a database error leaves a gap that a later attempt fills), an insert whose reply was lost leaves no
// phantom slot or claim, and a sign-in finds its user by `_id` reads only (no scan of the users collection).
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { SignInSlot } from '../../src/features/auth/auth.model.js';
import { claimSignInSlot, releaseSlot, type Slot } from '../../src/features/auth/sign-in-lockout.js';
import { User } from '../../src/features/users/user.model.js';
import { USERNAMES_COLLECTION } from '../../src/features/users/username-index.js';
import { claimOnce, type ClaimCollection } from '../../src/platform/db/claim.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { TEST_PASSWORD, createUser, createWorld } from '../support/factories.js';
import { LOCKOUT_ENV, tokenRequest } from '../support/auth.js';

const ENV = LOCKOUT_ENV;
const SETTINGS = { lockoutAttempts: 5, lockoutMinutes: 15 };

/** `{ $in: … }`, `{ $gt: … }`: a filter the engine serves by a scan (an ObjectId is a value). */
function isOperator(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof mongoose.Types.ObjectId) && Object.keys(v).some((k) => k.startsWith('$'));
}

/** An error as the driver raises it when the engine goes away after applying a write (the reply is lost). */
function lostReply(): Error {
  return Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });
}

/** Runs `f` with the next insertOne on `collection` applied and then failed as if its reply were lost. */
async function withLostInsertReply<T>(collection: { insertOne: (...args: never[]) => Promise<unknown> }, f: () => Promise<T>): Promise<T> {
  const original = collection.insertOne;
  let armed = true;
  collection.insertOne = (async (...args: never[]) => {
    const result = await original.apply(collection, args);
    if (!armed) return result;
    armed = false;
    throw lostReply();
  }) as typeof original;
  try {
    return await f();
  } finally {
    collection.insertOne = original;
  }
}

describe('sign-in hardening: lock from the whole generation, no phantom claims, no users scan', function () {
  this.timeout(120_000);
  let server: TestServer;
  let world: Awaited<ReturnType<typeof createWorld>>;

  beforeEach(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ env: ENV });
  });
  afterEach(() => server.close());

  it('when a wrong password fills a slot given back earlier (1,2,3,5 held, it takes 4), then the account is locked: one account-locked row, the 401 says so, the lock ends 15 minutes after the newest attempt', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'holes' });
    const earlier = new Date(Date.now() - 10 * 60_000);
    const held: Slot[] = [];
    for (let i = 0; i < 5; i += 1) {
      const grant = await claimSignInSlot('holes', earlier, '127.0.0.1', SETTINGS);
      if (!grant.granted) throw new Error('expected a slot');
      held.push(grant.slot);
    }
    await releaseSlot(held[3]!); // slot 4: its check failed on a database error
    const before = Date.now();
    const wrong = await tokenRequest(server.url, 'holes', 'not-the-password').set('Accept-Language', 'en');
    expect(wrong.status).to.equal(401);
    expect(wrong.body.error.message).to.match(/now locked/);
    const lockRows = await AuditEntry.find({ action: 'auth.account-locked', 'actor.username': 'holes' }).lean();
    expect(lockRows).to.have.length(1);
    const right = await tokenRequest(server.url, 'holes', TEST_PASSWORD).expect(429);
    const until = new Date(right.body.error.details.lockedUntil).getTime();
    expect(until, 'from the newest attempt, not from slot 5').to.be.at.least(before + 15 * 60_000 - 1000);
  });

  it('when a slot insert is applied but its reply is lost, then the attempt fails and leaves no slot behind (it does not count)', async () => {
    await createUser({ office: world.root, roles: ['monitor'], username: 'phantom' });
    let failed: unknown;
    await withLostInsertReply(SignInSlot.collection as never, () =>
      claimSignInSlot('phantom', new Date(), '127.0.0.1', SETTINGS).catch((err: unknown) => {
        failed = err;
      }),
    );
    expect(failed, 'the lost reply is an error').to.be.instanceOf(Error);
    expect(await SignInSlot.countDocuments({ kind: 'slot', username: 'phantom' })).to.equal(0);
    const next = await claimSignInSlot('phantom', new Date(), '127.0.0.1', SETTINGS);
    expect(next.granted && next.slot.n).to.equal(1);
  });

  it('when a claim insert is applied but its reply is lost, then claimOnce throws and the key is free again (no 60 s block)', async () => {
    const collection = mongoose.connection.db!.collection<{ _id: string; at: Date }>('test_claims') as unknown as ClaimCollection<{ _id: string; at: Date }> & {
      insertOne: (...args: never[]) => Promise<unknown>;
    };
    let failed: unknown;
    await withLostInsertReply(collection, () =>
      claimOnce(collection, { _id: 'k1', at: new Date() }).catch((err: unknown) => {
        failed = err;
      }),
    );
    expect(failed).to.be.instanceOf(Error);
    expect(await collection.findOne({ _id: 'k1' })).to.equal(null);
    expect((await claimOnce(collection, { _id: 'k1', at: new Date() })).outcome).to.equal('won');
    // Someone else's claim under the same key is never removed by a failed insert.
    let second: unknown;
    await withLostInsertReply(collection, () =>
      claimOnce(collection, { _id: 'k1', at: new Date() }).catch((err: unknown) => {
        second = err;
      }),
    );
    expect(second, 'a duplicate is not an error').to.equal(undefined);
    expect(await collection.findOne({ _id: 'k1' })).to.not.equal(null);
  });

  it('when someone signs in, then the time is recorded beside the user (shown in their detail) and the user document itself is not written', async () => {
    const person = await createUser({ office: world.root, roles: ['admin'], username: 'signer' });
    const before = await User.findById(person._id).select('+passwordHash').lean();
    const token = (await tokenRequest(server.url, 'signer', TEST_PASSWORD).expect(201)).body.token as string;
    const after = await User.findById(person._id).select('+passwordHash').lean();
    expect(after!.updatedAt?.getTime()).to.equal(before!.updatedAt?.getTime());
    expect(after!.__v).to.equal(before!.__v);
    const detail = await request(server.url).get(`/api/v1/users/${person._id}`).set({ Authorization: `Bearer ${token}` }).expect(200);
    expect(detail.body.lastLoginAt, 'shown in the detail').to.be.a('string');
  });

  describe('finding the user', () => {
    let queries: { collection: string; method: string; filter: unknown }[];
    beforeEach(() => {
      queries = [];
      mongoose.set('debug', (collection: string, method: string, filter: unknown) => {
        queries.push({ collection, method, filter });
      });
    });
    afterEach(() => mongoose.set('debug', false));

    /** Reads of the users collection that filter on anything but a single `_id`. */
    const userScans = () =>
      queries.filter(
        (q) =>
          q.collection === 'users' &&
          /^(find|findOne|countDocuments|aggregate)$/.test(q.method) &&
          !(q.filter && typeof q.filter === 'object' && Object.keys(q.filter).join() === '_id' && !isOperator((q.filter as { _id: unknown })._id)),
      );

    it('when people sign in (right, wrong, unknown name), then the users collection is read by _id only', async () => {
      await createUser({ office: world.root, roles: ['monitor'], username: 'reader' });
      // A first lookup may migrate an old database; the test is about the sign-ins after it.
      await tokenRequest(server.url, 'nobody-at-all', 'x').expect(401);
      queries = [];
      await tokenRequest(server.url, 'reader', TEST_PASSWORD).expect(201);
      await tokenRequest(server.url, 'reader', 'wrong-password').expect(401);
      await tokenRequest(server.url, 'no-such-person', 'whatever').expect(401);
      expect(queries.some((q) => q.collection === 'users'), 'the user was read').to.equal(true);
      expect(userScans()).to.deep.equal([]);
    });

    it('when a database has users but no username records (from before them), then sign-in still works, writes the records once, and later sign-ins scan nothing', async () => {
      await createUser({ office: world.root, roles: ['monitor'], username: 'oldtimer' });
      await mongoose.connection.db!.collection(USERNAMES_COLLECTION).deleteMany({});
      await tokenRequest(server.url, 'oldtimer', TEST_PASSWORD).expect(201);
      const record = await mongoose.connection.db!.collection<{ _id: string; user: unknown }>(USERNAMES_COLLECTION).findOne({ _id: 'oldtimer' });
      expect(record, 'the record was written').to.not.equal(null);
      queries = [];
      await tokenRequest(server.url, 'oldtimer', TEST_PASSWORD).expect(201);
      await tokenRequest(server.url, 'stranger', 'x').expect(401);
      expect(userScans()).to.deep.equal([]);
    });

    it('when two people are created with one username at once, then exactly one is created and the name leads to them', async () => {
      const attempts = await Promise.allSettled([0, 1, 2, 3].map(() => createUser({ office: world.root, roles: ['monitor'], username: 'twin' })));
      expect(attempts.filter((a) => a.status === 'fulfilled')).to.have.length(1);
      await tokenRequest(server.url, 'twin', TEST_PASSWORD).expect(201);
    });
  });
});
