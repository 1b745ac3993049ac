// Hands out memo-number serials that are never reused and never skipped, across app instances and crashes,
// on an engine where `$inc` counters hand out duplicates and there are no transactions.
//
// The truth is the set of inserted number records, whose _id "<register>:<serial>" is unique. A serial s is
// only ever tried when s − 1 is known to be taken (or s is the register's first), so the taken serials are
// always an unbroken run: the candidates are "one past the last serial this process claimed", "one past a
// serial found taken" and "one past the hint", and the hint only ever records serials already taken.
// Within a process, claims for one register are queued and inserted as one ordered batch (consecutive
// serials in one round trip): an ordered insert stops at the first taken serial, so no gap is left behind.
// documentKey is unique as well: a retry of the same document (after a crash, or a double click) finds the
// number it already holds instead of taking a second one.
import { Types } from 'mongoose';
import { type MemoRegisterSpec, formatMemoNumber } from '../../lib/memo-number.js';
import { MemoHint, MemoNumber, type MemoNumberDoc } from './memo.model.js';

export interface ClaimRequest {
  readonly documentKey: string;
  readonly document: { kind: string; id: string; label: string };
  readonly by: { id: string; name: string };
  readonly at: Date;
}

export interface Claimed {
  readonly serial: number;
  readonly number: string;
  readonly issuedAt: Date;
  /** True when the document already held this number (an idempotent retry). */
  readonly existing: boolean;
}

export interface RegisterInfo {
  readonly id: string;
  readonly office: string;
  readonly version: number;
  readonly startSerial: number;
  readonly spec: MemoRegisterSpec;
}

const MAX_BATCH = 64;
const MAX_ROUNDS = 10_000;

interface Waiting extends ClaimRequest {
  resolve(c: Claimed): void;
  reject(e: unknown): void;
}

/** Index of the first taken key in an ordered batch insert, or undefined for any other failure. */
function firstFailure(err: unknown): number | undefined {
  const e = err as { code?: number; writeErrors?: { index: number }[] | { index: number } };
  if (e?.code !== 11000) return undefined;
  const first = Array.isArray(e.writeErrors) ? e.writeErrors[0] : e.writeErrors;
  return first?.index ?? 0;
}

class RegisterAllocator {
  private readonly queue: Waiting[] = [];
  private draining = false;
  /** One past the last serial this process knows to be taken; undefined until read from the hint. */
  private next: number | undefined;

  constructor(readonly register: RegisterInfo) {}

  claim(req: ClaimRequest): Promise<Claimed> {
    return new Promise<Claimed>((resolve, reject) => {
      this.queue.push({ ...req, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.run(batch);
        } catch (err) {
          for (const w of batch) w.reject(err);
          this.next = undefined; // re-read the hint next time
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async hint(): Promise<number> {
    const h = await MemoHint.findById(this.register.id).lean();
    return Math.max(h?.last ?? 0, this.register.startSerial - 1);
  }

  /**
   * The serial to try first, checked against the database: its predecessor must be taken. Local belief can be
   * wrong after a restore from backup or a reset test database; then the true last serial is read (a scan,
   * rare) so that no serial is ever skipped.
   */
  private async verifiedStart(): Promise<number> {
    const start = (this.next ??= (await this.hint()) + 1);
    if (start <= this.register.startSerial) return (this.next = this.register.startSerial);
    if (await MemoNumber.exists({ _id: `${this.register.id}:${start - 1}` })) return start;
    const last = (await MemoNumber.find({ register: new Types.ObjectId(this.register.id) }, { serial: 1 }).sort({ serial: -1 }).limit(1).lean())[0] as { serial: number } | undefined;
    return (this.next = Math.max(this.register.startSerial, (last?.serial ?? 0) + 1));
  }

  private recordHint(last: number): void {
    // Only ever a serial already taken, so the hint is never ahead of the truth; lost updates only make it lag.
    MemoHint.updateOne({ _id: this.register.id }, { $max: { last } }, { upsert: true }).catch(() => undefined);
  }

  private record(serial: number, w: Waiting): MemoNumberDoc & { _id: string } {
    return {
      _id: `${this.register.id}:${serial}`,
      register: new Types.ObjectId(this.register.id),
      office: new Types.ObjectId(this.register.office),
      serial,
      number: formatMemoNumber(this.register.spec, serial),
      documentKey: w.documentKey,
      document: w.document,
      issuedAt: w.at,
      by: { id: new Types.ObjectId(w.by.id), name: w.by.name },
    };
  }

  private async run(batch: Waiting[]): Promise<void> {
    let pending = batch;
    for (let round = 0; pending.length > 0; round++) {
      if (round > MAX_ROUNDS) throw new Error('memo-number allocation did not settle');
      const start = await this.verifiedStart();
      const docs = pending.map((w, i) => this.record(start + i, w));
      let inserted = docs.length;
      let failure: number | undefined;
      try {
        await MemoNumber.collection.insertMany(docs as never[], { ordered: true });
      } catch (err) {
        failure = firstFailure(err);
        if (failure === undefined) throw err;
        inserted = failure;
      }
      for (let i = 0; i < inserted; i++) pending[i]!.resolve({ serial: start + i, number: docs[i]!.number, issuedAt: pending[i]!.at, existing: false });
      if (inserted > 0) {
        this.next = start + inserted;
        this.recordHint(start + inserted - 1);
      }
      if (failure === undefined) return;
      // The insert at serial s failed: either s is taken, or this document already holds a number.
      const s = start + inserted;
      const w = pending[inserted]!;
      const taken = (await MemoNumber.findById(`${this.register.id}:${s}`).lean()) as (MemoNumberDoc & { _id: string }) | null;
      if (taken) {
        if (taken.documentKey === w.documentKey) {
          w.resolve({ serial: taken.serial, number: taken.number, issuedAt: taken.issuedAt, existing: true });
          pending = pending.slice(inserted + 1);
        } else {
          pending = pending.slice(inserted);
        }
        this.next = Math.max(s + 1, (await this.hint()) + 1);
      } else {
        const held = (await MemoNumber.findOne({ documentKey: w.documentKey }).lean()) as MemoNumberDoc | null;
        if (!held) throw new Error(`memo number ${s} could not be claimed and is not taken`);
        w.resolve({ serial: held.serial, number: held.number, issuedAt: held.issuedAt, existing: true });
        pending = pending.slice(inserted + 1);
        this.next = s;
      }
    }
  }
}

const allocators = new Map<string, RegisterAllocator>();

/** Claims the next number of a register for a document (or returns the one it already holds). */
export function claimNumber(register: RegisterInfo, req: ClaimRequest): Promise<Claimed> {
  const key = `${register.id}@${register.version}`;
  let a = allocators.get(key);
  if (!a) {
    a = new RegisterAllocator(register);
    allocators.set(key, a);
  }
  return a.claim(req);
}

/** Tests that reset the database drop what this process believed about serials. */
export function forgetAllocators(): void {
  allocators.clear();
}
