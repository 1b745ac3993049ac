// The mail adapter against a real SMTP server on 127.0.0.1, and the .ics invites it carries.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import ICAL from 'ical.js';
import type { AddressObject, Attachment, ParsedMail } from 'mailparser';
import { loadConfig } from '../../src/config.js';
import { dhakaInstant } from '../../src/lib/dhaka-time.js';
import { meetingInvite, type MeetingInviteInput } from '../../src/platform/mail/ical.js';
import { createMailer, type Mailer } from '../../src/platform/mail/mailer.js';
import { testLogger } from '../support/logger.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const SUBJECT = 'সভার নোটিশ: উদ্ভাবন কমিটির ত্রৈমাসিক পর্যালোচনা সভা';
const TITLE = 'উদ্ভাবন কমিটির ত্রৈমাসিক পর্যালোচনা সভা (জুলাই–সেপ্টেম্বর ২০২৫)';
const ORGANIZER = { name: 'মোঃ রফিকুল ইসলাম, উপসচিব', email: 'innovation@mopa.gov.bd' };
const ATTENDEES = [
  { name: 'ফাতেমা বেগম', email: 'fatema@khulna.gov.bd' },
  { name: 'Anisur Rahman', email: 'anis@dumuria.gov.bd' },
];

function mailConfig(env: Record<string, string>): ReturnType<typeof loadConfig>['mail'] {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }).mail;
}

function invite(overrides: Partial<MeetingInviteInput> = {}): string {
  return meetingInvite({
    uid: 'meeting-6650f1c2@udbhabon',
    sequence: 0,
    method: 'REQUEST',
    title: TITLE,
    description: 'আলোচ্যসূচি:\n১. পাইলট উদ্যোগের অগ্রগতি; ২. বিবিধ, সিদ্ধান্ত',
    location: 'সম্মেলন কক্ষ, জেলা প্রশাসকের কার্যালয়, খুলনা',
    // 11:00 in Dhaka (UTC+6) = 05:00 UTC
    start: dhakaInstant('2025-09-29', 11, 0),
    durationMinutes: 90,
    organizer: ORGANIZER,
    attendees: ATTENDEES,
    url: 'https://udbhabon.example.gov.bd/meetings/6650f1c2',
    ...overrides,
  });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? ''));
}

function inviteAttachment(mail: ParsedMail): Attachment {
  const found = mail.attachments.find((a) => a.filename === 'invite.ics');
  if (!found) throw new Error(`no invite.ics among: ${mail.attachments.map((a) => `${a.filename}(${a.contentType})`).join(', ')}`);
  return found;
}

