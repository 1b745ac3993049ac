// Where an office sits in the tree. `parent` is the source of truth; `ancestors` is a cache derived from it.
// A move writes the office first, then recomputes the ancestors of everything below it. The engine has no
// transactions, so a crash between those writes leaves stale caches: repairAncestors() (run at start-up)
// recomputes every office's ancestors from the parent links, and is harmless to run at any time.
import { Types } from 'mongoose';
import { ValidationError, type Message } from '../../kernel/errors.js';
import { Office } from './office.model.js';
import { markOfficesChanged, type OfficeTree } from './office-tree.js';
import { OBJECT_ID } from './office.schemas.js';
import { decide, permittedPosts } from '../access/index.js';
import type { Actor } from '../../kernel/actor.js';

/** True when the actor may manage an office at the top of the tree (only they may create root offices). */
export function managesRoot(actor: Actor, tree: OfficeTree): boolean {
  return permittedPosts(actor, 'office.manage').some((p) => {
    const node = tree.get(p.office);
    return !!node && !node.parent;
  });
}

const PARENT_UNKNOWN: Message = {
  bn: 'এই ঊর্ধ্বতন দপ্তরটি পাওয়া যায়নি বা আপনার আওতার বাইরে। তালিকা থেকে একটি দপ্তর বেছে নিন।',
  en: 'This parent office was not found or is outside your offices. Choose one from the list.',
};

/** Root-first ids from the top of the tree down to `id` (inclusive), following parent links, the truth. */
async function pathByParents(id: Types.ObjectId): Promise<Types.ObjectId[]> {
  const path: Types.ObjectId[] = [];
  const seen = new Set<string>();
  let current: Types.ObjectId | null = id;
  while (current) {
    const key = String(current);
    if (seen.has(key)) throw new Error(`office parent links form a cycle at ${key}`);
    seen.add(key);
    path.unshift(current);
    const doc: { parent?: Types.ObjectId | null } | null = await Office.findById(current, { parent: 1 }).lean();
    current = doc?.parent ?? null;
  }
  return path;
}

/**
 * Checks a new parent for `officeId` (undefined when creating) and returns the ancestors the office gets
 * under it. Throws a field error on `parent` when it is missing, outside the actor's subtree, inactive, or
 * the office itself or one of its descendants.
 */
export async function ancestorsUnder(
  actor: Actor,
  tree: OfficeTree,
  parentId: string | null,
  officeId?: string,
): Promise<Types.ObjectId[]> {
  if (parentId === null) {
    if (!managesRoot(actor, tree)) {
      throw new ValidationError({ parent: { bn: 'ঊর্ধ্বতন দপ্তর বেছে নিন।', en: 'Choose the parent office.' } });
    }
    return [];
  }
  if (officeId && parentId === officeId) {
    throw new ValidationError({ parent: { bn: 'কোনো দপ্তর নিজের অধীনে যেতে পারে না।', en: 'An office cannot be placed under itself.' } });
  }
  const parent = OBJECT_ID.test(parentId) ? await Office.findById(parentId, { nameBn: 1, active: 1 }).lean() : null;
  if (!parent || decide(actor, 'office.manage', tree, { office: parentId }) !== 'allow')
    throw new ValidationError({ parent: PARENT_UNKNOWN });
  const path = await pathByParents(parent._id);
  if (officeId && path.some((a) => String(a) === officeId)) {
    throw new ValidationError({
      parent: {
        bn: `“${parent.nameBn}” এই দপ্তরেরই অধীন দপ্তর; কোনো দপ্তর নিজের অধীন দপ্তরের নিচে যেতে পারে না।`,
        en: `“${parent.nameBn}” is below this office; an office cannot be placed under its own descendant.`,
      },
    });
  }
  if (parent.active === false) {
    throw new ValidationError({
      parent: {
        bn: `“${parent.nameBn}” নিষ্ক্রিয়; সক্রিয় একটি ঊর্ধ্বতন দপ্তর বেছে নিন।`,
        en: `“${parent.nameBn}” is inactive; choose an active parent office.`,
      },
    });
  }
  return path;
}

export interface AncestorRepair {
  /** Offices read. */
  readonly checked: number;
  /** Offices whose ancestors were rewritten. */
  readonly fixed: number;
  /** Offices whose parent links loop (left untouched; an administrator must fix a parent). */
  readonly cycles: readonly string[];
}

/** Recomputes every office's ancestors from the parent links and rewrites those that differ (by _id). */
export async function recomputeAncestors(): Promise<AncestorRepair> {
  const docs = await Office.find({}, { parent: 1, ancestors: 1 }).lean();
  const parentOf = new Map<string, string | null>(docs.map((d) => [String(d._id), d.parent ? String(d.parent) : null]));
  const computed = new Map<string, string[] | null>(); // null: in a cycle
  const cycles: string[] = [];
  const resolve = (id: string, visiting: Set<string>): string[] | null => {
    const known = computed.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return null;
    visiting.add(id);
    const parent = parentOf.get(id) ?? null;
    let result: string[] | null;
    if (!parent) result = [];
    else if (!parentOf.has(parent))
      result = []; // a dangling parent: nothing above it is known
    else {
      const above = resolve(parent, visiting);
      result = above === null ? null : [...above, parent];
    }
    visiting.delete(id);
    computed.set(id, result);
    return result;
  };
  const ops: { updateOne: { filter: { _id: Types.ObjectId }; update: { $set: { ancestors: Types.ObjectId[] } } } }[] = [];
  for (const d of docs) {
    const id = String(d._id);
    const want = resolve(id, new Set());
    if (want === null) {
      cycles.push(id);
      continue;
    }
    const have = (d.ancestors ?? []).map(String);
    if (have.length !== want.length || have.some((a, i) => a !== want[i])) {
      ops.push({ updateOne: { filter: { _id: d._id }, update: { $set: { ancestors: want.map((a) => new Types.ObjectId(a)) } } } });
    }
  }
  if (ops.length) await Office.bulkWrite(ops, { ordered: false });
  return { checked: docs.length, fixed: ops.length, cycles };
}

/** Recomputes all ancestors from parent links (idempotent; call at start-up to finish an interrupted move). */
export async function repairAncestors(): Promise<AncestorRepair> {
  const report = await recomputeAncestors();
  if (report.fixed > 0) await markOfficesChanged();
  return report;
}
