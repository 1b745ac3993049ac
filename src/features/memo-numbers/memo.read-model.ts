// The registers list and a register's numbers without a scan of their collections per request. Registers are
// few and change rarely: an in-process read model (platform/db/read-model.ts). Numbers are many, but their
// _id is "<register>:<serial>" and the taken serials of a register are an unbroken run from its start serial
// (memo-allocator.ts), so the last serial is found by a handful of _id reads and a page of numbers is read
// serial by serial.
import { sharedReadModel } from '../../platform/db/read-model.js';
import { MemoHint, MemoNumber, MemoRegister, REGISTER_LOG, type MemoNumberDoc, type MemoRegisterDoc } from './memo.model.js';

const registers = () =>
  sharedReadModel<MemoRegisterDoc>({
    log: REGISTER_LOG,
    async loadAll() {
      const docs = (await MemoRegister.find({}).lean()) as unknown as MemoRegisterDoc[];
      return docs.map((d) => [String(d._id), d] as const);
    },
    async loadOne(id) {
      if (!/^[0-9a-f]{24}$/i.test(id)) return undefined;
      return ((await MemoRegister.findById(id).lean()) as unknown as MemoRegisterDoc | null) ?? undefined;
    },
  });

/** Every register, oldest first (as created). */
export async function allRegisters(): Promise<MemoRegisterDoc[]> {
  const rows = [...(await registers().all())];
  return rows.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || String(a._id).localeCompare(String(b._id)));
}

async function taken(registerId: string, serial: number): Promise<boolean> {
  return !!(await MemoNumber.exists({ _id: `${registerId}:${serial}` }));
}

/**
 * The register's last taken serial (startSerial − 1 when none): from the hint (never ahead of the truth, but it
 * may lag, or be ahead after a restore), gallop up while serials are taken, then bisect. About 2·log₂(lag)
 * _id reads; the run being unbroken is what makes "taken" monotone.
 */
export async function lastSerialOf(register: Pick<MemoRegisterDoc, '_id' | 'startSerial'>): Promise<number> {
  const id = String(register._id);
  const floor = (register.startSerial ?? 1) - 1;
  const hint = Math.max(floor, (await MemoHint.findById(id).lean())?.last ?? 0);
  let lo = floor; // known taken (or the floor)
  let hi: number; // known free
  if (hint > floor && !(await taken(id, hint))) {
    hi = hint;
  } else {
    lo = hint;
    let step = 1;
    hi = lo + step;
    while (await taken(id, hi)) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await taken(id, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** One page of a register's numbers, newest first, each read by _id. */
export async function numbersPage(register: Pick<MemoRegisterDoc, '_id' | 'startSerial'>, page: number, pageSize: number): Promise<{ items: MemoNumberDoc[]; total: number; lastSerial: number }> {
  const id = String(register._id);
  const start = register.startSerial ?? 1;
  const last = await lastSerialOf(register);
  const total = Math.max(0, last - start + 1);
  const top = last - (page - 1) * pageSize;
  const serials: number[] = [];
  for (let s = top; s > top - pageSize && s >= start; s--) serials.push(s);
  const found = await Promise.all(serials.map((s) => MemoNumber.findById(`${id}:${s}`).lean()));
  return { items: found.filter((n): n is NonNullable<typeof n> => n != null) as unknown as MemoNumberDoc[], total, lastSerial: total ? last : 0 };
}
