// The backup archive and the two operations on it, through the driver only (any MongoDB-compatible engine).
//
// File: a gzip stream of JSON lines (`zcat FILE | head -1` shows the header).
//   line 1:  { "format": "udbhabon-backup", "version": 1, "db", "createdAt",
//              "collections": [{ "name", "count", "indexes": [listIndexes specs without _id_, relaxed EJSON] }] }
//   then:    { "c": "<collection>", "d": <the document in canonical EJSON> }   (one line per document)
// The header's counts are those of the lines that follow: the documents are streamed to a temporary gzip
// member first, then a header member is written in front of it (concatenated gzip members are one gzip
// stream to every reader) and the file is renamed into place, so a file with the final name is complete.
//
// Documents are read with promoteValues: false, so int32/double/int64 stay what they were (5.0 does not come
// back as int 5) and canonical EJSON keeps every BSON type.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipelineCb } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip, createGzip, gzipSync } from 'node:zlib';
import { BSON, type Db, type Document, type IndexDescription } from 'mongodb';
import { z } from 'zod';
import { dhakaPartsOf } from '../../src/lib/dhaka-time.js';
import type { Message } from '../../src/kernel/errors.js';
import { MAINTENANCE_COLLECTION, WRITE_PAUSE_ID, type WritePauseRecord } from '../../src/platform/http/write-pause.js';

// mongodb 7 re-exports bson as the BSON namespace (not EJSON by name); bson itself is not a direct dependency.
const { EJSON } = BSON;

export const BACKUP_FORMAT = 'udbhabon-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_EXTENSION = '.udbk.gz';

/** Exit codes of `npm run backup` / `npm run restore`. */
export const EXIT = {
  ok: 0,
  failed: 1,
  /** restore: the target database is not empty. */
  refused: 2,
  /** restore: the file is not a udbhabon backup, or it is damaged. */
  badFile: 3,
  /** restore: the document counts after the restore differ from the header. */
  mismatch: 4,
  /** another backup or restore holds the write pause of this database. */
  busy: 5,
  usage: 64,
  interrupted: 130,
} as const;

export interface BackupCollection {
  name: string;
  count: number;
  indexes: Document[];
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  db: string;
  createdAt: string;
  collections: BackupCollection[];
}

