// Reading and checking attachment records by `_id` only (see attachment.model.ts). No access checks here: the
// service checks who may read or change the initiative. Also imported by the stage changes
// (initiative.transitions.ts) to check the evidence a stage move cites, so this file imports nothing from them.
import { ValidationError, type Message } from '../../kernel/errors.js';
import { ATTACHMENT_ID, Attachment, attachmentId, type AttachmentDoc } from './attachment.model.js';

/**
 * Every attachment record of an initiative, in upload order (removed and unfinished ones included): "<id>-1",
 * "<id>-2"… read by `_id`, a few at a time in parallel, up to the first number not taken.
 */
export async function readAttachments(initiativeId: string, upTo?: number | null): Promise<AttachmentDoc[]> {
  const out: AttachmentDoc[] = [];
  let next = 1;
  let batch = 2;
  // 0: no upload ever finished (any finished upload leaves its number or a higher one, even when another $max
  // is lost): nothing to read.
  if (upTo === 0) return out;
  if (typeof upTo === 'number' && upTo > 0) {
    // The initiative's hint says at least these numbers are taken: read them all at once. $max is not atomic
    // on the embedded engine (simultaneous uploads may leave a lower value), so the numbers after it are probed
    // as without a hint, which costs one read when the hint is right.
    const docs = (await Promise.all(Array.from({ length: upTo }, (_, i) => Attachment.findById(attachmentId(initiativeId, i + 1)).lean()))) as unknown as (AttachmentDoc | null)[];
    for (const d of docs) if (d) out.push(d);
    next = upTo + 1;
    batch = 1;
  }
  for (;;) {
    const ids = Array.from({ length: batch }, (_, i) => attachmentId(initiativeId, next + i));
    const docs = (await Promise.all(ids.map((id) => Attachment.findById(id).lean()))) as unknown as (AttachmentDoc | null)[];
    for (const d of docs) {
      if (!d) return out;
      out.push(d);
    }
    next += batch;
    batch = Math.min(batch * 2, 32);
  }
}

/**
 * The detail page's attachment list: kept per initiative in this process while the initiative's updatedAt is
 * unchanged (every upload and removal gives the initiative a new updatedAt and a change record, so every
 * instance re-reads it), so a page view usually makes no database read at all.
 */
const listCache = new Map<string, { updatedAt: number; docs: AttachmentDoc[] }>();
const LIST_CACHE_MAX = 5_000;

export async function attachmentsOf(initiative: { _id: unknown; updatedAt?: Date | null; attachmentsUpTo?: number | null }): Promise<AttachmentDoc[]> {
  const id = String(initiative._id);
  const updatedAt = initiative.updatedAt?.getTime();
  const hit = listCache.get(id);
  if (hit && updatedAt !== undefined && hit.updatedAt === updatedAt) return hit.docs;
  const docs = await readAttachments(id, initiative.attachmentsUpTo);
  // Uploads still writing their bytes are not final: such a list is not kept.
  if (updatedAt !== undefined && docs.every((d) => d.state !== 'uploading')) {
    if (listCache.size >= LIST_CACHE_MAX) listCache.clear();
    listCache.set(id, { updatedAt, docs });
  }
  return docs;
}

/** One attachment record of this initiative (undefined when the id is not one of its attachments). */
export async function readAttachment(initiativeId: string, id: string): Promise<AttachmentDoc | undefined> {
  const m = ATTACHMENT_ID.exec(id);
  if (!m || m[1] !== initiativeId.toLowerCase()) return undefined;
  const doc = (await Attachment.findById(id).lean()) as unknown as AttachmentDoc | null;
  return doc && String(doc.initiative) === initiativeId && doc.state === 'stored' ? doc : undefined;
}

/** True when the text is written like an attachment id ("<24 hex>-<n>"). */
export function looksLikeAttachmentId(s: string): boolean {
  return ATTACHMENT_ID.test(s.trim());
}

/**
 * The evidence a stage move cites: each entry written like an attachment id must be a stored, not removed
 * attachment of this initiative (other entries are free text, as before). Throws ValidationError naming each bad
 * entry (`evidence.<index>`); returns the entries trimmed.
 */
export async function checkEvidence(initiativeId: string, evidence: readonly string[] | null | undefined): Promise<string[]> {
  const entries = (evidence ?? []).map((e) => e.trim()).filter(Boolean);
  const fields: Record<string, Message> = {};
  await Promise.all(
    entries.map(async (e, i) => {
      if (!looksLikeAttachmentId(e)) return;
      const a = await readAttachment(initiativeId, e);
      if (!a) fields[`evidence.${i}`] = { bn: `প্রমাণক হিসেবে উল্লেখ করা সংযুক্তি "${e}" এই উদ্যোগের নয় বা পাওয়া যায়নি।`, en: `The attachment "${e}" cited as evidence does not belong to this initiative or was not found.` };
      else if (a.removed) fields[`evidence.${i}`] = { bn: `প্রমাণক হিসেবে উল্লেখ করা সংযুক্তি "${a.name}" সরিয়ে ফেলা হয়েছে।`, en: `The attachment "${a.name}" cited as evidence has been removed.` };
    }),
  );
  if (Object.keys(fields).length) throw new ValidationError(fields, { bn: 'প্রমাণক হিসেবে শুধু এই উদ্যোগের সংযুক্তি উল্লেখ করা যায়।', en: 'Only attachments of this initiative can be cited as evidence.' });
  return entries;
}
