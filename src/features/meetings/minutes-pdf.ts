// The minutes as a PDF in the government layout. Issued minutes are rendered once, at issue, and stored with
// their SHA-256 in one document read by _id (GridFS would find chunks by a filter, a full scan here), so every
// download returns the same bytes. Drafts are rendered fresh, with the "খসড়া" watermark. A public verification
// code (its own _id-keyed record) leads to /verify/:code.
import crypto from 'node:crypto';
import type { Types } from 'mongoose';
import { dhakaDateOf, formatDualDate, formatShortDateBn, formatTimeBn } from '../../lib/index.js';
import { isDuplicateKey } from '../../platform/db/claim.js';
import type { PdfRenderer } from '../../platform/pdf/index.js';
import { renderMinutesPdf, type MinutesDocument } from '../documents/index.js';
import { letterheadFor } from '../letterhead/index.js';
import { officeTree } from '../offices/index.js';
import { Meeting, MeetingPdf, VerifyCode, type ActionItemDoc, type MeetingDoc } from './meeting.model.js';
import { actionItemsOf } from './decisions.service.js';

const DECISION_STATUS_BN: Record<string, string> = { open: 'বাস্তবায়িত হয়নি', in_progress: 'চলমান', done: 'বাস্তবায়িত', dropped: 'বাদ দেওয়া হয়েছে' };

