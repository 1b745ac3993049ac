// Initiative attachments: upload (checked: type, contents, size), list, download, remove (marked, bytes kept).
// Reading follows the initiative's read rule; uploading and removing need the right to edit it (its office's
// innovation officer or head).
import crypto from 'node:crypto';
import type { Types } from 'mongoose';
import { normaliseText } from '../../lib/index.js';
import { ForbiddenError, NotFoundError, ValidationError, type Message } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/actor.js';
import type { RequestContext } from '../../kernel/context.js';
import { recordAudit } from '../audit/index.js';
import { officeTree } from '../offices/index.js';
import { Attachment, AttachmentFile, attachmentId, type AttachmentDoc } from './attachment.model.js';
import { readAttachment, readAttachments } from './attachment.store.js';
import { Initiative, type InitiativeDoc } from './initiative.model.js';
import { recordInitiativeChange } from './initiative.read-model.js';
import { canEditDetails, getInitiative } from './initiative.service.js';

type Ctx = RequestContext & { actor: Actor };

/** Largest file accepted (a 10 MB file and its record fit in one 16 MB BSON document). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_CAPTION = 300;

interface Kind {
  readonly contentType: string;
  /** True when the bytes look like this kind (cheap checks of the first bytes; text must be UTF-8 without NULs). */
  readonly looksRight: (b: Buffer) => boolean;
  /** Shown in the browser (PDF, images) rather than saved. */
  readonly inline: boolean;
}