/** A failure with a message for the operator (Bangla first, English alongside) and an exit code. */
export class BackupError extends Error {
  constructor(
    readonly exitCode: number,
    readonly messages: Message,
  ) {
    super(`${messages.bn}\n${messages.en}`);
    this.name = 'BackupError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Progress output

export interface ProgressLog {
  /** A line that stays. */
  line(text: string): void;
  /** A status line that the next status or line replaces (on a terminal; elsewhere printed now and then). */
  status(text: string): void;
}

export const silentLog: ProgressLog = { line() {}, status() {} };

/** Progress on stderr: one line rewritten with \r on a terminal, a plain line every few seconds otherwise. */
export function stderrLog(stream: NodeJS.WriteStream = process.stderr, plainEveryMs = 5_000): ProgressLog {
  const tty = stream.isTTY === true;
  let statusShown = false;
  let lastStatusAt = Date.now(); // off a terminal, short jobs print no status lines at all
  return {
    line(text) {
      if (statusShown) stream.write('\r\x1b[K');
      statusShown = false;
      lastStatusAt = Date.now();
      stream.write(`${text}\n`);
    },
    status(text) {
      const now = Date.now();
      if (tty) {
        if (now - lastStatusAt < 100) return;
        lastStatusAt = now;
        stream.write(`\r\x1b[K${text}`);
        statusShown = true;
      } else if (now - lastStatusAt >= plainEveryMs) {
        lastStatusAt = now;
        stream.write(`${text}\n`);
      }
    },
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const size = (bytes: number): string =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 2 : 1)} MB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------------------
// Write pause (the record the app's writePauseMiddleware reads)

export const WRITE_PAUSE_HOLD_MS = 10 * 60_000;
export const WRITE_PAUSE_REFRESH_MS = 60_000;
/** Time for app instances to notice the pause (their check caches 1 s) and for in-flight writes to finish. */
export const WRITE_PAUSE_SETTLE_MS = 1_500;

export interface WritePause {
  release(): Promise<void>;
}

/**
 * Puts up the write-pause record (refreshed every minute while held). Another holder whose pause has not
 * expired, and whose process is not known to be dead, makes this fail with EXIT.busy.
 */
export async function claimWritePause(db: Db, reason: 'backup' | 'restore', log: ProgressLog = silentLog): Promise<WritePause> {
  const coll = db.collection<WritePauseRecord>(MAINTENANCE_COLLECTION);
  const token = randomUUID();
  const record = (): WritePauseRecord => ({
    _id: WRITE_PAUSE_ID,
    reason,
    until: new Date(Date.now() + WRITE_PAUSE_HOLD_MS),
    startedAt: new Date(),
    token,
    host: os.hostname(),
    pid: process.pid,
  });
  try {
    await coll.insertOne(record());
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const existing = await coll.findOne({ _id: WRITE_PAUSE_ID });
    if (existing && existing.until instanceof Date && existing.until.getTime() > Date.now() && !holderIsDead(existing)) {
      const who = `${existing.reason ?? '?'}${existing.host ? ` on ${existing.host}` : ''}${existing.pid ? ` (pid ${existing.pid})` : ''}`;
      throw new BackupError(EXIT.busy, {
        bn: `অন্য একটি ব্যাকআপ বা রিস্টোর এই ডেটাবেসে চলছে (${who}); এটি ${existing.until.toISOString()} পর্যন্ত থাকবে। সেটি শেষ হলে আবার চেষ্টা করুন।`,
        en: `Another backup or restore is running on this database (${who}) until ${existing.until.toISOString()}. Try again when it has finished.`,
      });
    }
    log.line(`Taking over a write pause left by an earlier run (${existing?.reason ?? '?'}, pid ${existing?.pid ?? '?'}).`);
    await coll.replaceOne({ _id: WRITE_PAUSE_ID }, record(), { upsert: true });
  }
  const timer = setInterval(() => {
    coll
      .updateOne({ _id: WRITE_PAUSE_ID, token }, { $set: { until: new Date(Date.now() + WRITE_PAUSE_HOLD_MS) } })
      .then((r) => {
        if (r.matchedCount === 0) log.line('Warning: the write-pause record was removed by someone else; writes may no longer be paused.');
      })
      .catch((e: unknown) => log.line(`Warning: could not refresh the write pause: ${(e as Error).message}`));
  }, WRITE_PAUSE_REFRESH_MS);
  timer.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await coll.deleteOne({ _id: WRITE_PAUSE_ID, token });
    },
  };
}