function parseCalendar(ics: string): { calendar: ICAL.Component; event: ICAL.Event } {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevents = calendar.getAllSubcomponents('vevent');
  expect(vevents).to.have.length(1);
  return { calendar, event: new ICAL.Event(vevents[0]) };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('mail: SMTP adapter and meeting invites', () => {
  let smtp: TestSmtpServer;
  let mailer: Mailer;

  before(async () => {
    smtp = await startSmtpServer();
    mailer = createMailer(mailConfig({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) }), testLogger);
  });

  after(async () => {
    await mailer?.close();
    await smtp?.close();
  });

  beforeEach(() => {
    smtp.messages.length = 0;
  });

  async function sendInvite(ics: string, method: 'REQUEST' | 'CANCEL' = 'REQUEST'): Promise<ParsedMail> {
    const result = await mailer.send({
      to: ATTENDEES.map((a) => a.email),
      subject: SUBJECT,
      text: 'আগামী ২৯ সেপ্টেম্বর ২০২৫ সকাল ১১.০০ ঘটিকায় সভা অনুষ্ঠিত হবে।',
      html: '<p>আগামী ২৯ সেপ্টেম্বর ২০২৫ সকাল ১১.০০ ঘটিকায় সভা অনুষ্ঠিত হবে।</p>',
      calendar: { method, content: ics },
    });
    expect(result.status).to.equal('sent');
    const [mail] = await smtp.waitFor(1);
    return mail!;
  }

  it('when the mail host is configured, then the mailer is enabled', () => {
    expect(mailer.enabled).to.equal(true);
  });

  it('when an invite with a Bangla subject is sent, then it reaches the SMTP server intact with invite.ics and a text/calendar part', async () => {
    const result = await mailer.send({
      to: [ATTENDEES[0]!.email],
      cc: [ATTENDEES[1]!.email],
      subject: SUBJECT,
      text: 'সভার নোটিশ সংযুক্ত।',
      attachments: [{ filename: 'নোটিশ.txt', content: 'নোটিশের খসড়া', contentType: 'text/plain; charset=utf-8' }],
      calendar: { method: 'REQUEST', content: invite() },
    });

    expect(result.status).to.equal('sent');
    expect(result.messageId).to.be.a('string').and.not.equal('');
    expect(result.accepted).to.have.members(ATTENDEES.map((a) => a.email));
    expect(result.rejected).to.deep.equal([]);

    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).to.equal(SUBJECT);
    expect(mail!.text?.trim()).to.equal('সভার নোটিশ সংযুক্ত।');
    expect(addresses(mail!.from)).to.deep.equal(['no-reply@localhost']);
    expect(addresses(mail!.to)).to.deep.equal([ATTENDEES[0]!.email]);
    expect(addresses(mail!.cc)).to.deep.equal([ATTENDEES[1]!.email]);
    expect(mail!.messageId).to.equal(result.messageId);

    const attachment = mail!.attachments.find((a) => a.filename === 'নোটিশ.txt');
    expect(attachment?.content.toString('utf8')).to.equal('নোটিশের খসড়া');

    expect(inviteAttachment(mail!).content.toString('utf8')).to.include('BEGIN:VCALENDAR');
    // The calendar part that Outlook, Gmail and Apple Mail turn into "Accept / Decline".
    const calendarPart = mail!.attachments.find((a) => a.contentType === 'text/calendar');
    expect(calendarPart, 'text/calendar part').to.not.equal(undefined);
    const contentType = calendarPart!.headers.get('content-type') as { params: Record<string, string> };
    expect(contentType.params.method).to.equal('REQUEST');
    expect(calendarPart!.content.toString('utf8')).to.equal(inviteAttachment(mail!).content.toString('utf8'));
  });

  it('when the invite.ics is parsed with ical.js, then it holds one VEVENT with UTC start, Bangla summary, organizer, attendees, METHOD:REQUEST and SEQUENCE 0', async () => {
    const mail = await sendInvite(invite());
    const ics = inviteAttachment(mail).content.toString('utf8');

    expect(ics).to.include('DTSTART:20250929T050000Z');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line), line).to.be.at.most(75);

    const { calendar, event } = parseCalendar(ics);
    expect(calendar.getFirstPropertyValue('method')).to.equal('REQUEST');
    expect(event.uid).to.equal('meeting-6650f1c2@udbhabon');
    expect(event.sequence).to.equal(0);
    expect(event.summary).to.equal(TITLE);
    expect(event.description).to.equal('আলোচ্যসূচি:\n১. পাইলট উদ্যোগের অগ্রগতি; ২. বিবিধ, সিদ্ধান্ত');
    expect(event.location).to.equal('সম্মেলন কক্ষ, জেলা প্রশাসকের কার্যালয়, খুলনা');
    expect(event.startDate.zone?.tzid).to.equal('UTC');
    expect(event.startDate.toJSDate().toISOString()).to.equal('2025-09-29T05:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).to.equal('2025-09-29T06:30:00.000Z');
    expect(event.component.getFirstPropertyValue('status')).to.equal('CONFIRMED');

    const organizer = event.component.getFirstProperty('organizer')!;
    expect(String(organizer.getFirstValue()).toLowerCase()).to.equal(`mailto:${ORGANIZER.email}`);
    expect(organizer.getParameter('cn')).to.equal(ORGANIZER.name);

    const attendees = event.attendees.map((p) => ({
      email: String(p.getFirstValue()).replace(/^mailto:/i, ''),
      name: p.getParameter('cn'),
      rsvp: p.getParameter('rsvp'),
    }));
    expect(attendees).to.deep.equal(ATTENDEES.map((a) => ({ ...a, rsvp: 'TRUE' })));
  });

  it('when the meeting is updated with sequence 1, then the new invite keeps the same UID and carries SEQUENCE 1 and the new time', async () => {
    const first = parseCalendar(inviteAttachment(await sendInvite(invite())).content.toString('utf8')).event;
    smtp.messages.length = 0;

    const moved = dhakaInstant('2025-09-30', 15, 30); // 09:30 UTC
    const mail = await sendInvite(invite({ sequence: 1, start: moved }));
    const { calendar, event } = parseCalendar(inviteAttachment(mail).content.toString('utf8'));

    expect(calendar.getFirstPropertyValue('method')).to.equal('REQUEST');
    expect(event.uid).to.equal(first.uid);
    expect(event.sequence).to.equal(1);
    expect(event.startDate.toJSDate().toISOString()).to.equal('2025-09-30T09:30:00.000Z');
  });

  it('when the meeting is cancelled, then the invite says METHOD:CANCEL and STATUS:CANCELLED with the same UID', async () => {
    const mail = await sendInvite(invite({ sequence: 2, method: 'CANCEL' }), 'CANCEL');
    const { calendar, event } = parseCalendar(inviteAttachment(mail).content.toString('utf8'));

    expect(calendar.getFirstPropertyValue('method')).to.equal('CANCEL');
    expect(event.component.getFirstPropertyValue('status')).to.equal('CANCELLED');
    expect(event.uid).to.equal('meeting-6650f1c2@udbhabon');
    expect(event.sequence).to.equal(2);
    const calendarPart = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect((calendarPart!.headers.get('content-type') as { params: Record<string, string> }).params.method).to.equal('CANCEL');
  });

  it('when ics rejects the event, then meetingInvite throws a clear Error', () => {
    expect(() => invite({ url: 'not a url' })).to.throw(Error, /Could not build the calendar invite/);
    expect(() => invite({ durationMinutes: 0 })).to.throw(Error, /durationMinutes/);
    expect(() => invite({ start: new Date('nonsense') })).to.throw(Error, /start/);
  });

  it('when no mail host is configured, then the mailer is disabled and send returns skipped without sending anything', async () => {
    const disabled = createMailer(mailConfig({}), testLogger);
    expect(disabled.enabled).to.equal(false);

    const result = await disabled.send({ to: ['someone@example.gov.bd'], subject: SUBJECT, text: 'x' });
    expect(result).to.deep.equal({ status: 'skipped', accepted: [], rejected: [] });

    await sleep(200);
    expect(smtp.messages).to.have.length(0);
    await disabled.close();
  });

  it('when the SMTP server is down, then send rejects promptly with a plain Error that does not reveal the password', async () => {
    const port = await closedPort();
    const down = createMailer(
      mailConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_USER: 'mailer', SMTP_PASS: 's3cret-Pa55word' }),
      testLogger,
    );
    const started = Date.now();
    let error: unknown;
    try {
      await down.send({ to: ['someone@example.gov.bd'], subject: SUBJECT, text: 'x' });
    } catch (err) {
      error = err;
    } finally {
      await down.close();
    }

    expect(Date.now() - started).to.be.below(5_000);
    expect(error).to.be.instanceOf(Error);
    expect(Object.getPrototypeOf(error)).to.equal(Error.prototype);
    expect((error as Error).message).to.match(/^Mail could not be sent/);
    expect((error as Error).message).to.not.include('s3cret-Pa55word');
  });
});
