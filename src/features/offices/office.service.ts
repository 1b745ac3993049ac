// Changing offices: create, edit, move, deactivate and reactivate them (admins, inside their own subtree).
// Every write is versioned (a stale version gets a 409 that says what changed since) and audited. Reading
// is in office.queries.ts, placing an office in the tree and the ancestors cache in office.ancestors.ts.
import { dhakaDateOf, toBanglaDigits } from '../../lib/index.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import { changedInClaimsSince, saveVersioned } from '../../platform/db/versioned.js';
import { ConflictError, ForbiddenError, ValidationError, type Message } from '../../kernel/errors.js';
import { Office } from './office.model.js';
import { ancestorsUnder, recomputeAncestors } from './office.ancestors.js';
import {
  actorOf,
  AUDITED,
  EDITABLE,
  entityOf,
  loadOffice,
  plainSegments,
  recordOf,
  snapshot,
  versionChange,
  type OfficeDocument,
  type OfficeRecord,
} from './office.record.js';
import { markOfficesChanged, officeTree } from './office-tree.js';
import type { CreateOfficeInput, UpdateOfficeInput } from './office.schemas.js';
import { DISTRICTS } from './reference/bd-geography.js';
import { assertCan, permittedPosts } from '../access/index.js';
import { diff, findAudit, recordAudit } from '../audit/index.js';
import type { RequestContext } from '../../kernel/context.js';

/** The geo code of an office in a district starts with the district's BBS code (0000: head office). */
function checkGeoCode(geoCode: string | null | undefined, districtIso: string | null | undefined): void {
  if (!geoCode || !districtIso || /^0+$/.test(geoCode)) return;
  const district = DISTRICTS.find((d) => d.iso === districtIso);
  if (district && !geoCode.startsWith(district.bbsCode)) {
    throw new ValidationError({
      geoCode: {
        bn: `${district.nameBn} জেলার জিও কোড ${toBanglaDigits(district.bbsCode)} দিয়ে শুরু হয় (যেমন ${toBanglaDigits(district.bbsCode)}০০ জেলা কার্যালয়ের জন্য)।`,
        en: `Geo codes in ${district.nameEn} district start with ${district.bbsCode} (e.g. ${district.bbsCode}00 for the district office).`,
      },
    });
  }
}

const CODE_TAKEN: Message = { bn: 'এই কোড আরেকটি দপ্তরের; অন্য কোড দিন।', en: 'Another office has this code; choose another.' };

/** The fields changed since `version`, read from the audit log (each office write records its version step). */
async function changedSince(id: string, version: number): Promise<string[]> {
  const { items } = await findAudit({ entityId: id, page: 1, pageSize: 200 });
  const changed = new Set<string>();
  for (const entry of items) {
    if (entry.entity?.type !== 'office') continue;
    const step = entry.changes.find((c) => c.field === 'version');
    const after = typeof entry.version === 'number' ? entry.version : typeof step?.after === 'number' ? step.after : undefined;
    if (after === undefined || after <= version) continue;
    for (const c of entry.changes) if (c.field && c.field !== 'version' && c.field !== 'ancestors') changed.add(c.field);
  }
  return AUDITED.filter((f) => changed.has(f));
}

async function conflict(id: string, version: number, claimed: readonly string[] = []): Promise<ConflictError> {
  // The winner's audit entry may not be written yet: what its claim (and the claims of the versions since) say it
  // changes counts too.
  const fromClaim = new Set([...claimed, ...(await changedInClaimsSince('office', id, version))]);
  const changed = [...new Set([...(await changedSince(id, version)), ...AUDITED.filter((f) => fromClaim.has(f))])];
  return new ConflictError(
    {
      bn: 'আপনি দপ্তরটি খোলার পরে অন্য কেউ এটি পরিবর্তন করেছেন। সর্বশেষ তথ্য দেখে আবার সংরক্ষণ করুন।',
      en: 'Someone else changed this office after you opened it. Review the latest values and save again.',
    },
    { changed },
  );
}

/** Creates an office under a parent in the admin's subtree (a root office only by an admin of a root office). */
export async function createOffice(ctx: RequestContext, input: CreateOfficeInput): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const tree = await officeTree();
  const ancestors = await ancestorsUnder(actor, tree, input.parent ?? null);
  checkGeoCode(input.geoCode, input.districtIso);
  let doc: OfficeDocument;
  try {
    doc = await Office.create({
      code: input.code,
      nameBn: input.nameBn,
      nameEn: input.nameEn ?? undefined,
      shortName: input.shortName ?? undefined,
      level: input.level,
      parent: ancestors.length ? ancestors[ancestors.length - 1] : null,
      ancestors,
      geoCode: input.geoCode ?? undefined,
      districtIso: input.districtIso ?? undefined,
      addressBn: input.addressBn ?? undefined,
      addressEn: input.addressEn ?? undefined,
      phone: input.phone ?? undefined,
      email: input.email ?? undefined,
      memoSegments: plainSegments(input.memoSegments) ?? undefined,
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError({ code: CODE_TAKEN });
    throw err;
  }
  await markOfficesChanged();
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: 'office.create',
    entity: entityOf(after),
    changes: [...diff({}, snapshot(after), AUDITED), versionChange(null, after.version)],
  });
  return after;
}

/**
 * Edits an office read at `input.version`; a `parent` that differs moves it (see moveOffice). A stale version
 * is refused with ConflictError { changed: fields changed since }. The code is a stable key and never changes.
 */
