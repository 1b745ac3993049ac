// Meeting pages and API: schedule, minutes editor, submit/return/sign/issue, signing queue, decisions.
import { findByIds } from '../../platform/db/ids.js';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { dhakaDateOf, formatDualDate, formatTimeBn, toLatinDigits, type Clock } from '../../lib/index.js';
import { AppError, ValidationError } from '../../kernel/errors.js';
import { flash, messageWithFields } from '../../platform/http/flash.js';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import { contextOf, decide, Routes, actorOf, type RouteTable } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import { User } from '../users/index.js';
import { MEETING_KINDS, PURPOSES, type MeetingDoc } from './meeting.model.js';
import {
  createDistributionListSchema,
  createMeetingSchema,
  decisionPatchSchema,
  decisionQuerySchema,
  issueSchema,
  listQuerySchema,
  minutesSchema,
  noticeSchema,
  returnSchema,
  updateMeetingSchema,
} from './meeting.schemas.js';
import { actionItemsOf, getDecision, updateDecision } from './decisions.service.js';
import { createDistributionList } from './distribution.service.js';
import { listDecisions, listDistributionLists, listMeetings, signingQueue } from './meeting.read-model.js';
import { createMeeting, getMeeting, issueNotice, updateMeeting } from './meeting.service.js';
import { createCorrigendum, issueMinutes, returnMinutes, saveMinutes, signMinutes, signingPost, submitMinutes } from './minutes.service.js';
import { decisionView, meetingView } from './meeting.views.js';
import type { MeetingEventBus } from './meeting.event-types.js';

const clockOf = (req: Request) => req.app.locals.clock as Clock;

