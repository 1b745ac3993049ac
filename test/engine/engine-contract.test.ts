// The engine contract: the few behaviours the code relies on, run against whatever engine the tests use
// (the embedded FerretDB by default, or TEST_MONGODB_URI). Each test states what it found.
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { expect } from 'chai';
import mongoose, { Schema } from 'mongoose';
import { GridFSBucket } from 'mongodb';
import { testDatabase } from '../support/db.js';

const found: string[] = [];
const state = (line: string): void => {
  found.push(line);
};

describe('engine contract', () => {
  const db = () => {
    const d = mongoose.connection.db;
    if (!d) throw new Error('not connected');
    return d;
  };

  // FerretDB v1 (the embedded engine) or MongoDB (TEST_MONGODB_URI): the concurrency tests assert what each does.
  let ferret = false;

  before(async () => {
    const info = (await db().admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
    ferret = Boolean(info.ferretdbVersion);
    state(`engine: ${info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}` : 'MongoDB'} (reports MongoDB ${info.version})`);
  });

  after(() => {
    console.log(`\n    What the engine did (${testDatabase().uri.replace(/\/\/.*@/, '//')}):\n${found.map((l) => `      - ${l}`).join('\n')}`);
  });

  it('when 50 clients insert the same unique key at once, 10 times over, then every time exactly one wins and 49 get error 11000', async () => {
    const c = db().collection('contract_unique');
    await c.createIndex({ key: 1 }, { unique: true });
    const winners: number[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const key = `memo-${trial}`;
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => c.insertOne({ key, client: i })));
      const won = results.filter((r) => r.status === 'fulfilled').length;
      const dup = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: number }).code === 11000).length;
      winners.push(won);
      expect([won, dup], `trial ${trial + 1}`).to.deep.equal([1, 49]);
      expect(await c.countDocuments({ key }), `trial ${trial + 1}`).to.equal(1);
    }
    state(`unique index, 10 trials of 50 concurrent inserts of one key: winners per trial ${winners.join(',')}; the rest refused with 11000`);
  });

  it('when a compound unique index is hit concurrently, then one insert per distinct key wins', async () => {
    const c = db().collection('contract_compound');
    await c.createIndex({ register: 1, serial: 1 }, { unique: true });
    const attempts = Array.from({ length: 60 }, (_, i) => ({ register: 'r', serial: (i % 3) + 1 }));
    const results = await Promise.allSettled(attempts.map((a) => c.insertOne({ ...a })));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(3);
    expect((await c.find().toArray()).map((d) => d.serial).sort()).to.deep.equal([1, 2, 3]);
  });

  it('when a document is saved from a stale copy, then mongoose optimistic concurrency throws VersionError', async () => {
    const Thing = mongoose.model('ContractThing', new Schema({ title: String, n: Number }, { optimisticConcurrency: true }));
    const created = await Thing.create({ title: 'a', n: 1 });
    const first = await Thing.findById(created._id).orFail();
    const second = await Thing.findById(created._id).orFail();
    first.set('title', 'b');
    await first.save();
    second.set('n', 2);
    let error: unknown;
    try {
      await second.save();
    } catch (err) {
      error = err;
    }
    state(`optimistic concurrency: stale save → ${(error as Error | undefined)?.name ?? 'no error'}`);
    expect(error).to.be.instanceOf(mongoose.Error.VersionError);
    expect((await Thing.findById(created._id).lean().orFail()).title).to.equal('b');
  });

  it('when the aggregation stages and operators the code uses run, then they give the right answers', async () => {
    // The code may use only these: $match $group($sum, $count) $sort $skip $limit $unwind $project $set $count.
    const c = db().collection('contract_agg');
    await c.insertMany([
      { office: 'a', stage: 'pilot', days: 10, tags: ['x', 'y'] },
      { office: 'a', stage: 'pilot', days: 30, tags: ['x'] },
      { office: 'a', stage: 'idea', days: 5, tags: [] },
      { office: 'b', stage: 'pilot', days: 7, tags: ['y'] },
    ]);
    // One accumulator per $group: see the next test for why.
    const count = await c
      .aggregate<{ _id: string; n: number }>([{ $match: { office: { $in: ['a', 'b'] } } }, { $group: { _id: '$stage', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(count).to.deep.equal([
      { _id: 'idea', n: 1 },
      { _id: 'pilot', n: 3 },
    ]);
    const total = await c.aggregate<{ _id: string; t: number }>([{ $group: { _id: '$stage', t: { $sum: '$days' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(total).to.deep.equal([
      { _id: 'idea', t: 5 },
      { _id: 'pilot', t: 47 },
    ]);
    const counted = await c.aggregate<{ _id: string; c: number }>([{ $group: { _id: '$stage', c: { $count: {} } } }, { $sort: { _id: 1 } }]).toArray();
    expect(counted.map((r) => r.c)).to.deep.equal([1, 3]);
    const byOfficeAndStage = await c
      .aggregate<{ _id: { office: string; stage: string }; n: number }>([
        { $group: { _id: { office: '$office', stage: '$stage' }, n: { $sum: 1 } } },
        { $sort: { '_id.office': 1, '_id.stage': 1 } },
      ])
      .toArray();
    expect(byOfficeAndStage.map((r) => `${r._id.office}/${r._id.stage}=${r.n}`)).to.deep.equal(['a/idea=1', 'a/pilot=2', 'b/pilot=1']);
    const tags = await c
      .aggregate<{ _id: string; n: number }>([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }, { $skip: 1 }, { $limit: 5 }])
      .toArray();
    expect(tags).to.deep.equal([{ _id: 'y', n: 2 }]);
    const [pilots] = await c.aggregate<{ n: number }>([{ $match: { stage: 'pilot' } }, { $count: 'n' }]).toArray();
    expect(pilots?.n).to.equal(3);
    const projected = await c.aggregate([{ $match: { office: 'b' } }, { $project: { _id: 0, office: 1 } }, { $set: { k: 1 } }]).toArray();
    expect(projected).to.deep.equal([{ office: 'b', k: 1 }]);
    state('aggregation: $match $group(one $sum or $count, compound _id) $sort $skip $limit $unwind $project $set $count all correct');
  });

  it('when one $group has several accumulators, then either all are right or (FerretDB v1) only the first is computed', async () => {
    // Measured on FerretDB 1.24.2: every accumulator after the first silently returns 0. A wrong answer with no
    // error is the worst kind, so the rule is: one accumulator per $group stage (or compute in code).
    const c = db().collection('contract_agg');
    const rows = await c
      .aggregate<{ _id: string; n: number; t: number }>([{ $group: { _id: '$stage', n: { $sum: 1 }, t: { $sum: '$days' } } }, { $sort: { _id: 1 } }])
      .toArray();
    const got = rows.map((r) => [r._id, r.n, r.t]);
    const right = [['idea', 1, 5], ['pilot', 3, 47]];
    const firstOnly = [['idea', 1, 0], ['pilot', 3, 0]];
    expect([right, firstOnly]).to.deep.include(got);
    state(`several accumulators in one $group: ${JSON.stringify(got) === JSON.stringify(right) ? 'all computed' : 'ONLY THE FIRST is computed, the rest return 0 silently: use one accumulator per $group'}`);
  });

  it('when other $group accumulators are tried, then the ones this engine lacks are recorded (the code must not use them)', async () => {
    const c = db().collection('contract_agg');
    const missing: string[] = [];
    for (const acc of ['$min', '$max', '$first', '$last', '$push', '$addToSet', '$avg']) {
      try {
        const [row] = await c.aggregate<{ v: unknown }>([{ $match: { office: 'b' } }, { $group: { _id: null, v: { [acc]: '$days' } } }]).toArray();
        // Where an accumulator exists it must be right (one document with days = 7).
        expect(row?.v).to.deep.equal(acc === '$push' || acc === '$addToSet' ? [7] : 7);
      } catch (err) {
        if ((err as { code?: number }).code === undefined) throw err;
        missing.push(acc);
      }
    }
    state(`$group accumulators NOT implemented: ${missing.length ? missing.join(' ') : 'none'} (compute these in code)`);
  });

  it('when an ordered batch insert meets a taken key, then the documents before it are kept and none after it (memo numbers rely on this)', async () => {
    const c = db().collection('contract_ordered');
    await c.insertOne({ _id: 'r:3' } as never);
    const err = await c.insertMany([{ _id: 'r:1' }, { _id: 'r:2' }, { _id: 'r:3' }, { _id: 'r:4' }] as never[], { ordered: true }).catch((e: unknown) => e as { code?: number; writeErrors?: { index: number }[] });
    expect((err as { code?: number }).code).to.equal(11000);
    expect(((err as { writeErrors?: { index: number }[] }).writeErrors ?? [])[0]?.index).to.equal(2);
    expect((await c.find().toArray()).map((d) => d._id).sort()).to.deep.equal(['r:1', 'r:2', 'r:3']);
  });

  it('when an unordered batch insert meets a taken key, then the other documents are still inserted (action items rely on this)', async () => {
    const c = db().collection('contract_unordered');
    await c.insertOne({ _id: 2 } as never);
    const err = await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as never[], { ordered: false }).catch((e: unknown) => e as { code?: number });
    expect((err as { code?: number }).code).to.equal(11000);
    expect((await c.find().toArray()).map((d) => d._id).sort()).to.deep.equal([1, 2, 3]);
  });

  it('when $max is applied with upsert, then the field keeps the larger value (the memo hint relies on this)', async () => {
    const c = db().collection('contract_max');
    for (const last of [5, 3, 9, 4]) await c.updateOne({ _id: 'h' } as never, { $max: { last } }, { upsert: true });
    expect((await c.findOne({ _id: 'h' } as never))?.last).to.equal(9);
  });

  // Up to TRIALS rounds of 50 concurrent updates of one document: on FerretDB v1 an update is read, change in Go,
  // write back, so some round loses updates (that is why hints are probed past and numbers are claimed by insert);
  // on MongoDB every round is exact. The loop stops at the first lost round, so a quick FerretDB run stays quick.
  const TRIALS = 20;

  it('when 50 clients $max one field at once, then on FerretDB some round ends below the largest (not atomic: hints are probed past), on MongoDB every round keeps it', async () => {
    const c = db().collection('contract_max_concurrent');
    const ends: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const _id = `hint-${trial}` as never;
      await c.insertOne({ _id, last: 0 });
      await Promise.all(Array.from({ length: 50 }, (_, i) => c.updateOne({ _id }, { $max: { last: i + 1 } })));
      const last = (await c.findOne({ _id }))?.last as number;
      ends.push(last);
      expect(last, `trial ${trial + 1}`).to.be.within(1, 50);
      if (!ferret) expect(last, `trial ${trial + 1} on MongoDB`).to.equal(50);
      else if (last < 50) break;
    }
    state(`$max from 50 concurrent clients (1..50), ${ends.length} round(s): ended at ${ends.join(',')} (${ends.some((e) => e < 50) ? 'NOT atomic: a smaller value can win' : 'kept the largest every time'})`);
    if (ferret) expect(ends.some((e) => e < 50), `FerretDB kept the largest in all ${TRIALS} rounds: ${ends.join(',')}`).to.equal(true);
  });

  it('when documents are read by a list of ids, then one {_id} read each returns them all; {_id: {$in}} is timed against it (findByIds relies on this)', async () => {
    const c = db().collection('contract_in');
    const docs = Array.from({ length: 5000 }, (_, i) => ({ _id: new mongoose.Types.ObjectId(), n: i, pad: 'x'.repeat(200) }));
    for (let i = 0; i < docs.length; i += 1000) await c.insertMany(docs.slice(i, i + 1000));
    const ids = [docs[3]!._id, docs[2500]!._id, docs[4999]!._id];
    const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
      const t = performance.now();
      const r = await f();
      return [r, performance.now() - t];
    };
    await c.findOne({ _id: ids[0] }); // warm
    const [each, eachMs] = await time(() => Promise.all(ids.map((id) => c.findOne({ _id: id }))));
    const [listed, inMs] = await time(() => c.find({ _id: { $in: ids } }).toArray());
    state(`3 documents of 5,000 by id: three {_id} reads ${eachMs.toFixed(0)} ms, one {_id: {$in}} ${inMs.toFixed(0)} ms (${inMs > 3 * eachMs ? 'a collection scan: read by _id one at a time' : 'an index lookup here'})`);
    expect(each.map((d) => d?.n)).to.deep.equal([3, 2500, 4999]);
    expect(listed.map((d) => d.n).sort((a, b) => a - b)).to.deep.equal([3, 2500, 4999]);
  });

  it('when a file goes through GridFS, then the same bytes come back', async () => {
    const bucket = new GridFSBucket(db(), { bucketName: 'contract' });
    const bytes = Buffer.alloc(600_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 251;
    const id = await new Promise<unknown>((resolve, reject) => {
      const upload = bucket.openUploadStream('file.bin', { chunkSizeBytes: 255 * 1024 });
      Readable.from([bytes]).pipe(upload).on('finish', () => resolve(upload.id)).on('error', reject);
    });
    const back = await buffer(bucket.openDownloadStream(id as never));
    state(`GridFS: ${bytes.length} bytes in ${Math.ceil(bytes.length / (255 * 1024))} chunks round-tripped intact: ${back.equals(bytes)}`);
    expect(back.equals(bytes)).to.equal(true);
  });

  it('when 50 clients $inc one counter at once, then on FerretDB some round hands out repeated values and loses increments (never use $inc for numbers), on MongoDB every round is exact', async () => {
    const c = db().collection('contract_inc');
    const rounds: { distinct: number; final: number }[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const _id = `counter-${trial}` as never;
      await c.insertOne({ _id, seq: 0 });
      const values = await Promise.all(Array.from({ length: 50 }, () => c.findOneAndUpdate({ _id }, { $inc: { seq: 1 } }, { returnDocument: 'after' })));
      const distinct = new Set(values.map((v) => v?.seq)).size;
      const final = (await c.findOne({ _id }))?.seq as number;
      rounds.push({ distinct, final });
      expect(final, `trial ${trial + 1}`).to.be.within(1, 50);
      if (!ferret) expect({ distinct, final }, `trial ${trial + 1} on MongoDB`).to.deep.equal({ distinct: 50, final: 50 });
      else if (distinct < 50 || final < 50) break;
    }
    const lost = rounds.some((r) => r.distinct < 50 || r.final < 50);
    state(`$inc read-modify-write, 50 concurrent, ${rounds.length} round(s): distinct values returned ${rounds.map((r) => r.distinct).join(',')}, counter ended at ${rounds.map((r) => r.final).join(',')} (${lost ? 'NOT atomic: never use $inc for numbers that must not repeat' : 'atomic here'})`);
    if (ferret) expect(lost, `FerretDB was exact in all ${TRIALS} rounds`).to.equal(true);
  });

  it('when a multi-document transaction is tried, then it either commits whole or leaves nothing behind', async () => {
    const session = mongoose.connection.getClient().startSession();
    let outcome = 'supported';
    try {
      await session.withTransaction(async () => {
        await db().collection('contract_tx').insertOne({ a: 1 }, { session });
      });
    } catch (err) {
      outcome = `refused (${(err as Error).message.slice(0, 60)})`;
    } finally {
      await session.endSession();
    }
    const left = await db().collection('contract_tx').countDocuments({});
    state(`transactions: ${outcome}; documents left: ${left}`);
    expect(left).to.equal(outcome === 'supported' ? 1 : 0);
  });
});