export async function updateOffice(ctx: RequestContext, id: string, input: UpdateOfficeInput): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  const tree = await officeTree();
  assertCan(actor, 'office.manage', tree, { office: id });
  if ((doc.__v ?? 0) !== input.version) throw await conflict(id, input.version);
  if (input.code !== undefined && input.code !== doc.code) {
    throw new ValidationError({ code: { bn: 'দপ্তরের কোড পরিবর্তন করা যায় না।', en: 'The code of an office cannot be changed.' } });
  }
  const before = recordOf(doc);

  for (const field of EDITABLE) {
    const value = input[field];
    if (value === undefined) continue;
    if (field === 'memoSegments') doc.set('memoSegments', plainSegments(value) ?? undefined);
    else doc.set(field, value ?? undefined);
  }
  const newParent = input.parent === undefined ? undefined : (input.parent ?? null);
  const moving = newParent !== undefined && newParent !== before.parent;
  if (moving) {
    const path = await ancestorsUnder(actor, tree, newParent, id);
    doc.set('parent', path.length ? path[path.length - 1] : null);
    doc.set('ancestors', path);
  }
  checkGeoCode(doc.geoCode, doc.districtIso);
  if (!doc.isModified()) return before;
  const changes = diff(snapshot(before), snapshot(recordOf(doc)), AUDITED);
  await saveVersioned('office', doc, { changed: changes.map((c) => c.field), lost: async (claimed) => { throw await conflict(id, input.version, claimed); } });
  try {
    if (moving) await recomputeAncestors();
  } finally {
    await markOfficesChanged();
  }
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: moving ? 'office.move' : 'office.update',
    entity: entityOf(after),
    changes: [...changes, versionChange(before.version, after.version)],
  });
  return after;
}

/** Moves an office under another parent in the admin's subtree (never under itself or its descendants). */
export async function moveOffice(
  ctx: RequestContext,
  id: string,
  input: { parent: string | null; version: number },
): Promise<OfficeRecord> {
  return updateOffice(ctx, id, { version: input.version, parent: input.parent });
}

function countBn(n: number): string {
  return toBanglaDigits(n);
}

/** What offices needs from the people who work in them (the users feature answers it; offices sit below users). */
export interface OfficePeople {
  /** Active people whose own post is in the office, or whose acting charge there runs on or after `today`. */
  readonly activePeopleIn: (officeId: string, today: string) => Promise<number>;
}

/** Deactivates an office; refused while active offices are below it or active people work in it. */
export async function deactivateOffice(ctx: RequestContext, id: string, people: OfficePeople): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  assertCan(actor, 'office.manage', await officeTree(), { office: id });
  const before = recordOf(doc);
  if (!before.active) return before;
  const today = dhakaDateOf(ctx.clock.now());
  const [children, users] = await Promise.all([Office.countDocuments({ parent: doc._id, active: true }), people.activePeopleIn(id, today)]);
  if (children > 0 || users > 0) {
    const bn: string[] = [];
    const en: string[] = [];
    if (children > 0) {
      bn.push(`এর অধীনে ${countBn(children)}টি সক্রিয় দপ্তর আছে`);
      en.push(`${children} active office${children === 1 ? '' : 's'} below it`);
    }
    if (users > 0) {
      bn.push(`এখানে ${countBn(users)} জন সক্রিয় ব্যবহারকারী কর্মরত (বা চলতি দায়িত্বে) আছেন`);
      en.push(`${users} active user${users === 1 ? '' : 's'} working here (or holding a charge)`);
    }
    throw new ConflictError(
      {
        bn: `“${before.nameBn}” নিষ্ক্রিয় করা যাবে না: ${bn.join(' এবং ')}। আগে সেগুলো অন্য দপ্তরে সরান বা নিষ্ক্রিয় করুন।`,
        en: `“${before.nameEn ?? before.nameBn}” cannot be deactivated: it has ${en.join(' and ')}. Move or deactivate them first.`,
      },
      { activeChildren: children, activeUsers: users },
    );
  }
  doc.active = false;
  await saveVersioned('office', doc, { changed: ['active'], lost: async (claimed) => { throw await conflict(id, before.version, claimed); } });
  await markOfficesChanged();
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: 'office.deactivate',
    entity: entityOf(after),
    changes: [...diff(snapshot(before), snapshot(after), ['active']), versionChange(before.version, after.version)],
  });
  return after;
}

/** Reactivates an office; its parent must be active. */
export async function reactivateOffice(ctx: RequestContext, id: string): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, 'office.manage').length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  assertCan(actor, 'office.manage', await officeTree(), { office: id });
  const before = recordOf(doc);
  if (before.active) return before;
  if (doc.parent) {
    const parent = await Office.findById(doc.parent, { nameBn: 1, nameEn: 1, active: 1 }).lean();
    if (parent && parent.active === false) {
      throw new ConflictError({
        bn: `ঊর্ধ্বতন দপ্তর “${parent.nameBn}” নিষ্ক্রিয়; আগে সেটি সক্রিয় করুন।`,
        en: `The parent office “${parent.nameEn ?? parent.nameBn}” is inactive; reactivate it first.`,
      });
    }
  }
  doc.active = true;
  await saveVersioned('office', doc, { changed: ['active'], lost: async (claimed) => { throw await conflict(id, before.version, claimed); } });
  await markOfficesChanged();
  const after = recordOf(doc);
  await recordAudit(ctx, {
    action: 'office.reactivate',
    entity: entityOf(after),
    changes: [...diff(snapshot(before), snapshot(after), ['active']), versionChange(before.version, after.version)],
  });
  return after;
}
