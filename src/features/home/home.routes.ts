// The home page: a landing page for visitors, and for a signed-in person what needs their attention,
// by role. Sections stay empty until the features that fill them arrive; each says so plainly.
import { dhakaDateOf, quarterLabelBn, quarterOf, reportDueDate, type Clock } from '../../lib/index.js';
import type { Actor } from '../access/actor.js';
import { Routes, type RouteTable } from '../access/routes.js';
import type { Role } from '../users/user.model.js';

/** The sections of the home page for each role, in order. */
const SECTIONS: Record<Role, readonly string[]> = {
  admin: ['admin.mustChange', 'admin.recent'],
  innovation_officer: ['officer.drafts', 'officer.stuck', 'officer.decisions'],
  head: ['head.toSign', 'head.gates'],
  field_officer: ['field.evidence', 'field.areas'],
  monitor: ['monitor.toReview', 'monitor.overdue'],
  observer: ['observer.overview'],
};

export function homeRoutes(deps: { table: RouteTable }): Routes {
  const routes = new Routes(deps.table, 'page');
  routes.get('/', 'public', async (req, res) => {
    const clock = req.app.locals.clock as Clock;
    const today = dhakaDateOf(clock.now());
    const q = quarterOf(today);
    const facts = { today, quarter: quarterLabelBn(q.fiscalYear, q.quarter), dueDate: reportDueDate(q.fiscalYear, q.quarter) };
    if (!req.user) return res.render('home/index', { title: res.locals.t('home.title'), ...facts });
    res.render('home/dashboard', { title: res.locals.t('home.dashboard'), ...facts, sections: sectionsFor(req.user) });
  });
  return routes;
}

function sectionsFor(actor: Actor): { role: Role; keys: readonly string[] }[] {
  const roles = [...new Set(actor.posts.flatMap((p) => p.roles))];
  return roles.map((role) => ({ role, keys: SECTIONS[role] }));
}