function holderIsDead(record: WritePauseRecord): boolean {
  if (record.host !== os.hostname() || typeof record.pid !== 'number' || record.pid === process.pid) return false;
  try {
    process.kill(record.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Backup

/** `udbhabon-<db>-<YYYYMMDD-HHmmss>.udbk.gz`, the time as read on a Dhaka clock (the project's business time). */
export function backupFileName(dbName: string, at: Date): string {
  const p = dhakaPartsOf(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `udbhabon-${dbName}-${p.year}${two(p.month)}${two(p.day)}-${two(p.hour)}${two(p.minute)}${two(p.second)}${BACKUP_EXTENSION}`;
}

/** A path in `dir` for a new backup that does not exist yet (a second backup in the same second gets -2). */
export function newBackupPath(dir: string, dbName: string, at: Date): string {
  const base = backupFileName(dbName, at);
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : base.replace(BACKUP_EXTENSION, `-${i}${BACKUP_EXTENSION}`);
    const file = path.join(dir, name);
    if (!fs.existsSync(file) && !fs.existsSync(`${file}.partial`)) return file;
  }
}

/** The collections a backup holds: every real collection except system.* and the maintenance records. */
export async function backupCollectionNames(db: Db): Promise<string[]> {
  const infos = await db.listCollections({}, { nameOnly: false }).toArray();
  return infos
    .filter((c) => (c.type ?? 'collection') === 'collection')
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.') && name !== MAINTENANCE_COLLECTION)
    .sort();
}

export interface BackupOptions {
  readonly db: Db;
  /** The archive to write; must not exist. Its folder is created. */
  readonly file: string;
  readonly log?: ProgressLog;
  readonly signal?: AbortSignal;
  /** Wait after putting up the write pause (default 1.5 s). */
  readonly settleMs?: number;
  readonly now?: () => Date;
}

export interface BackupReport {
  readonly file: string;
  readonly header: BackupHeader;
  readonly documents: number;
  readonly bytes: number;
  readonly ms: number;
}

export async function backupDatabase(options: BackupOptions): Promise<BackupReport> {
  const { db, file, signal } = options;
  const log = options.log ?? silentLog;
  const started = Date.now();
  if (fs.existsSync(file)) throw new Error(`${file} exists already`);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const bodyTmp = `${file}.body.partial`;
  const fileTmp = `${file}.partial`;

  const pause = await claimWritePause(db, 'backup', log);
  try {
    log.line(`Writes paused (until the backup ends); waiting ${secs(options.settleMs ?? WRITE_PAUSE_SETTLE_MS)} for writes in flight...`);
    await sleep(options.settleMs ?? WRITE_PAUSE_SETTLE_MS, undefined, signal ? { signal } : {});
    const createdAt = (options.now ?? (() => new Date()))();

    const collections: BackupCollection[] = [];
    for (const name of await backupCollectionNames(db)) {
      const specs = await db.collection(name).listIndexes().toArray();
      const indexes = specs
        .filter((s) => s.name !== '_id_')
        .map(({ ns: _ns, ...spec }) => EJSON.serialize(spec, { relaxed: true }) as Document);
      collections.push({ name, count: 0, indexes });
    }
    log.line(`Backing up database "${db.databaseName}": ${collections.length} collections.`);

    const body = async function* (): AsyncGenerator<string> {
      let buffer = '';
      for (const c of collections) {
        const coll = db.collection(c.name);
        const total = await coll.estimatedDocumentCount().catch(() => undefined);
        const of = total === undefined ? '' : ` of ~${fmt(total)}`;
        const cursor = coll.find(
          {},
          {
            // GridFS chunks are up to 255 kB each: small batches keep memory flat.
            batchSize: c.name.endsWith('.chunks') ? 16 : 500,
            promoteValues: false,
            promoteLongs: false,
            bsonRegExp: true,
          },
        );
        try {
          for await (const doc of cursor) {
            signal?.throwIfAborted();
            buffer += `${JSON.stringify({ c: c.name, d: EJSON.serialize(doc, { relaxed: false }) })}\n`;
            c.count++;
            if (buffer.length >= 64 * 1024) {
              yield buffer;
              buffer = '';
            }
            if (c.count % 200 === 0) log.status(`  ${c.name}: ${fmt(c.count)}${of} documents`);
          }
        } finally {
          await cursor.close();
        }
        log.line(`  ${c.name}: ${fmt(c.count)} documents`);
      }
      if (buffer) yield buffer;
    };

    await pipeline(
      Readable.from(body(), { objectMode: false }),
      createGzip(),
      fs.createWriteStream(bodyTmp, { flags: 'wx' }),
      signal ? { signal } : {},
    );

    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      db: db.databaseName,
      createdAt: createdAt.toISOString(),
      collections,
    };
    await fsp.writeFile(fileTmp, gzipSync(`${JSON.stringify(header)}\n`), { flag: 'wx' });
    await pipeline(fs.createReadStream(bodyTmp), fs.createWriteStream(fileTmp, { flags: 'a' }));
    const handle = await fsp.open(fileTmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(fileTmp, file);
    const bytes = (await fsp.stat(file)).size;
    const documents = collections.reduce((sum, c) => sum + c.count, 0);
    return { file, header, documents, bytes, ms: Date.now() - started };
  } finally {
    await fsp.rm(bodyTmp, { force: true });
    await fsp.rm(fileTmp, { force: true });
    await pause.release().catch((err: unknown) => log.line(`Warning: could not remove the write pause: ${(err as Error).message}`));
  }
}

export function describeBackup(report: BackupReport): string {
  const c = report.header.collections;
  return `${c.length} collections, ${fmt(report.documents)} documents, ${size(report.bytes)}, in ${secs(report.ms)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading an archive

const MAX_LINE_CHARS = 64 * 1024 * 1024;

const notABackup = (file: string, why: string): BackupError =>
  new BackupError(EXIT.badFile, {
    bn: `${file} উদ্ভাবন-এর ব্যাকআপ ফাইল নয় (${why})। \`npm run backup\` দিয়ে তৈরি .udbk.gz ফাইলটি দিন।`,
    en: `${file} is not a Udbhabon backup (${why}). Give the .udbk.gz file made by \`npm run backup\`.`,
  });

const damaged = (file: string, why: string): BackupError =>
  new BackupError(EXIT.badFile, {
    bn: `ব্যাকআপ ফাইলটি ক্ষতিগ্রস্ত বা অসম্পূর্ণ: ${file} (${why})। ডেটাবেসে কিছুই বদলানো হয়নি।`,
    en: `The backup file is damaged or incomplete: ${file} (${why}). Nothing was changed in the database.`,
  });

/** The lines of a gzip file, read with backpressure. Gzip and read errors are thrown from the iteration. */
async function* gzipLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  pipelineCb(fs.createReadStream(file), gunzip, () => {
    /* errors reach the reader through gunzip */
  });
  gunzip.setEncoding('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      rest += chunk;
      let start = 0;
      for (let i = rest.indexOf('\n'); i !== -1; i = rest.indexOf('\n', start)) {
        yield rest.slice(start, i);
        start = i + 1;
      }
      rest = rest.slice(start);
      if (rest.length > MAX_LINE_CHARS) throw new Error(`a line longer than ${MAX_LINE_CHARS} characters`);
    }
    if (rest) yield rest;
  } finally {
    gunzip.destroy();
  }
}