export function meetingRoutes(deps: { table: RouteTable; api: OpenApiRegistry; events?: MeetingEventBus }): { pages: Routes; apiRoutes: Routes } {
  const pages = new Routes(deps.table, 'page');
  const api = new Routes(deps.table, 'api', '/api/v1');
  const ctxOf = (req: Request) => ({ ...contextOf(req), actor: actorOf(req), events: deps.events });

  const full = async (req: Request, m: MeetingDoc) => {
    const tree = await officeTree();
    return meetingView(m, tree, { previousDecisions: await actionItemsOf(m.previous), clock: clockOf(req), canSign: m.status === 'submitted' && !!signingPost(actorOf(req), m, tree) });
  };
  const id = (req: Request) => String(req.params.meetingId);

  // ------------------------------------------------------------------------------------------ API
  api.post('/meetings', 'meeting.manage', async (req, res) => {
    res.status(201).json(await full(req, await createMeeting(ctxOf(req), parseOrThrow(createMeetingSchema, req.body ?? {}))));
  });
  api.get('/meetings', 'meeting.read', async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query);
    const out = await listMeetings(actorOf(req), q);
    const tree = await officeTree();
    res.json({ items: out.items.map((m) => ({ id: String(m._id), kind: m.kind, subject: m.subject, office: { id: String(m.office), name: tree.get(String(m.office))?.nameBn ?? null }, startsAt: m.startsAt, venue: m.venue, status: m.status, memoNumber: m.memoNumber ?? null })), total: out.total, page: q.page, pageSize: q.pageSize });
  });
  api.get('/meetings/signing-queue', 'meeting.sign', async (req, res) => {
    const items = await signingQueue(actorOf(req));
    res.json({ items: items.map((m) => ({ id: String(m._id), subject: m.subject, startsAt: m.startsAt, office: String(m.office) })) });
  });
  api.get('/meetings/:meetingId', 'meeting.read', async (req, res) => {
    res.json(await full(req, await getMeeting(actorOf(req), id(req))));
  });
  api.patch('/meetings/:meetingId', 'meeting.manage', async (req, res) => {
    await getMeeting(actorOf(req), id(req));
    res.json(await full(req, await updateMeeting(ctxOf(req), id(req), parseOrThrow(updateMeetingSchema, req.body ?? {}))));
  });
  api.put('/meetings/:meetingId/minutes', 'meeting.manage', async (req, res) => {
    await getMeeting(actorOf(req), id(req));
    res.json(await full(req, await saveMinutes(ctxOf(req), id(req), parseOrThrow(minutesSchema, req.body ?? {}))));
  });
  api.post('/meetings/:meetingId/submit', 'meeting.manage', async (req, res) => {
    res.json(await full(req, await submitMinutes(ctxOf(req), id(req))));
  });
  api.post('/meetings/:meetingId/return', 'meeting.sign', async (req, res) => {
    await getMeeting(actorOf(req), id(req));
    res.json(await full(req, await returnMinutes(ctxOf(req), id(req), parseOrThrow(returnSchema, req.body ?? {}).comment)));
  });
  api.post('/meetings/:meetingId/sign', 'meeting.sign', async (req, res) => {
    res.json(await full(req, await signMinutes(ctxOf(req), id(req))));
  });
  api.post('/meetings/:meetingId/issue', 'meeting.manage', async (req, res) => {
    await getMeeting(actorOf(req), id(req));
    const out = await issueMinutes(ctxOf(req), id(req), parseOrThrow(issueSchema, req.body ?? {}));
    res.status(out.existing ? 200 : 201).json({ memoNumber: out.memoNumber, issuedAt: out.issuedAt, verifyCode: out.verifyCode, status: out.status, existing: out.existing });
  });
  api.post('/meetings/:meetingId/corrigendum', 'meeting.manage', async (req, res) => {
    res.status(201).json(await full(req, await createCorrigendum(ctxOf(req), id(req))));
  });
  api.post('/meetings/:meetingId/notice', 'meeting.manage', async (req, res) => {
    await getMeeting(actorOf(req), id(req));
    const m = await issueNotice(ctxOf(req), id(req), parseOrThrow(noticeSchema, req.body ?? {}));
    res.status(201).json((await full(req, m)).notice);
  });

  api.get('/decisions', 'decision.read', async (req, res) => {
    const q = parseOrThrow(decisionQuerySchema, req.query);
    const items = await listDecisions(actorOf(req), clockOf(req), q);
    res.json({ items: items.map((d) => decisionView(d, clockOf(req))), total: items.length });
  });
  api.get('/decisions/:decisionId', 'decision.read', async (req, res) => {
    res.json(decisionView(await getDecision(actorOf(req), String(req.params.decisionId)), clockOf(req)));
  });
  api.patch('/decisions/:decisionId', 'decision.update', async (req, res) => {
    await getDecision(actorOf(req), String(req.params.decisionId));
    res.json(decisionView(await updateDecision(ctxOf(req), String(req.params.decisionId), parseOrThrow(decisionPatchSchema, req.body ?? {})), clockOf(req)));
  });

  api.get('/distribution-lists', 'meeting.read', async (req, res) => {
    const items = await listDistributionLists(actorOf(req));
    res.json({ items: items.map((l) => ({ id: String(l._id), office: String(l.office), name: l.name, notBySeniority: !!l.notBySeniority, entries: l.entries.map((e) => ({ text: e.text, purpose: e.purpose, user: e.user ? String(e.user) : null, office: e.office ? String(e.office) : null })) })) });
  });
  api.post('/distribution-lists', 'meeting.manage', async (req, res) => {
    const l = await createDistributionList(ctxOf(req), parseOrThrow(createDistributionListSchema, req.body ?? {}));
    res.status(201).json({ id: String(l._id), name: l.name, office: String(l.office), notBySeniority: !!l.notBySeniority, entries: l.entries.map((e) => ({ text: e.text, purpose: e.purpose })) });
  });

  // ------------------------------------------------------------------------------------------ pages
  const lang = (res: Response): 'bn' | 'en' => (res.locals.lang === 'en' ? 'en' : 'bn');
  const back = (req: Request, res: Response, err: unknown, to: string) => {
    if (!(err instanceof AppError) || ![400, 409].includes(err.status)) throw err;
    flash(req, 'error', messageWithFields(err));
    res.redirect(to);
  };

  pages.get('/meetings', 'meeting.read', async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query);
    const out = await listMeetings(actorOf(req), q);
    const tree = await officeTree();
    const today = dhakaDateOf(clockOf(req).now());
    // A calendar in list form: upcoming meetings first, then past ones by month.
    const rows = out.items.map((m) => ({ id: String(m._id), subject: m.subject, status: m.status, office: tree.get(String(m.office))?.nameBn, date: formatDualDate(dhakaDateOf(m.startsAt)), time: formatTimeBn(m.startsAt), venue: m.venue, memoNumber: m.memoNumber, upcoming: dhakaDateOf(m.startsAt) >= today, month: dhakaDateOf(m.startsAt).slice(0, 7) }));
    res.render('meetings/index', {
      title: res.locals.t('meetings.title'),
      upcoming: rows.filter((r) => r.upcoming).reverse(),
      past: rows.filter((r) => !r.upcoming),
      total: out.total,
      canCreate: decide(actorOf(req), 'meeting.manage', tree) === 'allow',
    });
  });

  pages.get('/meetings/new', 'meeting.manage', async (req, res) => {
    const tree = await officeTree();
    res.render('meetings/new', { title: res.locals.t('meetings.new'), kinds: MEETING_KINDS, values: {}, offices: tree.all().filter((o) => decide(actorOf(req), 'meeting.manage', tree, { office: o.id }) === 'allow') });
  });
  pages.post('/meetings/new', 'meeting.manage', async (req, res) => {
    const b = req.body as Record<string, string>;
    const attendance = String(b.attendance ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [name, designation, office, absent] = l.split('|').map((x) => x.trim());
        return { name, designation, office, present: !absent, reason: absent || undefined };
      });
    try {
      const m = await createMeeting(ctxOf(req), parseOrThrow(createMeetingSchema, { kind: b.kind, subject: b.subject, office: b.office || undefined, chair: b.chairUser ? { user: b.chairUser } : { text: b.chairText ?? '' }, venue: b.venue, startsAt: `${b.date ?? ''}T${b.time ?? ''}`, attendance, agendaItems: String(b.agenda ?? '').split('\n').map((l) => l.trim()).filter(Boolean) }));
      flash(req, 'success', { bn: 'সভা তৈরি হয়েছে।', en: 'Meeting created.' });
      res.redirect(`/meetings/${String(m._id)}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const tree = await officeTree();
      const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.split('.')[0]!, typeof v === 'string' ? v : v[lang(res)]]));
      res.status(400).render('meetings/new', { title: res.locals.t('meetings.new'), kinds: MEETING_KINDS, values: b, errors, offices: tree.all().filter((o) => decide(actorOf(req), 'meeting.manage', tree, { office: o.id }) === 'allow') });
    }
  });

  pages.get('/meetings/signing', 'meeting.sign', async (req, res) => {
    const items = await signingQueue(actorOf(req));
    const tree = await officeTree();
    res.render('meetings/signing', { title: res.locals.t('meetings.signingQueue'), items: items.map((m) => ({ id: String(m._id), subject: m.subject, office: tree.get(String(m.office))?.nameBn, date: formatDualDate(dhakaDateOf(m.startsAt)) })) });
  });

  pages.get('/meetings/:meetingId', 'meeting.read', async (req, res) => {
    const m = await getMeeting(actorOf(req), id(req));
    const v = await full(req, m);
    const tree = await officeTree();
    const manage = decide(actorOf(req), 'meeting.manage', tree, { office: String(m.office) }) === 'allow';
    const items = v.minutes.items.map((it, i) => ({ ...it, n: i + 1, decisions: v.minutes.decisions.filter((d) => d.item === i) }));
    res.render('meetings/show', {
      title: m.subject,
      m: v,
      date: formatDualDate(v.date),
      time: formatTimeBn(m.startsAt),
      items,
      otherDecisions: v.minutes.decisions.filter((d) => d.item === null),
      action: v.distribution.filter((d) => d.purpose === 'action'),
      information: v.distribution.filter((d) => d.purpose === 'information'),
      attention: v.distribution.filter((d) => d.purpose === 'attention'),
      can: {
        edit: manage && (m.status === 'draft' || m.status === 'returned'),
        submit: manage && (m.status === 'draft' || m.status === 'returned'),
        sign: v.canSign,
        issue: manage && m.status === 'signed',
        corrigendum: manage && m.status === 'issued' && !m.correctedBy,
      },
      purposes: PURPOSES,
    });
  });

  pages.get('/meetings/:meetingId/minutes', 'meeting.manage', async (req, res) => {
    const m = await getMeeting(actorOf(req), id(req));
    const v = await full(req, m);
    // Blank rows to fill in: the editor works without scripts.
    const items = [...v.minutes.items.map((i) => ({ topic: i.topic, paragraphs: i.paragraphs.join('\n\n'), speakers: i.speakers.join(', ') })), ...Array.from({ length: 3 }, () => ({ topic: '', paragraphs: '', speakers: '' }))];
    const decisions = [...v.minutes.decisions.map((d) => ({ id: d.id, text: d.text, implementers: d.implementers.map((p) => p.text).join('; '), deadline: d.deadline ?? '', item: d.item === null ? '' : String(d.item + 1) })), ...Array.from({ length: 5 }, () => ({ id: '', text: '', implementers: '', deadline: '', item: '' }))];
    res.render('meetings/minutes', { title: res.locals.t('meetings.editMinutes'), m: v, items: items.map((x, i) => ({ ...x, i })), decisions: decisions.map((x, i) => ({ ...x, i })), frozen: !(m.status === 'draft' || m.status === 'returned') });
  });
  pages.post('/meetings/:meetingId/minutes', 'meeting.manage', async (req, res) => {
    const b = req.body as Record<string, string>;
    await getMeeting(actorOf(req), id(req));
    const items: { topic: string; paragraphs: string; speakers: string[] }[] = [];
    const itemIndex = new Map<number, number>();
    for (let i = 0; i < 200 && b[`item_${i}_topic`] !== undefined; i++) {
      const topic = (b[`item_${i}_topic`] ?? '').trim();
      if (!topic) continue;
      itemIndex.set(i + 1, items.length);
      items.push({ topic, paragraphs: b[`item_${i}_paragraphs`] ?? '', speakers: (b[`item_${i}_speakers`] ?? '').split(',').map((s) => s.trim()).filter(Boolean) });
    }
    const decisions = [];
    for (let i = 0; i < 500 && b[`decision_${i}_text`] !== undefined; i++) {
      const text = (b[`decision_${i}_text`] ?? '').trim();
      if (!text) continue;
      const item = (b[`decision_${i}_item`] ?? '').trim();
      const itemNo = item ? Number(toLatinDigits(item)) : NaN;
      decisions.push({ id: b[`decision_${i}_id`] || undefined, text, implementers: (b[`decision_${i}_implementers`] ?? '').split(';').map((s) => s.trim()).filter(Boolean), deadline: b[`decision_${i}_deadline`] || undefined, item: Number.isFinite(itemNo) ? (itemIndex.get(itemNo) ?? itemNo - 1) : null });
    }
    try {
      await saveMinutes(ctxOf(req), id(req), parseOrThrow(minutesSchema, { opening: b.opening ?? '', confirmation: b.confirmation ?? '', items, decisions, closing: b.closing ?? '', version: b.version ? Number(b.version) : undefined }));
      flash(req, 'success', { bn: 'কার্যবিবরণী সংরক্ষিত হয়েছে।', en: 'Minutes saved.' });
      res.redirect(`/meetings/${id(req)}`);
    } catch (err) {
      back(req, res, err, `/meetings/${id(req)}/minutes`);
    }
  });

  const action = (path: string, access: 'meeting.manage' | 'meeting.sign', run: (req: Request) => Promise<unknown>, done: { bn: string; en: string }) => {
    pages.post(`/meetings/:meetingId/${path}`, access, async (req, res) => {
      try {
        await getMeeting(actorOf(req), id(req));
        await run(req);
        flash(req, 'success', done);
        res.redirect(`/meetings/${id(req)}`);
      } catch (err) {
        back(req, res, err, `/meetings/${id(req)}`);
      }
    });
  };
  action('submit', 'meeting.manage', (req) => submitMinutes(ctxOf(req), id(req)), { bn: 'স্বাক্ষরের জন্য দাখিল করা হয়েছে।', en: 'Submitted for signature.' });
  action('return', 'meeting.sign', (req) => returnMinutes(ctxOf(req), id(req), parseOrThrow(returnSchema, req.body ?? {}).comment), { bn: 'মন্তব্যসহ ফেরত পাঠানো হয়েছে।', en: 'Returned with comments.' });
  action('sign', 'meeting.sign', (req) => signMinutes(ctxOf(req), id(req)), { bn: 'কার্যবিবরণী স্বাক্ষরিত হয়েছে।', en: 'The minutes are signed.' });
  action(
    'issue',
    'meeting.manage',
    (req) => {
      const b = req.body as Record<string, string>;
      const distribution = PURPOSES.flatMap((purpose) => String(b[`dist_${purpose}`] ?? '').split('\n').map((l) => l.trim()).filter(Boolean).map((text) => ({ text, purpose })));
      return issueMinutes(ctxOf(req), id(req), parseOrThrow(issueSchema, { distribution, notBySeniority: b.notBySeniority === 'on' }));
    },
    { bn: 'কার্যবিবরণী জারি হয়েছে।', en: 'The minutes are issued.' },
  );
  pages.post('/meetings/:meetingId/corrigendum', 'meeting.manage', async (req, res) => {
    try {
      const c = await createCorrigendum(ctxOf(req), id(req));
      flash(req, 'success', { bn: 'সংশোধনীর খসড়া তৈরি হয়েছে।', en: 'A corrigendum draft was created.' });
      res.redirect(`/meetings/${String(c._id)}/minutes`);
    } catch (err) {
      back(req, res, err, `/meetings/${id(req)}`);
    }
  });

  pages.get('/decisions', 'decision.read', async (req, res) => {
    const q = parseOrThrow(decisionQuerySchema, req.query);
    const items = await listDecisions(actorOf(req), clockOf(req), q);
    const users = await findByIds<{ _id: unknown; nameBn: string }>(User, items.flatMap((d) => d.assignedUsers ?? []), { nameBn: 1 });
    const names = new Map(users.map((u) => [String(u._id), u.nameBn]));
    res.render('meetings/decisions', {
      title: res.locals.t('meetings.decisions'),
      q,
      items: items.map((d) => ({ ...decisionView(d, clockOf(req)), people: (d.assignedUsers ?? []).map((u) => names.get(u)).filter(Boolean).join(', ') })),
    });
  });
  pages.post('/decisions/:decisionId', 'decision.update', async (req, res) => {
    const b = req.body as Record<string, string>;
    try {
      await getDecision(actorOf(req), String(req.params.decisionId));
      await updateDecision(ctxOf(req), String(req.params.decisionId), parseOrThrow(decisionPatchSchema, { status: b.status || undefined, update: b.update }));
      flash(req, 'success', { bn: 'অগ্রগতি লেখা হয়েছে।', en: 'Progress recorded.' });
    } catch (err) {
      if (!(err instanceof AppError) || ![400, 409].includes(err.status)) throw err;
      flash(req, 'error', err.messages);
    }
    res.redirect('/decisions');
  });

  // ------------------------------------------------------------------------------------------ OpenAPI
  const err = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
  const ops: [string, string, string, z.ZodType | undefined, Record<number, { description: string; schema?: z.ZodType }>][] = [
    ['post', '/api/v1/meetings', 'Schedule a meeting (status draft). chair: { user } or { text }; startsAt ISO with the Dhaka offset', createMeetingSchema, { 201: { description: 'The meeting with id and status "draft"' }, 400: { description: 'Invalid input', schema: err } }],
    ['get', '/api/v1/meetings', 'Meetings in your scope, newest first', undefined, { 200: { description: '{ items, total }' } }],
    ['get', '/api/v1/meetings/signing-queue', 'Submitted minutes you may sign', undefined, { 200: { description: '{ items }' } }],
    ['get', '/api/v1/meetings/{meetingId}', 'A meeting with its minutes, status, signature, content hash, memo number, distribution, previous decisions, verifyCode', undefined, { 200: { description: 'The meeting' } }],
    ['patch', '/api/v1/meetings/{meetingId}', 'Edit the meeting (draft or returned only; signed → 409)', updateMeetingSchema, { 200: { description: 'The meeting' }, 409: { description: 'Signed or submitted' } }],
    ['put', '/api/v1/meetings/{meetingId}/minutes', 'Save the minutes (draft or returned only; signed → 409, audited). Implementers: strings or { user | office | text }', minutesSchema, { 200: { description: 'The meeting' }, 409: { description: 'Not editable in this status' } }],
    ['post', '/api/v1/meetings/{meetingId}/submit', 'Submit for signature (draft/returned → submitted)', undefined, { 200: { description: 'The meeting' }, 409: { description: 'Wrong status' } }],
    ['post', '/api/v1/meetings/{meetingId}/return', 'Return with a comment (submitted → returned; the signer)', returnSchema, { 200: { description: 'The meeting' }, 409: { description: 'Wrong status' } }],
    ['post', '/api/v1/meetings/{meetingId}/sign', 'Sign (submitted → signed): a head of the office or above, acting charge included, or the chair', undefined, { 200: { description: 'The meeting with signedBy, signedAt, contentHash' }, 403: { description: 'Not a signer' }, 409: { description: 'Wrong status' } }],
    ['post', '/api/v1/meetings/{meetingId}/issue', 'Issue (signed → issued): memo number, distribution, issuing officer. Idempotent: a retry returns the same number', issueSchema, { 201: { description: '{ memoNumber, issuedAt, verifyCode }' }, 200: { description: 'Already issued: the same number' }, 409: { description: 'Wrong status, or the office has no register' } }],
    ['post', '/api/v1/meetings/{meetingId}/corrigendum', 'A corrigendum: a new draft version of issued minutes that names the original', undefined, { 201: { description: 'The new meeting version' } }],
    ['post', '/api/v1/meetings/{meetingId}/notice', 'Issue the meeting notice (its own memo number) and send invitations with .ics', noticeSchema, { 201: { description: '{ memoNumber, issuedAt, distribution }' } }],
    ['get', '/api/v1/decisions', 'Decisions (action items) in scope: ?status=open|in_progress|done|dropped&overdue=1&office=&user=&mine=1', undefined, { 200: { description: '{ items, total }' } }],
    ['get', '/api/v1/decisions/{decisionId}', 'One decision with its updates', undefined, { 200: { description: 'The decision' } }],
    ['patch', '/api/v1/decisions/{decisionId}', 'Record progress: { status, update }', decisionPatchSchema, { 200: { description: 'The decision' } }],
    ['get', '/api/v1/distribution-lists', 'Saved distribution lists', undefined, { 200: { description: '{ items }' } }],
    ['post', '/api/v1/distribution-lists', 'Save a distribution list for reuse', createDistributionListSchema, { 201: { description: 'The list' } }],
  ];
  for (const [method, path, summary, body, responses] of ops) deps.api.add({ method: method as 'get', path, summary, tags: ['meetings'], auth: true, ...(body ? { body } : {}), responses });
  return { pages, apiRoutes: api };
}
