// Reading people: the list the caller may see (office subtree; acting charges in force count too), one person
// checked against the caller's scope, and the offices the caller may pick for an action.
import { Types } from 'mongoose';
import { escapeRegExp, searchKey } from '../../lib/index.js';
import { officeTree } from '../offices/index.js';
import { scopeOffices, type Action } from '../access/index.js';
import type { RequestContext } from '../../kernel/context.js';
import { withLastSignIn } from './last-sign-in.js';
import { User, type Role } from './user.model.js';
import { detailOfDoc, summaryOf, type UserDetail, type UserRecord, type UserSummary } from './user.records.js';
import { actorOf, loadFor, todayOf } from './user.store.js';

export const PAGE_SIZE = 25;

export interface ListQuery {
  /** Only this office and the offices below it. */
  readonly office?: string;
  readonly role?: Role;
  /** Matched against the stored normalised search text (names, username, designation). */
  readonly q?: string;
  /** 'true' (default 'all'): only active people; 'false': only deactivated ones. */
  readonly active?: 'true' | 'false' | 'all';
  readonly page: number;
  readonly pageSize?: number;
  /** Whose scope limits the list: user.read (default) or user.manage (the admin pages). */
  readonly action?: Extract<Action, 'user.read' | 'user.manage'>;
}

export interface UserList {
  readonly items: UserSummary[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * People holding an acting charge on `today` in one of `offices` (all when undefined), with `role` if given.
 * The engine cannot $elemMatch on sub-documents, so a dotted-path query (which may match across different
 * charges) narrows the candidates and the exact test runs here; few people hold acting charges.
 */
async function actingHolders(offices: ReadonlySet<string> | undefined, role: Role | undefined, today: string): Promise<Types.ObjectId[]> {
  const pre: Record<string, unknown> = { 'actingCharges.from': { $lte: today }, 'actingCharges.to': { $gte: today } };
  if (offices) pre['actingCharges.office'] = { $in: [...offices].map((id) => new Types.ObjectId(id)) };
  if (role) pre['actingCharges.roles'] = role;
  const docs = await User.find(pre).select({ actingCharges: 1 }).lean();
  return docs
    .filter((d) =>
      (d.actingCharges ?? []).some(
        (c) => c.from <= today && today <= c.to && (!offices || offices.has(String(c.office))) && (!role || c.roles.includes(role)),
      ),
    )
    .map((d) => d._id);
}

/** People the caller may see (their user.read scope, or user.manage for the admin pages), filtered and paged. */
export async function listUsers(ctx: RequestContext, query: ListQuery): Promise<UserList> {
  const actor = actorOf(ctx);
  const tree = await officeTree();
  const today = todayOf(ctx);
  const pageSize = Math.min(Math.max(query.pageSize ?? PAGE_SIZE, 1), 100);
  let offices = scopeOffices(actor, query.action ?? 'user.read', tree);
  if (query.office) {
    const within = new Set(tree.subtreeIds(query.office));
    offices = new Set([...offices].filter((id) => within.has(id)));
  }
  const filter: Record<string, unknown> = {};
  const everything = tree.all().every((o) => offices.has(o.id));
  if (!everything || query.role) {
    const own = {
      ...(everything ? {} : { office: { $in: [...offices].map((id) => new Types.ObjectId(id)) } }),
      ...(query.role ? { roles: query.role } : {}),
    };
    // A person also counts where they hold an acting charge today.
    const acting = await actingHolders(everything ? undefined : offices, query.role, today);
    Object.assign(filter, acting.length ? { $or: [own, { _id: { $in: acting } }] } : own);
  }
  if (query.active === 'true') filter.active = { $ne: false };
  if (query.active === 'false') filter.active = false;
  const q = query.q ? searchKey(query.q) : '';
  if (q) filter.searchText = { $regex: escapeRegExp(q) };
  const [docs, total] = await Promise.all([
    User.find(filter)
      .select({
        username: 1,
        nameBn: 1,
        nameEn: 1,
        designationBn: 1,
        designationEn: 1,
        office: 1,
        roles: 1,
        active: 1,
        mustChangePassword: 1,
      })
      .sort({ nameBn: 1, _id: 1 })
      .skip((query.page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
    User.countDocuments(filter),
  ]);
  return { items: docs.map((d) => summaryOf(d as unknown as UserRecord, tree)), total, page: query.page, pageSize };
}

/** One person, if the caller may see them for `action` (404 outside the scope, 403 without the role). */
export async function getUser(
  ctx: RequestContext,
  userId: string,
  action: Extract<Action, 'user.read' | 'user.manage' | 'token.manage'> = 'user.read',
): Promise<UserDetail> {
  const { doc, tree, today } = await loadFor(ctx, userId, action);
  return withLastSignIn(detailOfDoc(doc, tree, today));
}

/** The offices the caller may pick for `action`, depth-first with their depth (for indented pickers). */
export async function officeChoices(
  ctx: RequestContext,
  action: Action,
): Promise<{ id: string; nameBn: string; nameEn: string | null; depth: number; active: boolean }[]> {
  const actor = actorOf(ctx);
  const tree = await officeTree();
  const scope = scopeOffices(actor, action, tree);
  const out: { id: string; nameBn: string; nameEn: string | null; depth: number; active: boolean }[] = [];
  const seen = new Set<string>();
  const walk = (id: string, depth: number): void => {
    const node = tree.get(id);
    if (!node || seen.has(id)) return;
    seen.add(id);
    out.push({ id, nameBn: node.nameBn, nameEn: node.nameEn ?? null, depth, active: node.active });
    const kids = tree.children(id).sort((a, b) => a.nameBn.localeCompare(b.nameBn, 'bn'));
    for (const k of kids) walk(k.id, depth + 1);
  };
  // Start from the top-most offices of the scope (those whose parent is outside it).
  const tops = [...scope].map((id) => tree.get(id)).filter((n) => n && !(n.parent && scope.has(n.parent)));
  for (const top of tops.sort((a, b) => a!.nameBn.localeCompare(b!.nameBn, 'bn'))) walk(top!.id, 0);
  return out;
}

/**
 * How many active people work in an office: their own post is there, or an acting charge there runs on or after
 * `today` (a Dhaka date). Offices asks it before deactivating one.
 */
export async function activePeopleIn(officeId: string, today: string): Promise<number> {
  if (!Types.ObjectId.isValid(officeId)) return 0;
  const id = new Types.ObjectId(officeId);
  // $elemMatch with field conditions is not implemented by the embedded engine: the charge dates are checked here.
  const people = await User.find({ active: true, $or: [{ office: id }, { 'actingCharges.office': id }] }, { office: 1, actingCharges: 1 }).lean();
  return people.filter((u) => String(u.office) === officeId || (u.actingCharges ?? []).some((c) => String(c.office) === officeId && c.to >= today)).length;
}