function paragraphs(text: string | null | undefined): string[] {
  return String(text ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

const deadlineBn = (d?: string | null) => (d ? formatShortDateBn(d) : undefined);
const joinParties = (ps: { text?: string | null }[] | null | undefined) => (ps ?? []).map((p) => p.text ?? '').filter(Boolean).join('; ');

/** A meeting as the document template receives it. */
export async function minutesDocument(m: MeetingDoc, options: { draft: boolean; verifyUrl?: string | undefined; previous?: ActionItemDoc[] }): Promise<MinutesDocument> {
  const tree = await officeTree();
  // The office's letterhead setting (defaults from the office record), one cached _id read.
  const letterhead = await letterheadFor(String(m.office));
  const officeName = tree.get(String(m.office))?.nameBn ?? letterhead.officeName;
  const decisions = m.minutes?.decisions ?? [];
  const previous = options.previous ?? (await actionItemsOf(m.previous));
  const row = (d: (typeof decisions)[number]) => ({ text: d.text, implementers: joinParties(d.implementers), deadline: deadlineBn(d.deadline) });
  const dist = (purpose: string) => (m.distribution ?? []).filter((d) => d.purpose === purpose).map((d) => ({ text: d.text }));
  const issuedDate = m.issuedAt ? formatDualDate(dhakaDateOf(m.issuedAt)) : undefined;
  let corrects: string | undefined;
  if (m.corrects) {
    const orig = await Meeting.findById(m.corrects, { memoNumber: 1, issuedAt: 1 }).lean();
    if (orig?.memoNumber) corrects = `স্মারক নং-${orig.memoNumber}, তারিখ ${orig.issuedAt ? formatDualDate(dhakaDateOf(orig.issuedAt)) : ''} এর সংশোধনী`;
  }
  const issued = !options.draft && !!m.memoNumber;
  return {
    letterhead,
    subject: m.subject,
    chair: [m.chair?.name, m.chair?.text].filter(Boolean).join(', '),
    venue: m.venue ?? '',
    date: formatDualDate(dhakaDateOf(m.startsAt)),
    time: formatTimeBn(m.startsAt),
    attendanceLine: "পরিশিষ্ট 'ক'",
    opening: [...paragraphs(m.minutes?.opening), ...paragraphs(m.minutes?.confirmation)],
    previousDecisions: previous.map((d) => ({ text: d.text, implementers: joinParties(d.implementers), deadline: deadlineBn(d.deadline), status: DECISION_STATUS_BN[d.status] ?? d.status, lastUpdate: d.updates?.at(-1)?.text ?? undefined })),
    items: (m.minutes?.items ?? []).map((it, i) => ({ topic: it.topic ?? '', paragraphs: it.paragraphs ?? [], speakers: it.speakers ?? [], decisions: decisions.filter((d) => d.item === i).map(row) })),
    otherDecisions: decisions.filter((d) => d.item === null || d.item === undefined).map(row),
    closing: paragraphs(m.minutes?.closing),
    signer: m.signedBy?.name
      ? { date: m.signedAt ? formatDualDate(dhakaDateOf(m.signedAt)) : undefined, name: m.signedBy.name, lines: [m.signedBy.designation ?? '', m.signedBy.office ?? ''].filter(Boolean) }
      : { name: m.chair?.name ?? '', lines: [m.chair?.designation ?? m.chair?.text ?? ''].filter(Boolean) },
    memoNumber: issued ? m.memoNumber! : undefined,
    memoDate: issued ? issuedDate : undefined,
    notBySeniority: !!m.notBySeniority,
    distribution: { action: dist('action'), information: dist('information'), attention: dist('attention') },
    issuer: issued && m.issuer?.name ? { name: m.issuer.name, lines: [m.issuer.designation ?? '', m.issuer.office ?? ''].filter(Boolean) } : undefined,
    attendance: (m.attendance ?? []).map((a) => ({ name: a.name, designation: a.designation ?? '', office: a.office ?? '', present: a.present !== false, remark: a.present === false ? `অনুপস্থিত${a.reason ? ` (${a.reason})` : ''}` : undefined })),
    corrects,
    draft: options.draft,
    verification: issued && m.verifyCode && options.verifyUrl ? { code: m.verifyCode, url: options.verifyUrl } : undefined,
    meta: { title: m.subject, subject: `সভার কার্যবিবরণী — ${officeName}`, author: m.signedBy?.name ? `${m.signedBy.name}, ${m.signedBy.designation ?? ''}` : officeName, language: 'bn' },
  };
}

/** A stored binary as a Buffer (lean reads return BSON Binary). */
function bytesOf(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  const b = v as { buffer: Uint8Array; length(): number };
  return Buffer.from(b.buffer.subarray(0, b.length()));
}

export function verifyUrlOf(publicUrl: string | undefined, code: string): string {
  return `${publicUrl ?? ''}/verify/${code}`;
}

export function sha256(b: Buffer): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

/** Renders and stores the issued PDF (once: the first stored copy wins). */
export async function storeIssuedPdf(renderer: PdfRenderer, m: MeetingDoc, publicUrl: string | undefined): Promise<{ data: Buffer; sha256: string }> {
  const existing = await MeetingPdf.findById(String(m._id)).lean();
  if (existing) return { data: bytesOf(existing.data), sha256: existing.sha256! };
  const data = await renderMinutesPdf(renderer, await minutesDocument(m, { draft: false, verifyUrl: m.verifyCode ? verifyUrlOf(publicUrl, m.verifyCode) : undefined }));
  const hash = sha256(data);
  try {
    await MeetingPdf.create({ _id: String(m._id), meeting: m._id, data, sha256: hash, bytes: data.length, createdAt: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const won = await MeetingPdf.findById(String(m._id)).lean();
    return { data: bytesOf(won!.data), sha256: won!.sha256! };
  }
  await Meeting.updateOne({ _id: m._id }, { $set: { pdf: { id: String(m._id), sha256: hash, bytes: data.length } } });
  return { data, sha256: hash };
}

/** The stored PDF of issued minutes, if it has been rendered (one _id read). */
export async function storedIssuedPdf(meetingId: string): Promise<{ data: Buffer; sha256: string } | null> {
  const existing = await MeetingPdf.findById(meetingId).lean();
  return existing ? { data: bytesOf(existing.data), sha256: existing.sha256! } : null;
}

/** A draft (or not yet issued) minutes PDF, rendered fresh with the watermark. */
export async function renderDraftPdf(renderer: PdfRenderer, m: MeetingDoc): Promise<Buffer> {
  return renderMinutesPdf(renderer, await minutesDocument(m, { draft: true }));
}

export async function meetingForCode(code: string): Promise<Types.ObjectId | undefined> {
  if (!/^[0-9A-Z]{10,40}$/.test(code)) return undefined;
  return (await VerifyCode.findById(code).lean())?.meeting ?? undefined;
}