const starts = (b: Buffer, ...bytes: number[]) => bytes.every((x, i) => b[i] === x);
const ascii = (b: Buffer, at: number, s: string) => b.subarray(at, at + s.length).toString('latin1') === s;
const isZip = (b: Buffer) => starts(b, 0x50, 0x4b, 0x03, 0x04);
/** An Office Open XML package names its parts in clear text in the zip directory. */
const zipHas = (b: Buffer, part: string) => isZip(b) && b.includes(Buffer.from('[Content_Types].xml')) && b.includes(Buffer.from(part));
const isOle = (b: Buffer) => starts(b, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const isText = (b: Buffer) => {
  if (b.includes(0)) return false;
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
};

/** The accepted kinds, by file name extension. */
export const KINDS: Readonly<Record<string, Kind>> = {
  pdf: { contentType: 'application/pdf', looksRight: (b) => ascii(b, 0, '%PDF-'), inline: true },
  png: { contentType: 'image/png', looksRight: (b) => starts(b, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), inline: true },
  jpg: { contentType: 'image/jpeg', looksRight: (b) => starts(b, 0xff, 0xd8, 0xff), inline: true },
  jpeg: { contentType: 'image/jpeg', looksRight: (b) => starts(b, 0xff, 0xd8, 0xff), inline: true },
  webp: { contentType: 'image/webp', looksRight: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP'), inline: true },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', looksRight: (b) => zipHas(b, 'word/'), inline: false },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', looksRight: (b) => zipHas(b, 'xl/'), inline: false },
  doc: { contentType: 'application/msword', looksRight: isOle, inline: false },
  xls: { contentType: 'application/vnd.ms-excel', looksRight: isOle, inline: false },
  txt: { contentType: 'text/plain; charset=utf-8', looksRight: isText, inline: false },
  csv: { contentType: 'text/csv; charset=utf-8', looksRight: isText, inline: false },
};

const ALLOWED_TEXT = 'PDF, PNG, JPEG, WebP, DOCX, XLSX, DOC, XLS, TXT, CSV';

/** A file name as it may be stored and shown: NFC, no folders, no control characters, at most 200 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim();
  if (cleaned.length <= 200) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 200 - ext.length) + ext;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

const bad = (bn: string, en: string): ValidationError => {
  const m: Message = { bn, en };
  return new ValidationError({ file: m }, m);
};

export interface UploadedFile {
  readonly originalname: string;
  readonly buffer: Buffer;
}

/** Checks a file before anything is written: present, not empty, small enough, an accepted kind whose bytes match. */
export function checkFile(file: UploadedFile | undefined): { name: string; kind: Kind; bytes: Buffer } {
  if (!file) throw bad('কোনো ফাইল পাওয়া যায়নি। "file" ঘরে একটি ফাইল দিন।', 'No file was received. Send one in the "file" field.');
  const name = cleanFileName(file.originalname || '');
  if (!name) throw bad('ফাইলের নাম পাওয়া যায়নি।', 'The file has no name.');
  if (file.buffer.length === 0) throw bad(`"${name}" ফাইলটি খালি।`, `"${name}" is empty.`);
  if (file.buffer.length > MAX_ATTACHMENT_BYTES) throw tooLarge();
  const ext = extensionOf(name);
  const kind = KINDS[ext];
  if (!kind) throw bad(`"${name}" এই ধরনের ফাইল সংযুক্ত করা যায় না। যে ধরনের ফাইল দেওয়া যায়: ${ALLOWED_TEXT}।`, `"${name}": this kind of file cannot be attached. Accepted: ${ALLOWED_TEXT}.`);
  if (!kind.looksRight(file.buffer)) throw bad(`"${name}" ফাইলের ভেতরের তথ্য .${ext} ফাইলের মতো নয়। ফাইলটি ঠিক আছে কিনা দেখে আবার দিন।`, `The contents of "${name}" are not those of a .${ext} file. Check the file and try again.`);
  return { name, kind, bytes: file.buffer };
}

export function tooLarge(): ValidationError {
  return bad('ফাইলটি অনেক বড়; সর্বোচ্চ ১০ মেগাবাইট পর্যন্ত সংযুক্ত করা যায়।', 'The file is too large; attachments can be at most 10 MB.');
}

function checkCaption(caption: unknown): string | undefined {
  if (caption === undefined || caption === null) return undefined;
  if (typeof caption !== 'string') throw new ValidationError({ caption: { bn: 'বিবরণ লেখা হতে হবে।', en: 'The caption must be text.' } });
  const c = normaliseText(caption);
  if (c.length > MAX_CAPTION) throw new ValidationError({ caption: { bn: `বিবরণ সর্বোচ্চ ৩০০ অক্ষর।`, en: `The caption can have at most ${MAX_CAPTION} characters.` } });
  return c || undefined;
}

/** What the API and pages show of an attachment. */
export function attachmentView(a: AttachmentDoc) {
  const initiative = String(a.initiative);
  return {
    id: a._id,
    initiative,
    name: a.name,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    caption: a.caption ?? null,
    uploadedBy: { id: a.uploadedBy?.id ? String(a.uploadedBy.id) : null, name: a.uploadedBy?.name ?? null },
    uploadedAt: a.uploadedAt,
    removed: a.removed?.at ? { by: { id: a.removed.by?.id ? String(a.removed.by.id) : null, name: a.removed.by?.name ?? null }, at: a.removed.at } : null,
    url: `/api/v1/initiatives/${initiative}/attachments/${a._id}`,
  };
}
export type AttachmentView = ReturnType<typeof attachmentView>;

async function editable(actor: Actor, initiativeId: string): Promise<InitiativeDoc> {
  const doc = await getInitiative(actor, initiativeId); // 404 when the actor may not see it
  // They can see it (a team member, an area's officer...), so saying "not allowed" reveals nothing.
  if (!canEditDetails(actor, await officeTree(), doc)) throw new ForbiddenError();
  return doc;
}

/** Whether the actor may upload to / remove from this initiative's attachments. */
export async function canChangeAttachments(actor: Actor, doc: Pick<InitiativeDoc, 'office'>): Promise<boolean> {
  return canEditDetails(actor, await officeTree(), doc);
}

/**
 * Stores a file: its record claims the next number by insert ('uploading'), the bytes are written under the same
 * id, then the record is marked 'stored'. A failure between the steps leaves a hidden record, never a gap.
 */
export async function uploadAttachment(ctx: Ctx, initiativeId: string, file: UploadedFile | undefined, captionInput?: unknown): Promise<AttachmentView> {
  const doc = await editable(ctx.actor, initiativeId);
  const { name, kind, bytes } = checkFile(file);
  const caption = checkCaption(captionInput);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const now = ctx.clock.now();
  const iid = String(doc._id);
  // Start after the initiative's hint (a taken number only costs a refused insert); older records have none.
  let n = typeof doc.attachmentsUpTo === 'number' ? doc.attachmentsUpTo + 1 : (await readAttachments(iid)).length + 1;
  let record: AttachmentDoc | undefined;
  for (let attempt = 0; attempt < 100 && !record; attempt += 1, n += 1) {
    try {
      const created = await Attachment.create({
        _id: attachmentId(iid, n),
        initiative: doc._id,
        office: doc.office,
        n,
        state: 'uploading',
        name,
        contentType: kind.contentType,
        size: bytes.length,
        sha256,
        caption,
        uploadedBy: { id: ctx.actor.userId, name: ctx.actor.nameBn },
        uploadedAt: now,
      });
      record = created.toObject() as unknown as AttachmentDoc;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // someone else took this number: the next one
    }
  }
  if (!record) throw new Error(`no attachment number could be claimed for initiative ${iid}`);
  try {
    await AttachmentFile.create({ _id: record._id, initiative: doc._id, name, contentType: kind.contentType, size: bytes.length, sha256, data: bytes, createdAt: now });
  } catch (err) {
    await Attachment.updateOne({ _id: record._id }, { $set: { state: 'failed' } }).catch(() => undefined);
    throw err;
  }
  await Attachment.updateOne({ _id: record._id }, { $set: { state: 'stored' } });
  record.state = 'stored';
  // The detail page reads attachments 1..attachmentsUpTo ($max: simultaneous uploads leave the highest).
  await touchInitiative(doc._id, { $max: { attachmentsUpTo: record.n } });
  await recordAudit(ctx, {
    action: 'initiative.attachment.add',
    entity: { type: 'initiative', id: iid, label: doc.title, office: String(doc.office) },
    changes: [{ field: `attachments.${record._id}`, before: null, after: `${name} (${bytes.length} bytes, sha256 ${sha256})` }],
    note: caption,
  });
  return attachmentView(record);
}

/** The attachments of an initiative the actor may see, in upload order (removed ones only when asked). */
export async function listAttachments(actor: Actor, initiativeId: string, options: { includeRemoved?: boolean } = {}): Promise<AttachmentView[]> {
  const doc = await getInitiative(actor, initiativeId);
  return (await readAttachments(String(doc._id))).filter((a) => a.state === 'stored' && (options.includeRemoved || !a.removed)).map(attachmentView);
}

/**
 * One attachment with its bytes. A removed attachment can still be read by its id (the stage history may cite
 * it as evidence); it only leaves the list.
 */
export async function readAttachmentFile(actor: Actor, initiativeId: string, id: string): Promise<{ meta: AttachmentView; data: Buffer; inline: boolean }> {
  const doc = await getInitiative(actor, initiativeId);
  const meta = await readAttachment(String(doc._id), id);
  if (!meta) throw new NotFoundError({ bn: 'সংযুক্তিটি পাওয়া যায়নি।', en: 'The attachment was not found.' });
  const file = await AttachmentFile.findById(id).lean();
  if (!file) throw new NotFoundError({ bn: 'সংযুক্তির ফাইলটি পাওয়া যায়নি।', en: "The attachment's file was not found." });
  const kind = KINDS[extensionOf(meta.name)];
  return { meta: attachmentView(meta), data: bytesOf(file.data), inline: kind?.inline ?? false };
}

/**
 * After an attachment changes: a new updatedAt (the version stays, so nobody's open edit is refused) and a
 * change record, so every instance reloads its cached copy of the initiative and, with it, the attachment list
 * it keeps for the detail page (attachmentsOf in attachment.store.ts).
 */
async function touchInitiative(id: Types.ObjectId, update: Record<string, unknown> = {}): Promise<void> {
  await Initiative.updateOne({ _id: id }, { ...update, $set: { updatedAt: new Date() } }, { timestamps: false });
  await recordInitiativeChange(id); // also refreshes this instance's read model
}

/** Marks an attachment removed (who, when) and hides it from the list; the bytes are kept. Removing twice changes nothing. */
export async function removeAttachment(ctx: Ctx, initiativeId: string, id: string, reason?: unknown): Promise<AttachmentView> {
  const doc = await editable(ctx.actor, initiativeId);
  const meta = await readAttachment(String(doc._id), id);
  if (!meta) throw new NotFoundError({ bn: 'সংযুক্তিটি পাওয়া যায়নি।', en: 'The attachment was not found.' });
  if (meta.removed?.at) return attachmentView(meta);
  const why = checkCaption(reason);
  const removed = { by: { id: ctx.actor.userId, name: ctx.actor.nameBn }, at: ctx.clock.now(), ...(why ? { reason: why } : {}) };
  await Attachment.updateOne({ _id: id }, { $set: { removed } });
  await touchInitiative(doc._id);
  await recordAudit(ctx, {
    action: 'initiative.attachment.remove',
    entity: { type: 'initiative', id: String(doc._id), label: doc.title, office: String(doc.office) },
    changes: [{ field: `attachments.${id}`, before: meta.name, after: null }],
    note: why ?? 'marked removed; the file is kept',
  });
  return attachmentView({ ...meta, removed: removed as unknown as AttachmentDoc['removed'] });
}

/** A stored binary as a Buffer (lean reads return BSON Binary). */
function bytesOf(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  const b = v as { buffer: Uint8Array; length(): number };
  return Buffer.from(b.buffer.subarray(0, b.length()));
}

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266 / RFC 5987), so Bangla names survive. */
export function contentDisposition(name: string, inline: boolean): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_') || 'file';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
