// Reading offices: the offices a caller may see in tree order, one office within their scope, and the
// offices an admin may choose as a parent. Lists are served from the in-process office tree.
import { searchKey, toLatinDigits } from '../../lib/index.js';
import { ForbiddenError } from '../../kernel/errors.js';
import { OFFICE_LEVELS, type OfficeLevel } from './office.model.js';
import { managesRoot } from './office.ancestors.js';
import { actorOf, loadOffice, recordOf, type OfficeRecord } from './office.record.js';
import { officeTree, type OfficeNode, type OfficeTree } from './office-tree.js';
import { assertCan, permittedPosts, scopeOffices, type Action } from '../access/index.js';
import type { Actor } from '../../kernel/actor.js';
import type { RequestContext } from '../../kernel/context.js';

export interface OfficeFilters {
  readonly q?: string | undefined;
  readonly level?: OfficeLevel | undefined;
  readonly parent?: string | undefined;
  readonly active?: boolean | undefined;
}

export interface OfficeListItem {
  readonly id: string;
  readonly code: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly level: OfficeLevel;
  readonly parent: string | null;
  readonly geoCode: string | null;
  readonly active: boolean;
  /** Depth below the top of the caller's subtree (0 = the caller's own top office). */
  readonly depth: number;
  /** The offices above it within the caller's subtree, root first. */
  readonly path: readonly OfficeNode[];
}

const collator = new Intl.Collator('bn');
const LEVEL_ORDER = new Map<string, number>(OFFICE_LEVELS.map((l, i) => [l, i]));

function byLevelThenName(a: OfficeNode, b: OfficeNode): number {
  return (LEVEL_ORDER.get(a.level) ?? 99) - (LEVEL_ORDER.get(b.level) ?? 99) || collator.compare(a.nameBn, b.nameBn);
}

/** The offices of `scope` in tree order (each office, then those below it), with their depth within the scope. */
function inTreeOrder(tree: OfficeTree, scope: ReadonlySet<string>): { node: OfficeNode; depth: number }[] {
  const out: { node: OfficeNode; depth: number }[] = [];
  const roots = [...scope]
    .map((id) => tree.get(id))
    .filter((n): n is OfficeNode => !!n && !(n.parent && scope.has(n.parent)))
    .sort(byLevelThenName);
  const walk = (node: OfficeNode, depth: number): void => {
    out.push({ node, depth });
    for (const child of tree
      .children(node.id)
      .filter((c) => scope.has(c.id))
      .sort(byLevelThenName))
      walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return out;
}

function matchesText(node: OfficeNode, q: string): boolean {
  const key = searchKey(q);
  const digits = toLatinDigits(key);
  const hay = searchKey([node.nameBn, node.nameEn ?? '', node.code, node.geoCode ?? ''].join(' '));
  return hay.includes(key) || hay.includes(digits);
}

/** The offices the actor may see (their posts' subtrees), in tree order, filtered. Served from the in-process tree. */
export async function listOffices(actor: Actor, filters: OfficeFilters = {}): Promise<OfficeListItem[]> {
  const tree = await officeTree();
  const scope = scopeOffices(actor, 'office.read', tree);
  return inTreeOrder(tree, scope)
    .filter(({ node }) => {
      if (filters.level && node.level !== filters.level) return false;
      if (filters.parent && node.parent !== filters.parent) return false;
      if (filters.active !== undefined && node.active !== filters.active) return false;
      if (filters.q && !matchesText(node, filters.q)) return false;
      return true;
    })
    .map(({ node, depth }) => ({
      id: node.id,
      code: node.code,
      nameBn: node.nameBn,
      nameEn: node.nameEn ?? null,
      level: node.level,
      parent: node.parent ?? null,
      geoCode: node.geoCode ?? null,
      active: node.active,
      depth,
      path: tree
        .path(node.id)
        .slice(0, -1)
        .filter((a) => scope.has(a.id)),
    }));
}

/** One office, if the actor may do `action` on it (403 without the role, 404 outside their subtree). */
export async function getOffice(
  ctx: RequestContext,
  id: string,
  action: Extract<Action, 'office.read' | 'office.manage'> = 'office.read',
): Promise<OfficeRecord> {
  const actor = actorOf(ctx);
  if (permittedPosts(actor, action).length === 0) throw new ForbiddenError();
  const doc = await loadOffice(id);
  assertCan(actor, action, await officeTree(), { office: id });
  return recordOf(doc);
}

export interface ParentChoice {
  readonly id: string;
  readonly nameBn: string;
  readonly nameEn: string | null;
  readonly level: OfficeLevel;
  readonly depth: number;
}

/**
 * The offices an admin may put an office under: active offices in their subtree, without `office` and the
 * offices below it (an office cannot move under itself or its descendants); the current parent is kept.
 */
export async function parentChoices(
  actor: Actor,
  office?: { id: string; parent: string | null },
): Promise<{ choices: ParentChoice[]; rootAllowed: boolean }> {
  const tree = await officeTree();
  const scope = scopeOffices(actor, 'office.manage', tree);
  const excluded = new Set(office ? tree.subtreeIds(office.id) : []);
  const choices = inTreeOrder(tree, scope)
    .filter(({ node }) => !excluded.has(node.id) && (node.active || node.id === office?.parent))
    .map(({ node, depth }) => ({ id: node.id, nameBn: node.nameBn, nameEn: node.nameEn ?? null, level: node.level, depth }));
  return { choices, rootAllowed: managesRoot(actor, tree) };
}
