// Engine contract, property 0 of database.md: an unacknowledged write (w: 0) desynchronises FerretDB 1.24's
// replies on that connection, so the connection guard (src/platform/db/write-guard.ts) refuses every w: 0
// write before it is sent. The desync is shown on a client without the guard (a child process that never loads
// the guard), and its absence through the guard in this process (where the guard is installed by connection.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import mongoose, { Schema } from 'mongoose';
import { MongoClient } from 'mongodb';
import { PROJECT_ROOT } from '../../src/config.js';
import { UnacknowledgedWriteError, assertAcknowledgedClient, isUnacknowledgedWriteRefusal } from '../../src/platform/db/write-guard.js';
import { testDatabase } from '../support/db.js';

const run = promisify(execFile);

const DOCS = [
  { _id: 'a', v: 1 },
  { _id: 'b', v: 2 },
  { _id: 'c', v: 3 },
];

interface Read {
  id: string;
  got?: unknown;
  error?: string;
}

// Plain driver code, run by `node` in its own process: nothing there installs the guard.
const UNGUARDED_PROBE = `
import { MongoClient } from 'mongodb';
const [uri, dbName, name] = process.argv.slice(1);
const client = new MongoClient(uri, { maxPoolSize: 1 });
await client.connect();
const c = client.db(dbName).collection(name);
await c.deleteMany({});
await c.insertMany(${JSON.stringify(DOCS)});
const ack = await c.deleteMany({ v: 99 }, { writeConcern: { w: 0 } });
const reads = [];
for (const id of ['a', 'b', 'c']) {
  try { reads.push({ id, got: await c.findOne({ _id: id }) }); } catch (e) { reads.push({ id, error: String(e.message) }); }
}
await client.close(true);
console.log(JSON.stringify({ acknowledged: ack.acknowledged, reads }));
`;

function wrongReads(reads: Read[]): Read[] {
  return reads.filter((r) => r.error !== undefined || (r.got as { _id?: string } | null)?._id !== r.id);
}

function describeReads(reads: Read[]): string {
  return reads.map((r) => `findOne(${r.id}) → ${r.error !== undefined ? `error "${r.error}"` : JSON.stringify(r.got)}`).join('; ');
}

