// Access rules in one place. Every route names one action; the rule for it says which roles may do it and
// whether the record must be inside the actor's office subtree. Order of checks, the same everywhere:
//   1. no post of the actor has a permitted role      → forbidden (403)
//   2. scoped, and the record's office is outside the subtree of every permitted post, and the record is not
//      assigned to the actor or their office          → not found (404: existence is not revealed)
//   3. otherwise                                       → allowed
import { ForbiddenError, NotFoundError } from '../../kernel/errors.js';
import type { OfficeTree } from '../../kernel/office-tree.js';
import { ROLES, type Role } from '../../kernel/roles.js';
import type { Actor, Post } from '../../kernel/actor.js';

const EVERYONE: readonly Role[] = ROLES;
const WRITERS: readonly Role[] = ROLES.filter((r) => r !== 'observer');

export interface Rule {
  readonly roles: readonly Role[];
  /** 'subtree': the record's office must be in the actor's subtree (or the record assigned to them). */
  readonly scope: 'subtree' | 'none';
  readonly describe: string;
}

export const RULES = {
  'office.read': { roles: EVERYONE, scope: 'subtree', describe: 'see offices' },
  'office.manage': { roles: ['admin'], scope: 'subtree', describe: 'create, edit, move, deactivate offices; import upazilas' },
  'user.read': { roles: EVERYONE, scope: 'subtree', describe: 'see people and their designations' },
  'user.manage': { roles: ['admin'], scope: 'subtree', describe: 'create, edit, deactivate users; reset passwords; acting charges' },
  'token.manage': { roles: ['admin'], scope: 'subtree', describe: "list and revoke other people's API tokens" },
  'audit.read': { roles: ['admin'], scope: 'subtree', describe: 'read the audit log' },
  'initiative.read': { roles: EVERYONE, scope: 'subtree', describe: 'see initiatives (also those with a replication area or team place of yours)' },
  'initiative.create': { roles: ['innovation_officer', 'head', 'admin'], scope: 'subtree', describe: 'log a new initiative' },
  'initiative.edit': { roles: ['innovation_officer', 'head'], scope: 'subtree', describe: "edit an initiative's details" },
  'initiative.propose': { roles: ['innovation_officer', 'head'], scope: 'subtree', describe: 'propose a stage change (a head’s own move applies at once)' },
  'initiative.decide': { roles: ['head'], scope: 'subtree', describe: 'approve or reject a proposed stage change' },
  'initiative.area': { roles: ['innovation_officer', 'head', 'field_officer'], scope: 'subtree', describe: 'add and update replication areas (field officers: the areas they run)' },
  'charter.read': { roles: EVERYONE, scope: 'subtree', describe: "see an office's citizen charter" },
  'charter.manage': { roles: ['innovation_officer', 'admin'], scope: 'subtree', describe: "import and edit an office's citizen charter" },
  'meeting.read': { roles: EVERYONE, scope: 'subtree', describe: 'see meetings and their minutes (also those you chair or attend)' },
  'meeting.manage': { roles: ['innovation_officer'], scope: 'subtree', describe: 'schedule meetings, draft, submit and issue minutes, notices, corrigenda, distribution lists' },
  'meeting.sign': { roles: WRITERS, scope: 'subtree', describe: 'sign or return submitted minutes: a head of the meeting’s office or above (acting charge included), or the chair when the chair is a user — checked per meeting' },
  'decision.read': { roles: EVERYONE, scope: 'subtree', describe: 'see decisions (action items), also those you or your office implement' },
  'decision.update': { roles: ['innovation_officer', 'head', 'field_officer'], scope: 'subtree', describe: 'record progress on a decision (also implementers outside the subtree)' },
  'letterhead.read': { roles: EVERYONE, scope: 'subtree', describe: "see an office's letterhead (name, address, motto, logo) and a sample PDF with it" },
  'letterhead.manage': { roles: ['admin', 'head', 'innovation_officer'], scope: 'subtree', describe: "change an office's letterhead: government line, name, address, motto, contact, logo" },
  'memo.read': { roles: EVERYONE, scope: 'subtree', describe: 'see memo-number registers and the numbers issued' },
  'memo.manage': { roles: ['admin', 'innovation_officer'], scope: 'subtree', describe: 'create memo-number registers' },
  'memo.claim': { roles: ['innovation_officer'], scope: 'subtree', describe: 'take a memo number for a letter written outside the system' },
  'self.manage': { roles: EVERYONE, scope: 'none', describe: 'own profile, password, language and API tokens' },
  'home.view': { roles: EVERYONE, scope: 'none', describe: 'own home page' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;

/** Writers are everyone but observers; later features use this for their write rules. */
export const WRITER_ROLES = WRITERS;

export interface Target {
  /** The office that owns the record. */
  readonly office?: string | null;
  /** Assignments that give access outside the subtree (a replication area run, a decision to implement...). */
  readonly assignedUsers?: readonly string[];
  readonly assignedOffices?: readonly string[];
}

export type Decision = 'allow' | 'forbidden' | 'not_found';

export function permittedPosts(actor: Actor, action: Action): Post[] {
  const rule: Rule = RULES[action];
  return actor.posts.filter((p) => p.roles.some((r) => rule.roles.includes(r)));
}

export function decide(actor: Actor, action: Action, tree: OfficeTree, target?: Target): Decision {
  const rule: Rule = RULES[action];
  const posts = permittedPosts(actor, action);
  if (posts.length === 0) return 'forbidden';
  if (rule.scope === 'none' || !target) return 'allow';
  if (target.office && posts.some((p) => tree.contains(p.office, target.office))) return 'allow';
  if (target.assignedUsers?.includes(actor.userId)) return 'allow';
  if (target.assignedOffices?.some((o) => posts.some((p) => tree.contains(p.office, o)))) return 'allow';
  return 'not_found';
}

/** Throws ForbiddenError or NotFoundError unless the actor may do `action` on `target`. */
export function assertCan(actor: Actor, action: Action, tree: OfficeTree, target?: Target): void {
  const d = decide(actor, action, tree, target);
  if (d === 'forbidden') throw new ForbiddenError();
  if (d === 'not_found') throw new NotFoundError();
}

/** The offices whose records the actor may reach for `action` (the union of the permitted posts' subtrees). */
export function scopeOffices(actor: Actor, action: Action, tree: OfficeTree): Set<string> {
  const out = new Set<string>();
  for (const p of permittedPosts(actor, action)) for (const id of tree.subtreeIds(p.office)) out.add(id);
  return out;
}
