// What follows a meeting's changes, as event handlers wired per app (createApp), so a second app in one process
// has its own mailer and renderer and shares nothing with the first.
//   minutes.issued          durable (outbox): 1. render and store the issued PDF, 2. mail the minutes, each
//                           recipient claimed before the send (`minutes.issued:<id>:mail:<address>`).
//   meeting.noticeChanged   in-process: the notice, or its update, with the calendar invitation.
import type { Logger } from '../../platform/logger.js';
import { type EventBus, type Outbox, RetryLater } from '../../platform/events/index.js';
import type { MeetingEvents } from './meeting.event-types.js';
import type { PdfRenderer } from '../../platform/pdf/index.js';
import { Meeting, type MeetingDoc } from './meeting.model.js';
import type { meetingMail } from './meeting.mail.js';
import { issuedMeeting } from './minutes-issue.js';
import { storeIssuedPdf, storedIssuedPdf } from './minutes-pdf.js';

export type { MeetingEventBus, MeetingEvents } from './meeting.event-types.js';


/** After this many failed renders the PDF is left to the first download, so the mail is not held back forever. */
const PDF_ATTEMPTS = 3;

export function meetingEventHandlers(deps: {
  bus: EventBus<MeetingEvents>;
  outbox: Outbox<MeetingEvents>;
  mail: ReturnType<typeof meetingMail>;
  pdf: () => PdfRenderer;
  publicUrl: string | undefined;
  logger: Logger;
}): void {
  const { bus, outbox, mail, logger } = deps;

  const issued = async (meetingId: string): Promise<MeetingDoc> => {
    const m = await issuedMeeting(meetingId);
    // The event is written just before the status: its request is still saving it (or will be retried).
    if (!m) throw new RetryLater('the minutes are not issued yet');
    return m;
  };

  outbox.handle('minutes.issued', 'pdf', async ({ meetingId }, h) => {
    const m = await issued(meetingId);
    try {
      await storeIssuedPdf(deps.pdf(), m, deps.publicUrl);
    } catch (err) {
      if (h.attempt + 1 < PDF_ATTEMPTS) throw err;
      logger.error({ err, meeting: meetingId }, 'issued minutes PDF could not be rendered; left to the first download, the mail goes without it');
    }
  });

  // In the background: the answer to the issue request does not wait for the mail server.
  outbox.handle(
    'minutes.issued',
    'mail',
    async ({ meetingId }, h) => {
      if (!mail.enabled) return;
      const m = await issued(meetingId);
      const claimed: { email: string; step: NonNullable<Awaited<ReturnType<typeof h.step>>> }[] = [];
      for (const p of await mail.minutesRecipients(m)) {
        const step = await h.step(p.email);
        if (step) claimed.push({ email: p.email, step });
      }
      if (!claimed.length) return;
      const stored = await storedIssuedPdf(meetingId);
      try {
        await mail.sendMinutes(m, claimed.map((c) => c.email), stored ? { filename: `minutes-${meetingId}.pdf`, content: stored.data } : undefined);
      } catch (err) {
        // Refused by the server: not sent, so these recipients may be tried again by the next pass.
        await Promise.all(claimed.map((c) => c.step.failed(err)));
        throw err;
      }
      await Promise.all(claimed.map((c) => c.step.done()));
    },
    { background: true },
  );

  outbox.relay(bus, 'minutes.issued', (p) => p.meetingId);
  // An issue that recorded its event and then failed leaves minutes that are not issued: nothing to render or
  // mail. drain() abandons such an event once it is old (a later issue of the meeting records it again).
  outbox.neededWhile('minutes.issued', async ({ meetingId }) => !!(await issuedMeeting(meetingId)));

  bus.subscribe(
    'meeting.noticeChanged',
    ({ meetingId, method }) => {
      // Mail never holds up the answer; noticeChanged logs its own failures.
      void (async () => {
        const m = (await Meeting.findById(meetingId).lean()) as unknown as MeetingDoc | null;
        if (m) await mail.noticeChanged(m, method);
      })().catch((err: unknown) => logger.warn({ err, meeting: meetingId }, 'meeting notice e-mail failed'));
    },
    'notice-mail',
  );
}