describe('engine contract: unacknowledged writes (w: 0)', () => {
  let isFerret = false;
  const found: string[] = [];

  before(async () => {
    const info = (await mongoose.connection.db!.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string };
    isFerret = Boolean(info.ferretdbVersion);
  });

  after(() => {
    console.log(`\n    What the engine and the guard did:\n${found.map((l) => `      - ${l}`).join('\n')}`);
  });

  it('when a client without the guard sends a w: 0 deleteMany on a one-connection pool, then on FerretDB the next reads get another request\'s answer', async function () {
    this.timeout(60_000);
    const { uri, dbName } = testDatabase();
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', UNGUARDED_PROBE, uri, dbName, 'contract_w0_unguarded'], { cwd: PROJECT_ROOT, timeout: 50_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { acknowledged: boolean; reads: Read[] };
    const wrong = wrongReads(result.reads);
    found.push(`without the guard, after deleteMany(w: 0): ${describeReads(result.reads)} (${wrong.length} of 3 wrong)`);
    expect(result.acknowledged).to.equal(false);
    if (isFerret) {
      // The desync the guard exists for: the reply to the unacknowledged delete is read as the next answer.
      expect(wrong.length, describeReads(result.reads)).to.be.greaterThan(0);
    } else {
      expect(wrong, describeReads(result.reads)).to.deep.equal([]);
    }
  });

  it('when a raw driver client in this process sends a w: 0 deleteMany, then it is refused before sending, nothing is deleted and the next reads are right', async () => {
    const { uri, dbName } = testDatabase();
    const client = new MongoClient(uri, { maxPoolSize: 1 });
    try {
      const c = client.db(dbName).collection<{ _id: string; v: number }>('contract_w0_guarded');
      await c.deleteMany({});
      await c.insertMany(DOCS);
      let error: unknown;
      try {
        await c.deleteMany({}, { writeConcern: { w: 0 } });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(UnacknowledgedWriteError);
      expect((error as Error).message).to.include('delete on').and.include('contract_w0_guarded');
      const reads: Read[] = [];
      for (const id of ['a', 'b', 'c']) reads.push({ id, got: await c.findOne({ _id: id }) });
      found.push(`through the guard: deleteMany(w: 0) refused ("${(error as Error).message.slice(0, 80)}…"); ${describeReads(reads)}`);
      expect(wrongReads(reads)).to.deep.equal([]);
      expect(await c.countDocuments({})).to.equal(3);
    } finally {
      await client.close();
    }
  });

  it('when the app\'s own connection is asked for w: 0 through mongoose, the raw collection, db.command or bulkWrite, then each is refused and nothing changes', async () => {
    const Probe = mongoose.model('ContractW0', new Schema<{ _id: string; v: number }>({ _id: String, v: Number }), 'contract_w0_mongoose');
    await Probe.deleteMany({});
    await Probe.insertMany(DOCS);
    const w0 = { writeConcern: { w: 0 as const } };
    const raw = mongoose.connection.db!.collection<{ _id: string; v: number }>('contract_w0_mongoose');
    const attempts: [string, () => Promise<unknown>][] = [
      ['Model.deleteMany().setOptions(w: 0)', () => Probe.deleteMany({}).setOptions(w0).exec()],
      ['Model.updateMany(w: 0)', () => Probe.updateMany({}, { $set: { v: 0 } }).setOptions(w0).exec()],
      ['Model.insertMany(w: 0)', () => Probe.insertMany([{ _id: 'd', v: 4 }], w0 as never)],
      ['connection.db.collection().deleteMany(w: 0)', () => raw.deleteMany({}, w0)],
      ['collection.insertOne(w: 0)', () => raw.insertOne({ _id: 'e', v: 5 }, w0)],
      ['collection.bulkWrite(w: 0)', () => raw.bulkWrite([{ deleteOne: { filter: { _id: 'a' } } }], w0)],
      ['db.command({ delete, writeConcern: w: 0 })', () => mongoose.connection.db!.command({ delete: 'contract_w0_mongoose', deletes: [{ q: {}, limit: 0 }], writeConcern: { w: 0 } })],
    ];
    const refused: string[] = [];
    for (const [name, attempt] of attempts) {
      const outcome = await attempt().then(
        () => 'sent',
        (err: unknown) => (isUnacknowledgedWriteRefusal(err) ? 'refused' : `failed otherwise: ${(err as Error).message}`),
      );
      expect(outcome, name).to.equal('refused');
      refused.push(name);
    }
    found.push(`refused on the app's connection: ${refused.join(', ')}`);
    const left = await Probe.find({}).sort({ _id: 1 }).lean();
    expect(left.map((d) => [d._id, d.v])).to.deep.equal(DOCS.map((d) => [d._id, d.v]));
    // The connection still answers correctly: one read per record, each its own.
    for (const d of DOCS) expect((await raw.findOne({ _id: d._id }))?.v).to.equal(d.v);
  });

  it('when a connection string asks for w=0 on every write, then the client is refused at connect', () => {
    const uri = new URL(testDatabase().uri);
    uri.searchParams.set('w', '0');
    expect(() => assertAcknowledgedClient(new MongoClient(uri.href))).to.throw(UnacknowledgedWriteError, /w: 0/);
    expect(() => assertAcknowledgedClient(new MongoClient(testDatabase().uri, { writeConcern: { w: 0 } }))).to.throw(UnacknowledgedWriteError);
    expect(() => assertAcknowledgedClient(new MongoClient(testDatabase().uri))).not.to.throw();
  });
});
