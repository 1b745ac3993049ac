// Backup and restore through the driver, on the run's real engine: a database full of awkward types goes out
// to an archive and comes back into an empty database identical; a non-empty target is refused untouched;
// the write pause refuses changes over HTTP while it is up.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import express from 'express';
import mongoose from 'mongoose';
import { Binary, BSON, Decimal128, Double, GridFSBucket, Int32, Long, ObjectId, type Db, type Document } from 'mongodb';
import request from 'supertest';
import {
  BackupError,
  EXIT,
  backupDatabase,
  claimWritePause,
  readBackupHeader,
  restoreDatabase,
  type BackupReport,
} from '../../scripts/lib/backup-format.js';
import { errorHandler } from '../../src/platform/http/error-handler.js';
import {
  MAINTENANCE_COLLECTION,
  WRITE_PAUSE_ID,
  createWritePauseCheck,
  writePauseMiddleware,
  type WritePauseRecord,
} from '../../src/platform/http/write-pause.js';
import { testDatabase } from '../support/db.js';

const { EJSON } = BSON;

const YA_PRECOMPOSED = '\u09DF'; // য় as one code point
const YA_DECOMPOSED = '\u09AF\u09BC'; // য + nukta

/** Everything in a database except the maintenance records: documents (canonical EJSON, sorted by _id) and indexes. */
async function snapshot(db: Db, { withMaintenance = false } = {}): Promise<Record<string, { docs: string[]; indexes: Document[] }>> {
  const out: Record<string, { docs: string[]; indexes: Document[] }> = {};
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  for (const name of names) {
    if (name.startsWith('system.') || (!withMaintenance && name === MAINTENANCE_COLLECTION)) continue;
    const docs = await db.collection(name).find({}, { promoteValues: false, promoteLongs: false, bsonRegExp: true }).toArray();
    const lines = docs
      .map((d) => ({ id: EJSON.stringify(d._id as Document, { relaxed: false }), line: EJSON.stringify(d, { relaxed: false }) }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((x) => x.line);
    const indexes = (await db.collection(name).listIndexes().toArray())
      .map((i) => ({ name: i.name as string, key: Object.entries(i.key as Document), unique: i.unique === true }))
      .sort((a, b) => a.name.localeCompare(b.name));
    out[name] = { docs: lines, indexes };
  }
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('backup and restore (npm run backup / restore)', function () {
  this.timeout(120_000);
  const client = () => mongoose.connection.getClient();
  const base = () => testDatabase().dbName;
  let dbA: Db;
  let dbB: Db;
  let dir: string;
  let report: BackupReport;
  const fileBytes = crypto.randomBytes(700 * 1024 + 123); // three GridFS chunks and a bit
  let fileId: ObjectId;
  let decimals = false; // Decimal128 is stored only when the engine has it

  before(async () => {
    dbA = client().db(`${base()}_bka`);
    dbB = client().db(`${base()}_bkb`);
    dir = fs.mkdtempSync(path.join(testDatabase().tmpDir, 'backups-'));

    // offices: nested documents, ObjectIds, Dates, Bangla (both forms of য়), a unique and a compound index.
    const offices = dbA.collection('offices');
    await offices.createIndex({ code: 1 }, { unique: true, name: 'code_unique' });
    await offices.createIndex({ ministry: 1, serial: -1 }, { name: 'ministry_serial' });
    const parent = new ObjectId();
    await offices.insertMany([
      {
        _id: parent,
        code: 'MOPA',
        name: { bn: `জনপ্রশাসন মন্ত্রণালয় (${YA_PRECOMPOSED})`, en: 'Ministry of Public Administration' },
        ministry: 'mopa',
        serial: 1,
        createdAt: new Date('2024-07-01T04:30:00.123Z'),
      },
      {
        code: 'DC-RANGPUR',
        name: { bn: `জেলা প্রশাসকের কার্যালয়, রংপুর ${YA_DECOMPOSED}`, en: 'Deputy Commissioner, Rangpur' },
        parent,
        ministry: 'mopa',
        serial: 2,
        address: { division: { iso: 'BD-F', name: 'রংপুর' }, lines: ['কালেক্টরেট ভবন', { floor: 2, rooms: [201, 202] }] },
        createdAt: new Date('1971-12-16T00:00:00Z'),
        tags: [],
        nothing: null,
      },
    ]);

    // ledger: numeric types that JSON cannot tell apart. FerretDB v1 has no Decimal128 (it drops the
    // connection) and refuses NaN/Infinity, so those are stored only on MongoDB.
    const info = (await dbA.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string };
    decimals = !info.ferretdbVersion;
    await dbA.collection('ledger').insertMany([
      {
        _id: 1 as unknown as ObjectId,
        big: Long.fromString('9007199254740993'),
        dbl: new Double(5),
        i32: new Int32(5),
        neg: -0.5,
        ...(decimals ? { amount: Decimal128.fromString('1234567.89') } : {}),
      },
      {
        _id: 'two' as unknown as ObjectId,
        big: Long.fromNumber(-1),
        ...(decimals ? { amount: Decimal128.fromString('-0.000001'), nan: NaN, inf: -Infinity } : {}),
      },
    ]);

    // blobs: binary data of several subtypes.
    await dbA.collection('blobs').insertMany([
      { kind: 'generic', data: new Binary(crypto.randomBytes(1000)) },
      { kind: 'uuid', data: new Binary(crypto.randomBytes(16), Binary.SUBTYPE_UUID) },
      { kind: 'empty', data: new Binary(Buffer.alloc(0)) },
    ]);

    // events: enough documents for more than one insert batch.
    await dbA
      .collection('events')
      .insertMany(
        Array.from({ length: 2_345 }, (_, i) => ({ seq: i, at: new Date(Date.UTC(2025, 0, 1) + i * 60_000), note: `ঘটনা ${i}` })),
      );

    // an empty collection with an index of its own.
    await dbA.createCollection('empty_things');
    await dbA.collection('empty_things').createIndex({ slug: 1 }, { unique: true, name: 'slug_unique' });

    // a GridFS file.
    const bucket = new GridFSBucket(dbA, { bucketName: 'attachments' });
    const upload = bucket.openUploadStream('কার্যবিবরণী.pdf', { metadata: { office: parent } });
    await pipeline(Readable.from([fileBytes]), upload);
    fileId = upload.id as ObjectId;
  });

  after(async () => {
    await dbA.dropDatabase().catch(() => undefined);
    await dbB.dropDatabase().catch(() => undefined);
  });

  it('when database A is backed up, then the archive has a udbhabon header listing every collection with its count and indexes', async () => {
    report = await backupDatabase({ db: dbA, file: path.join(dir, 'a.udbk.gz'), settleMs: 200 });
    const header = await readBackupHeader(report.file);
    expect(header.format).to.equal('udbhabon-backup');
    expect(header.version).to.equal(1);
    expect(header.db).to.equal(dbA.databaseName);
    const counts = Object.fromEntries(header.collections.map((c) => [c.name, c.count]));
    expect(counts).to.deep.equal({
      'attachments.chunks': 3,
      'attachments.files': 1,
      blobs: 3,
      empty_things: 0,
      events: 2_345,
      ledger: 2,
      offices: 2,
    });
    const officeIndexes = header.collections.find((c) => c.name === 'offices')!.indexes;
    expect(officeIndexes.map((i) => i.name).sort()).to.deep.equal(['code_unique', 'ministry_serial']);
    expect(officeIndexes.find((i) => i.name === 'code_unique')!.unique).to.equal(true);
    expect(report.documents).to.equal(2_356);
    // the pause is gone and its collection was not backed up
    expect(await dbA.collection(MAINTENANCE_COLLECTION).countDocuments({})).to.equal(0);
  });

  it('when it is restored into empty database B, then every document, index and the GridFS file are identical', async () => {
    const restored = await restoreDatabase({ db: dbB, file: report.file });
    expect(restored.documents).to.equal(2_356);

    const a = await snapshot(dbA);
    const b = await snapshot(dbB);
    expect(Object.keys(b)).to.deep.equal(Object.keys(a));
    for (const name of Object.keys(a)) {
      expect(b[name]!.docs, `documents of ${name}`).to.deep.equal(a[name]!.docs);
      expect(b[name]!.indexes, `indexes of ${name}`).to.deep.equal(a[name]!.indexes);
    }

    const offices = b.offices!.indexes;
    expect(offices.find((i) => i.name === 'code_unique')).to.deep.include({ unique: true, key: [['code', 1]] });
    expect(offices.find((i) => i.name === 'ministry_serial')).to.deep.include({
      unique: false,
      key: [
        ['ministry', 1],
        ['serial', -1],
      ],
    });
    expect(b.empty_things!.indexes.find((i) => i.name === 'slug_unique')).to.deep.include({ unique: true });
    const dup = await rejection(dbB.collection('offices').insertOne({ code: 'MOPA' }));
    expect((dup as { code?: number }).code).to.equal(11000);

    const ledger = await dbB.collection('ledger').findOne({ _id: 1 as unknown as ObjectId }, { promoteValues: false });
    expect(ledger!.dbl).to.be.instanceOf(Double);
    expect(ledger!.i32).to.be.instanceOf(Int32);
    expect((ledger!.big as Long).toString()).to.equal('9007199254740993');
    if (decimals) expect((ledger!.amount as Decimal128).toString()).to.equal('1234567.89');

    const names = (await dbB.collection('offices').find({}).toArray()).map((o) => (o.name as { bn: string }).bn);
    expect(names.some((n) => n.includes(YA_PRECOMPOSED))).to.equal(true);
    expect(names.some((n) => n.includes(YA_DECOMPOSED))).to.equal(true);

    const bucket = new GridFSBucket(dbB, { bucketName: 'attachments' });
    const back = await buffer(bucket.openDownloadStream(fileId));
    expect(back.equals(fileBytes)).to.equal(true);
    const [info] = await bucket.find({ _id: fileId }).toArray();
    expect(info!.filename).to.equal('কার্যবিবরণী.pdf');
  });

  it('when B is restored into a second time, then it is refused with exit code 2 and nothing changes', async () => {
    const before = await snapshot(dbB, { withMaintenance: true });
    const err = await rejection(restoreDatabase({ db: dbB, file: report.file }));
    expect(err).to.be.instanceOf(BackupError);
    expect((err as BackupError).exitCode).to.equal(EXIT.refused);
    expect((err as BackupError).messages.en).to.match(/not empty/);
    expect((err as BackupError).messages.bn).to.match(/খালি নয়/);
    expect(await snapshot(dbB, { withMaintenance: true })).to.deep.equal(before);
  });

  it('when the file is not a backup, or is cut short, then it is rejected before the database is touched', async () => {
    const empty = client().db(`${base()}_bkc`);
    try {
      const plain = path.join(dir, 'notes.txt');
      fs.writeFileSync(plain, 'hello\n');
      const otherGzip = path.join(dir, 'other.json.gz');
      fs.writeFileSync(otherGzip, gzipSync('{"format":"something-else"}\n'));
      const truncated = path.join(dir, 'truncated.udbk.gz');
      const whole = fs.readFileSync(report.file);
      fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.8)));

      for (const file of [plain, otherGzip, path.join(dir, 'missing.udbk.gz')]) {
        const err = await rejection(restoreDatabase({ db: empty, file }));
        expect(err, file).to.be.instanceOf(BackupError);
        expect((err as BackupError).exitCode).to.equal(EXIT.badFile);
      }
      const err = await rejection(restoreDatabase({ db: empty, file: truncated }));
      expect((err as BackupError).exitCode).to.equal(EXIT.badFile);
      expect((err as BackupError).messages.en).to.match(/damaged or incomplete/);
      const left = (await empty.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(left).to.deep.equal([]);
    } finally {
      await empty.dropDatabase().catch(() => undefined);
    }
  });

  it('when another backup holds the write pause, then a second backup is refused as busy', async () => {
    const held = await claimWritePause(dbA, 'backup');
    try {
      const err = await rejection(backupDatabase({ db: dbA, file: path.join(dir, 'second.udbk.gz'), settleMs: 0 }));
      expect((err as BackupError).exitCode).to.equal(EXIT.busy);
      expect(fs.existsSync(path.join(dir, 'second.udbk.gz'))).to.equal(false);
    } finally {
      await held.release();
    }
    expect(await dbA.collection(MAINTENANCE_COLLECTION).countDocuments({})).to.equal(0);
  });

  describe('write pause middleware', () => {
    const ttlMs = 100;
    let app: express.Express;
    const pauses = () => dbA.collection<WritePauseRecord>(MAINTENANCE_COLLECTION);

    before(() => {
      app = express();
      app.use(express.json());
      app.use(writePauseMiddleware(createWritePauseCheck(() => dbA, ttlMs)));
      app.get('/api/things', (_req, res) => {
        res.json({ things: [] });
      });
      app.post('/api/things', (_req, res) => {
        res.status(201).json({ ok: true });
      });
      app.use(errorHandler);
    });

    afterEach(async () => {
      await pauses().deleteMany({});
    });

    it('when the record is up, then a POST gets 503 write_paused with Retry-After and a GET passes; once removed, the POST passes', async () => {
      await pauses().insertOne({ _id: WRITE_PAUSE_ID, reason: 'backup', until: new Date(Date.now() + 60_000) });
      await new Promise((r) => setTimeout(r, ttlMs + 20));

      const refused = await request(app).post('/api/things').send({ name: 'x' });
      expect(refused.status).to.equal(503);
      expect(refused.headers['retry-after']).to.equal('30');
      expect(refused.body.error.code).to.equal('write_paused');
      expect(refused.body.error.message).to.equal(refused.body.error.messages.bn);
      expect(refused.body.error.messages.bn).to.match(/ব্যাকআপ চলছে/);
      expect(refused.body.error.messages.en).to.match(/backup is running/);

      expect((await request(app).get('/api/things')).status).to.equal(200);

      await pauses().deleteOne({ _id: WRITE_PAUSE_ID });
      await new Promise((r) => setTimeout(r, ttlMs + 20));
      expect((await request(app).post('/api/things').send({ name: 'x' })).status).to.equal(201);
    });

    it('when the record has expired (a backup that was killed), then writes pass', async () => {
      await pauses().insertOne({ _id: WRITE_PAUSE_ID, reason: 'backup', until: new Date(Date.now() - 1_000) });
      await new Promise((r) => setTimeout(r, ttlMs + 20));
      expect((await request(app).post('/api/things').send({})).status).to.equal(201);
    });
  });
});
