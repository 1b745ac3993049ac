// E-mail of meetings: the notice with an iCalendar invitation (and an update, same UID and next sequence,
// when the time or place changes), and the issued minutes to every recipient who has an e-mail address.
// Mail never blocks the workflow: a notice that fails is logged; the minutes are sent by the outbox handler
// (meeting.events.ts), which tries again later and never sends one recipient a second copy.
import { findByIds } from '../../platform/db/ids.js';
import { Types } from 'mongoose';
import { dhakaDateOf, formatDualDate, formatTimeBn } from '../../lib/index.js';
import type { Logger } from '../../platform/logger.js';
import { meetingInvite } from '../../platform/mail/ical.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { Office, officeTree } from '../offices/index.js';
import { User } from '../users/index.js';
import type { MeetingDoc } from './meeting.model.js';

function addressOf(from: string): { name: string; email: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return m ? { name: m[1]!.trim() || m[2]!, email: m[2]!.trim() } : { name: from, email: from };
}

async function emailsOf(userIds: unknown[], officeIds: unknown[] = []): Promise<{ name: string; email: string }[]> {
  const uids = [...new Set(userIds.filter(Boolean).map(String))].filter((x) => /^[0-9a-f]{24}$/i.test(x)).map((x) => new Types.ObjectId(x));
  const oids = [...new Set(officeIds.filter(Boolean).map(String))].filter((x) => /^[0-9a-f]{24}$/i.test(x)).map((x) => new Types.ObjectId(x));
  const users = (await findByIds<{ nameBn: string; email?: string | null; active?: boolean }>(User, uids, { nameBn: 1, email: 1, active: 1 })).filter((u) => u.active !== false);
  const offices = await findByIds<{ nameBn: string; email?: string | null }>(Office, oids, { nameBn: 1, email: 1 });
  const out = new Map<string, { name: string; email: string }>();
  for (const u of users) if (u.email) out.set(u.email, { name: u.nameBn, email: u.email });
  for (const o of offices) if (o.email) out.set(o.email, { name: o.nameBn, email: o.email });
  return [...out.values()];
}

export function meetingMail(mailer: Mailer, from: string, logger: Logger, publicUrl?: string) {
  const organizer = addressOf(from);
  return {
    /** False when SMTP is not configured: nothing is sent, so there is nothing to claim. */
    enabled: mailer.enabled,
    async noticeChanged(m: MeetingDoc, method: 'REQUEST' | 'CANCEL'): Promise<void> {
      try {
        const people = await emailsOf([m.chair?.user, ...(m.attendance ?? []).map((a) => a.user), ...(m.observers ?? []).map((a) => a.user), ...(m.notice?.distribution ?? []).map((d) => d.user)], (m.notice?.distribution ?? []).map((d) => d.office));
        if (!people.length || !mailer.enabled) return;
        const office = (await officeTree()).get(String(m.office))?.nameBn ?? '';
        const when = `${formatDualDate(dhakaDateOf(m.startsAt))}, ${formatTimeBn(m.startsAt)}`;
        const sequence = m.notice?.sequence ?? 0;
        const text = [
          sequence > 0 ? 'সভার সময়/স্থান পরিবর্তিত হয়েছে।' : 'সভার নোটিশ',
          `স্মারক নং-${m.notice?.memoNumber ?? ''}`,
          `বিষয়: ${m.subject}`,
          `তারিখ ও সময়: ${when}`,
          `স্থান: ${m.venue}`,
          `সভাপতি: ${m.chair?.text ?? ''}`,
          office,
          publicUrl ? `${publicUrl}/meetings/${String(m._id)}` : '',
        ].filter(Boolean).join('\n');
        const ics = meetingInvite({ uid: `meeting-${String(m._id)}@udbhabon`, sequence, method, title: m.subject, description: text, location: m.venue ?? '', start: m.startsAt, durationMinutes: m.durationMinutes ?? 120, organizer, attendees: people, ...(publicUrl ? { url: `${publicUrl}/meetings/${String(m._id)}` } : {}) });
        await mailer.send({ to: people.map((p) => p.email), subject: `${sequence > 0 ? 'পরিবর্তিত ' : ''}সভার নোটিশ: ${m.subject}`, text, calendar: { method, content: ics } });
      } catch (err) {
        logger.warn({ err: (err as Error).message, meeting: String(m._id) }, 'meeting notice e-mail failed');
      }
    },
    /** Everyone the issued minutes go to who has an e-mail address: recipients and implementers. */
    minutesRecipients(m: MeetingDoc): Promise<{ name: string; email: string }[]> {
      return emailsOf(
        [...(m.distribution ?? []).map((d) => d.user), ...(m.minutes?.decisions ?? []).flatMap((d) => (d.implementers ?? []).map((p) => p.user))],
        [...(m.distribution ?? []).map((d) => d.office), ...(m.minutes?.decisions ?? []).flatMap((d) => (d.implementers ?? []).map((p) => p.office))],
      );
    },
    /**
     * Sends the issued minutes to `to` (rejects when the server refused the message). Called by the
     * `minutes.issued` handler, which claims each recipient first so no one receives them twice.
     */
    async sendMinutes(m: MeetingDoc, to: string[], pdf?: { filename: string; content: Buffer }): Promise<void> {
      if (!to.length || !mailer.enabled) return;
      const text = [`স্মারক নং-${m.memoNumber}`, `তারিখ: ${formatDualDate(dhakaDateOf(m.issuedAt ?? new Date()))}`, `বিষয়: ${m.subject}`, '', 'সভার কার্যবিবরণী সংযুক্ত করা হলো।', publicUrl && m.verifyCode ? `যাচাই: ${publicUrl}/verify/${m.verifyCode}` : ''].filter((l) => l !== undefined).join('\n');
      await mailer.send({ to, subject: `কার্যবিবরণী: ${m.subject} (স্মারক নং-${m.memoNumber})`, text, ...(pdf ? { attachments: [{ filename: pdf.filename, content: pdf.content, contentType: 'application/pdf' }] } : {}) });
    },
  };
}
