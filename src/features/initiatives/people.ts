// The people an initiative names (lead, team, area field officers), as an in-process directory: pages show
// their names and the form offers them as choices without a users query per request (on the embedded engine
// every filter but {_id} reads the whole collection). The directory is reloaded when the 'auth' change marker
// moves, which every write to a user bumps (users/user.model.ts), here at once and elsewhere within 500 ms.
import type { Types } from 'mongoose';
import { authMarker } from '../auth/index.js';
import type { OfficeTree } from '../../kernel/office-tree.js';
import { User } from '../users/index.js';

export interface Person {
  readonly id: string;
  readonly nameBn: string;
  readonly nameEn: string | undefined;
  readonly designationBn: string;
  readonly designationEn: string | undefined;
  readonly office: string;
  readonly active: boolean;
}

let snapshot: { version: string; byId: ReadonlyMap<string, Person> } | undefined;
let loading: Promise<{ version: string; byId: ReadonlyMap<string, Person> }> | undefined;

async function directory(): Promise<ReadonlyMap<string, Person>> {
  const version = await authMarker.version();
  if (!snapshot || snapshot.version !== version) {
    loading ??= (async () => {
      const docs = await User.find({}, { nameBn: 1, nameEn: 1, designationBn: 1, designationEn: 1, office: 1, active: 1 }).lean();
      const byId = new Map<string, Person>();
      for (const d of docs) {
        const id = String(d._id);
        byId.set(id, { id, nameBn: d.nameBn, nameEn: d.nameEn ?? undefined, designationBn: d.designationBn, designationEn: d.designationEn ?? undefined, office: String(d.office), active: d.active !== false });
      }
      return { version, byId };
    })().finally(() => {
      loading = undefined;
    });
    snapshot = await loading;
  }
  return snapshot.byId;
}

/** The people with these ids that exist (active or not), by id. */
export async function peopleByIds(ids: readonly (string | Types.ObjectId | null | undefined)[]): Promise<Map<string, Person>> {
  const byId = await directory();
  const out = new Map<string, Person>();
  for (const raw of ids) {
    const p = raw ? byId.get(String(raw)) : undefined;
    if (p) out.set(p.id, p);
  }
  return out;
}

/** Active people whose office is one of `officeIds` or below one: who may lead or join an initiative there. */
export async function activePeopleUnder(tree: OfficeTree, officeIds: readonly string[]): Promise<Person[]> {
  const byId = await directory();
  return [...byId.values()].filter((p) => p.active && officeIds.some((o) => tree.contains(o, p.office)));
}

/** The name to show in the page's language (the Bangla name when there is no English one). */
export function personName(p: Person | undefined, lang: unknown): string | undefined {
  if (!p) return undefined;
  return lang === 'en' ? (p.nameEn ?? p.nameBn) : p.nameBn;
}