const indexSpec = z.record(z.string(), z.unknown()).refine((s) => typeof s.key === 'object' && s.key !== null, 'an index without key');
const headerSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  db: z.string(),
  createdAt: z.string(),
  collections: z.array(z.object({ name: z.string().min(1), count: z.number().int().min(0), indexes: z.array(indexSpec) })),
});

function parseHeader(file: string, line: string | undefined): BackupHeader {
  if (line === undefined) throw notABackup(file, 'empty');
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw notABackup(file, 'the first line is not JSON');
  }
  const o = json as { format?: unknown; version?: unknown };
  if (typeof json !== 'object' || json === null || o.format !== BACKUP_FORMAT) throw notABackup(file, 'no udbhabon-backup header');
  if (typeof o.version !== 'number' || o.version > BACKUP_VERSION) {
    throw new BackupError(EXIT.badFile, {
      bn: `এই ব্যাকআপ ফাইলটি উদ্ভাবন-এর নতুন কোনো সংস্করণে তৈরি (ফরম্যাট ${String(o.version)}); এই সংস্করণ কেবল ফরম্যাট ${BACKUP_VERSION} পড়তে পারে।`,
      en: `This backup was made by a newer version of Udbhabon (format ${String(o.version)}); this version reads format ${BACKUP_VERSION}.`,
    });
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success)
    throw notABackup(file, `bad header: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data as BackupHeader;
}

function readErrorToBackupError(file: string, err: unknown, sawHeader: boolean): unknown {
  if (err instanceof BackupError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
    return new BackupError(EXIT.badFile, {
      bn: `ফাইলটি পড়া যাচ্ছে না: ${file} (${e.code})।`,
      en: `Cannot read the file: ${file} (${e.code}).`,
    });
  }
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return sawHeader ? damaged(file, `gzip: ${e.message}`) : notABackup(file, 'not a gzip file');
  }
  if (!sawHeader) return notABackup(file, e.message);
  return damaged(file, e.message);
}

/** Reads and checks the header only (fast: stops after the first line). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  let first: string | undefined;
  try {
    for await (const line of gzipLines(file)) {
      first = line;
      break;
    }
  } catch (err) {
    throw readErrorToBackupError(file, err, false);
  }
  return parseHeader(file, first);
}

interface Entry {
  c: string;
  d: Document;
}

function parseEntry(line: string, names: ReadonlySet<string>): Entry {
  const entry = JSON.parse(line) as Partial<Entry>;
  if (typeof entry !== 'object' || entry === null || typeof entry.c !== 'string' || typeof entry.d !== 'object' || entry.d === null) {
    throw new Error('a line is not { "c", "d" }');
  }
  if (!names.has(entry.c)) throw new Error(`a document of collection "${entry.c}", which the header does not list`);
  return entry as Entry;
}

/**
 * Reads the whole archive without touching any database: every line parses, every document belongs to a
 * listed collection, the counts match the header and the gzip checksums hold.
 */
export async function verifyBackupFile(file: string, log: ProgressLog = silentLog): Promise<BackupHeader> {
  let header: BackupHeader | undefined;
  const counts = new Map<string, number>();
  let names = new Set<string>();
  let lineNo = 0;
  try {
    for await (const line of gzipLines(file)) {
      lineNo++;
      if (!header) {
        header = parseHeader(file, line);
        names = new Set(header.collections.map((c) => c.name));
        continue;
      }
      if (line === '') continue;
      let entry: Entry;
      try {
        entry = parseEntry(line, names);
        EJSON.deserialize(entry.d, { relaxed: false });
      } catch (err) {
        throw damaged(file, `line ${lineNo}: ${(err as Error).message}`);
      }
      counts.set(entry.c, (counts.get(entry.c) ?? 0) + 1);
      if (lineNo % 1000 === 0) log.status(`  checking the file: ${fmt(lineNo)} lines`);
    }
  } catch (err) {
    throw readErrorToBackupError(file, err, header !== undefined);
  }
  if (!header) throw notABackup(file, 'empty');
  const wrong = header.collections.filter((c) => (counts.get(c.name) ?? 0) !== c.count);
  if (wrong.length > 0) {
    throw damaged(file, wrong.map((c) => `${c.name}: header says ${c.count}, file holds ${counts.get(c.name) ?? 0}`).join('; '));
  }
  return header;
}

// ---------------------------------------------------------------------------------------------------------
// Restore

/** Collections of `db` holding documents (system.* and the maintenance records do not count). */
export async function nonEmptyCollections(db: Db): Promise<string[]> {
  const names = await backupCollectionNames(db);
  const full: string[] = [];
  for (const name of names) {
    // No filter and no sort: stops at the first document, even on an engine without indexes.
    if (await db.collection(name).findOne({}, { projection: { _id: 1 } })) full.push(name);
  }
  return full;
}

export interface RestoreOptions {
  readonly db: Db;
  readonly file: string;
  readonly log?: ProgressLog;
  readonly signal?: AbortSignal;
  /** Documents per insertMany (default 1,000; a batch also ends at 8 MB of JSON). */
  readonly batchSize?: number;
}

export interface RestoreReport {
  readonly header: BackupHeader;
  readonly documents: number;
  readonly ms: number;
}

const MAX_BATCH_CHARS = 8 * 1024 * 1024;

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreReport> {
  const { db, file, signal } = options;
  const log = options.log ?? silentLog;
  const batchSize = options.batchSize ?? 1000;
  const started = Date.now();

  // 1. The whole file is sound (before anything changes).
  const header = await verifyBackupFile(file, log);
  const total = header.collections.reduce((s, c) => s + c.count, 0);
  log.line(`Backup of "${header.db}" made ${header.createdAt}: ${header.collections.length} collections, ${fmt(total)} documents.`);

  // 2. The target is empty.
  const full = await nonEmptyCollections(db);
  if (full.length > 0) {
    throw new BackupError(EXIT.refused, {
      bn: `রিস্টোর করা হয়নি: "${db.databaseName}" ডেটাবেসটি খালি নয় (তথ্য আছে: ${full.join(', ')})। কিছুই বদলানো হয়নি। খালি ডেটাবেসে রিস্টোর করুন (নতুন DATA_DIR বা DB_NAME দিন)।`,
      en: `Not restored: database "${db.databaseName}" is not empty (documents in: ${full.join(', ')}). Nothing was changed. Restore into an empty database (set a new DATA_DIR or DB_NAME).`,
    });
  }

  const pause = await claimWritePause(db, 'restore', log);
  let documents = 0;
  try {
    // 3. Collections and their indexes, before any document.
    const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    for (const c of header.collections) {
      if (c.name.startsWith('system.') || c.name === MAINTENANCE_COLLECTION) continue;
      if (!existing.has(c.name)) await db.createCollection(c.name);
      for (const raw of c.indexes) await ensureIndex(db, c.name, raw, log);
    }
    log.line(`Collections and indexes in place in "${db.databaseName}".`);

    // 4. Documents, in ordered batches.
    const names = new Set(header.collections.map((c) => c.name));
    const done = new Map<string, number>();
    let batch: Document[] = [];
    let batchChars = 0;
    let current: string | undefined;
    const flush = async (): Promise<void> => {
      if (!current || batch.length === 0) return;
      await db.collection(current).insertMany(batch, { ordered: true });
      documents += batch.length;
      done.set(current, (done.get(current) ?? 0) + batch.length);
      const count = header.collections.find((c) => c.name === current)?.count ?? 0;
      log.status(`  ${current}: ${fmt(done.get(current) ?? 0)} of ${fmt(count)} documents`);
      batch = [];
      batchChars = 0;
    };
    const finish = (name: string | undefined): void => {
      if (name !== undefined) log.line(`  ${name}: ${fmt(done.get(name) ?? 0)} documents`);
    };
    let first = true;
    try {
      for await (const line of gzipLines(file)) {
        if (first) {
          first = false;
          continue;
        }
        if (line === '') continue;
        signal?.throwIfAborted();
        const entry = parseEntry(line, names);
        if (entry.c.startsWith('system.') || entry.c === MAINTENANCE_COLLECTION) continue;
        if (entry.c !== current) {
          await flush();
          finish(current);
          current = entry.c;
        }
        batch.push(EJSON.deserialize(entry.d, { relaxed: false }) as Document);
        batchChars += line.length;
        if (batch.length >= batchSize || batchChars >= MAX_BATCH_CHARS) await flush();
      }
      await flush();
      finish(current);
    } catch (err) {
      throw partlyRestored(db, err);
    }

    // 5. Counts.
    const mismatches: string[] = [];
    for (const c of header.collections) {
      if (c.name.startsWith('system.') || c.name === MAINTENANCE_COLLECTION) continue;
      const n = await db.collection(c.name).countDocuments({});
      if (n !== c.count) mismatches.push(`${c.name}: expected ${c.count}, found ${n}`);
    }
    if (mismatches.length > 0) {
      throw new BackupError(EXIT.mismatch, {
        bn: `রিস্টোর শেষে সংখ্যা মেলেনি: ${mismatches.join('; ')}। ডেটাবেসটি আংশিক বা ভুল অবস্থায় আছে।`,
        en: `The counts after the restore do not match the backup: ${mismatches.join('; ')}. The database is in a partial or wrong state.`,
      });
    }
  } finally {
    await pause.release().catch((err: unknown) => log.line(`Warning: could not remove the write pause: ${(err as Error).message}`));
  }
  return { header, documents, ms: Date.now() - started };
}

function partlyRestored(db: Db, err: unknown): unknown {
  if ((err as Error).name === 'AbortError') return err;
  return new BackupError(EXIT.failed, {
    bn: `রিস্টোর মাঝপথে থেমে গেছে: ${(err as Error).message}। "${db.databaseName}" ডেটাবেসে এখন আংশিক তথ্য আছে; আবার চেষ্টার আগে সেটি খালি করুন (যেমন নতুন DATA_DIR)।`,
    en: `The restore stopped part-way: ${(err as Error).message}. Database "${db.databaseName}" now holds part of the data; empty it (e.g. a new DATA_DIR) before trying again.`,
  });
}

/** Creates an index from a header spec; an existing index of the same name or key with other options is replaced (the collection is empty). */
async function ensureIndex(db: Db, collection: string, raw: Document, log: ProgressLog): Promise<void> {
  const { v: _v, ns: _ns, background: _bg, ...spec } = EJSON.deserialize(raw, { relaxed: true }) as Document;
  const description = spec as IndexDescription;
  const coll = db.collection(collection);
  try {
    await coll.createIndexes([description]);
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code !== 85 && code !== 86) throw err;
    const keyOf = (k: unknown): string => JSON.stringify(k);
    const clash = (await coll.listIndexes().toArray()).find(
      (i) => i.name !== '_id_' && (i.name === description.name || keyOf(i.key) === keyOf(description.key)),
    );
    if (!clash) throw err;
    log.line(`  ${collection}: replacing index ${String(clash.name)} with the backup's ${String(description.name)}`);
    await coll.dropIndex(String(clash.name));
    await coll.createIndexes([description]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shared by the two commands

/** Runs body with an AbortSignal that Ctrl-C / SIGTERM trigger (so the write pause is removed on the way out). */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Prints a command's failure and returns its exit code. */
export function reportFailure(what: 'Backup' | 'Restore', err: unknown, log: ProgressLog): number {
  if (err instanceof BackupError) {
    log.line(err.message);
    return err.exitCode;
  }
  if ((err as Error | undefined)?.name === 'AbortError') {
    log.line(`${what} interrupted; nothing more was written.`);
    return EXIT.interrupted;
  }
  const message = err instanceof Error ? err.message : String(err);
  log.line(`${what} failed: ${message}`);
  return EXIT.failed;
}
