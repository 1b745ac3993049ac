// The home page: a landing page for visitors, and for a signed-in person what needs their attention,
// by role, live: proposals to approve, minutes to sign or finish, decisions due or overdue, stuck pilots, areas
// run. Sections whose feature has not arrived yet (quarterly evidence, monitoring) stay empty and say so plainly.
import type { Request } from 'express';
import { dhakaDateOf, quarterLabelBn, quarterOf, reportDueDate, type Clock } from '../../lib/index.js';
import type { Actor } from '../../kernel/actor.js';
import { Routes, type RouteTable } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import type { ActionItemDoc } from '../meetings/index.js';
import type { Role } from '../../kernel/roles.js';
import { CARD_ROWS, decisionsDue, isOverdue, minutesInProgress, minutesToSign, myAreas, myDecisions, overdueDecisions, pendingProposals, stuckPilots } from './home.service.js';

/** The sections of the home page for each role, in order. */
const SECTIONS: Record<Role, readonly string[]> = {
  admin: ['admin.mustChange', 'admin.recent'],
  innovation_officer: ['officer.drafts', 'officer.proposals', 'officer.decisions', 'officer.stuck'],
  head: ['head.gates', 'head.toSign', 'head.overdue', 'head.stuck'],
  field_officer: ['field.decisions', 'field.areas', 'field.evidence'],
  monitor: ['monitor.toReview', 'monitor.overdue'],
  observer: ['observer.overview'],
};

/** One row of a card: a link, with a line of detail, a date and a warning badge when due. */
interface Row {
  readonly href: string;
  readonly text: string;
  readonly meta?: string | undefined;
  readonly date?: string | undefined;
  readonly badge?: string | undefined;
}

/** A live card: how many there are, the first rows, and where the full list is. */
interface Card {
  readonly count: number;
  readonly rows: Row[];
  readonly more?: string;
  /** More than the rows shown. */
  readonly hasMore: boolean;
}

type Loader = (actor: Actor, req: Request) => Promise<Card>;

const short = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const card = (rows: Row[], more?: string, count = rows.length): Card => ({ count, rows: rows.slice(0, CARD_ROWS), hasMore: count > Math.min(rows.length, CARD_ROWS), ...(more ? { more } : {}) });

function loaders(stuckMonths: number): Partial<Record<string, Loader>> {
  const clockOf = (req: Request) => req.app.locals.clock as Clock;
  const t = (req: Request, key: string) => (req.res!.locals.t as (k: string) => string)(key);
  const officeName = async (id: string) => (await officeTree()).get(id)?.nameBn ?? '';
  const decisionRows = (req: Request, items: ActionItemDoc[]): Row[] =>
    items.map((d) => ({ href: `/decisions${isOverdue(d, clockOf(req)) ? '?overdue=1' : ''}`, text: short(d.text), meta: d.meetingSubject ? short(d.meetingSubject, 80) : undefined, date: d.deadline ?? undefined, badge: isOverdue(d, clockOf(req)) ? t(req, 'home.overdueBadge') : undefined }));
  const stages = (req: Request, from: string, to: string) => `${t(req, `initiatives.stages.${from}`)} → ${t(req, `initiatives.stages.${to}`)}`;
  const proposals = (which: 'awaiting' | 'mine'): Loader => async (actor, req) =>
    card((await pendingProposals(actor, which)).map((p) => ({ href: `/initiatives/${p.initiative}`, text: p.title, meta: `${stages(req, p.from, p.to)}${which === 'awaiting' && p.by ? ` · ${p.by}` : ''}`, date: dhakaDateOf(p.at) })));
  const stuck: Loader = async (actor, req) => {
    const s = await stuckPilots(actor, clockOf(req).now(), stuckMonths);
    return card(await Promise.all(s.items.map(async (i) => ({ href: `/initiatives/${i.id}`, text: i.title, meta: await officeName(i.office) }))), '/initiatives?stuck=true', s.total);
  };
  return {
    'officer.drafts': async (actor, req) => card((await minutesInProgress(actor)).map((m) => ({ href: `/meetings/${String(m._id)}/minutes`, text: m.subject, meta: t(req, `meetings.statuses.${m.status}`), date: dhakaDateOf(m.startsAt), badge: m.status === 'returned' ? t(req, 'meetings.statuses.returned') : undefined })), '/meetings'),
    'officer.proposals': proposals('mine'),
    'officer.decisions': async (actor, req) => card(decisionRows(req, await decisionsDue(actor, clockOf(req))), '/decisions'),
    'officer.stuck': stuck,
    'head.gates': proposals('awaiting'),
    'head.toSign': async (actor) => card(await Promise.all((await minutesToSign(actor)).map(async (m) => ({ href: `/meetings/${String(m._id)}`, text: m.subject, meta: await officeName(String(m.office)), date: dhakaDateOf(m.startsAt) }))), '/meetings/signing'),
    'head.overdue': async (actor, req) => card(decisionRows(req, await overdueDecisions(actor, clockOf(req))), '/decisions?overdue=1'),
    'head.stuck': stuck,
    'field.decisions': async (actor, req) => card(decisionRows(req, await myDecisions(actor, clockOf(req))), '/decisions?mine=1'),
    'field.areas': async (actor, req) => card((await myAreas(actor)).map((a) => ({ href: `/initiatives/${a.initiative}#areas`, text: `${a.area} — ${a.title}`, meta: t(req, `initiatives.areaStatuses.${a.status}`) }))),
  };
}

export function homeRoutes(deps: { table: RouteTable; stuckPilotMonths?: number }): Routes {
  const live = loaders(deps.stuckPilotMonths ?? 6);
  const routes = new Routes(deps.table, 'page');
  routes.get('/', 'public', async (req, res) => {
    const clock = req.app.locals.clock as Clock;
    const today = dhakaDateOf(clock.now());
    const q = quarterOf(today);
    const facts = { today, quarter: quarterLabelBn(q.fiscalYear, q.quarter), dueDate: reportDueDate(q.fiscalYear, q.quarter) };
    if (!req.user) return res.render('home/index', { title: res.locals.t('home.title'), ...facts });
    const actor = req.user;
    const roles = [...new Set(actor.posts.flatMap((p) => p.roles))];
    // Each card once, even when two roles of the person share it; the cards load side by side.
    const keys = [...new Set(roles.flatMap((r) => SECTIONS[r]))];
    const cards = new Map(await Promise.all(keys.map(async (key) => [key, await live[key]?.(actor, req)] as const)));
    const sections = roles.map((role) => ({ role, cards: SECTIONS[role].map((key) => ({ key, live: cards.get(key) !== undefined, ...cards.get(key) })) }));
    res.render('home/dashboard', { title: res.locals.t('home.dashboard'), ...facts, sections });
  });
  return routes;
}
