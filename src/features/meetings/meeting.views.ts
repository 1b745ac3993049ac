// The API shapes of meetings and decisions.
import { type Clock, dhakaDateOf } from '../../lib/index.js';
import type { OfficeTree } from '../../kernel/office-tree.js';
import { isOverdue } from './decisions.service.js';
import type { ActionItemDoc, MeetingDoc } from './meeting.model.js';

const idOrNull = (v: unknown) => (v ? String(v) : null);

function party(p: { user?: unknown; office?: unknown; text?: string | null }) {
  return { text: p.text ?? '', user: idOrNull(p.user), office: idOrNull(p.office) };
}

function person(p: { user?: unknown; name?: string | null; designation?: string | null; office?: string | null; present?: boolean | null; reason?: string | null }) {
  return { user: idOrNull(p.user), name: p.name ?? '', designation: p.designation ?? '', office: p.office ?? '', present: p.present !== false, reason: p.reason ?? null };
}

export function decisionView(d: ActionItemDoc, clock: Clock) {
  return {
    id: String(d._id),
    version: d.__v,
    meeting: { id: String(d.meeting), subject: d.meetingSubject ?? null, date: d.meetingDate ?? null, memoNumber: d.memoNumber ?? null },
    office: String(d.office),
    number: d.number ?? null,
    text: d.text,
    implementers: (d.implementers ?? []).map(party),
    deadline: d.deadline ?? null,
    initiatives: (d.initiatives ?? []).map(String),
    status: d.status,
    overdue: isOverdue(d, clock),
    updates: (d.updates ?? []).map((u) => ({ at: u.at, by: u.by?.name ?? null, status: u.status ?? null, text: u.text ?? null })),
  };
}

export function meetingView(m: MeetingDoc, tree: OfficeTree, extra: { previousDecisions?: ActionItemDoc[]; clock: Clock; canSign?: boolean }) {
  const decisions = m.minutes?.decisions ?? [];
  return {
    id: String(m._id),
    version: m.__v,
    kind: m.kind,
    subject: m.subject,
    office: { id: String(m.office), name: tree.get(String(m.office))?.nameBn ?? null },
    chair: { user: idOrNull(m.chair?.user), name: m.chair?.name ?? null, designation: m.chair?.designation ?? null, text: m.chair?.text ?? '' },
    venue: m.venue ?? '',
    startsAt: m.startsAt,
    date: dhakaDateOf(m.startsAt),
    durationMinutes: m.durationMinutes ?? 120,
    series: m.series,
    previous: idOrNull(m.previous),
    agendaItems: (m.agendaItems ?? []).map((a) => ({ text: a.text ?? '', initiatives: (a.initiatives ?? []).map(String) })),
    observers: (m.observers ?? []).map(person),
    attendance: (m.attendance ?? []).map(person),
    minutes: {
      opening: m.minutes?.opening ?? '',
      confirmation: m.minutes?.confirmation ?? '',
      items: (m.minutes?.items ?? []).map((i) => ({ topic: i.topic ?? '', paragraphs: i.paragraphs ?? [], speakers: i.speakers ?? [] })),
      decisions: decisions.map((d) => ({ id: String(d._id), text: d.text, implementers: (d.implementers ?? []).map(party), deadline: d.deadline ?? null, initiatives: (d.initiatives ?? []).map(String), item: d.item ?? null })),
      closing: m.minutes?.closing ?? '',
    },
    previousDecisions: (extra.previousDecisions ?? []).map((d) => decisionView(d, extra.clock)),
    status: m.status,
    history: (m.history ?? []).map((h) => ({ status: h.status, at: h.at, by: h.by?.name ?? null, comment: h.comment ?? null })),
    signedBy: m.signedBy?.name ? { id: idOrNull(m.signedBy.id), name: m.signedBy.name, designation: m.signedBy.designation ?? '', office: m.signedBy.office ?? '' } : null,
    signedAt: m.signedAt ?? null,
    contentHash: m.contentHash ?? null,
    memoNumber: m.memoNumber ?? null,
    issuedAt: m.issuedAt ?? null,
    distribution: (m.distribution ?? []).map((d) => ({ ...party(d), purpose: d.purpose })),
    notBySeniority: !!m.notBySeniority,
    issuer: m.issuer?.name ? { id: idOrNull(m.issuer.id), name: m.issuer.name, designation: m.issuer.designation ?? '', office: m.issuer.office ?? '' } : null,
    notice: m.notice?.memoNumber ? { memoNumber: m.notice.memoNumber, issuedAt: m.notice.issuedAt ?? null, distribution: (m.notice.distribution ?? []).map((d) => ({ ...party(d), purpose: d.purpose })), sequence: m.notice.sequence ?? 0 } : null,
    corrects: idOrNull(m.corrects),
    correctedBy: idOrNull(m.correctedBy),
    verifyCode: m.verifyCode ?? null,
    pdf: m.pdf?.sha256 ? { sha256: m.pdf.sha256, bytes: m.pdf.bytes ?? null } : null,
    canSign: extra.canSign ?? false,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}
