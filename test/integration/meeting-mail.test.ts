// Meeting e-mail against a real local SMTP server: the notice with a valid .ics invitation, an update when
// the time changes (same UID, next sequence), and the issued minutes to recipients who have an address.
import { expect } from 'chai';
import ICAL from 'ical.js';
import request from 'supertest';
import { startTestServer, type TestServer } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { startSmtpServer } from '../support/smtp.js';

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;

function icsOf(mail: Smtp['messages'][number]): string {
  const att = mail.attachments.find((a) => a.filename === 'invite.ics' || a.contentType.startsWith('text/calendar') || a.contentType === 'application/ics');
  if (att) return att.content.toString('utf8');
  throw new Error('no calendar in the message');
}

describe('meeting e-mail', function () {
  this.timeout(60_000);
  let smtp: Smtp;
  let server: TestServer;
  let officer: string;
  let head: string;
  let meetingId: string;
  const ids: Record<string, string> = {};

  before(async () => {
    await resetDatabase();
    smtp = await startSmtpServer();
    const world = await createWorld();
    server = await startTestServer({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), MAIL_FROM: 'উদ্ভাবন <udbhabon@example.gov.bd>' } });
    const o = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'mm-officer', email: 'officer@example.gov.bd' });
    const h = await createUser({ office: world.districtA, roles: ['head'], username: 'mm-head', nameBn: 'জেলা প্রশাসক', email: 'dc@example.gov.bd' });
    const f = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'mm-field', email: 'field@example.gov.bd' });
    const noMail = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'mm-nomail' });
    Object.assign(ids, { officer: String(o._id), head: String(h._id), field: String(f._id), noMail: String(noMail._id), office: String(world.districtA._id) });
    officer = await tokenFor(server.url, o.username);
    head = await tokenFor(server.url, h.username);
    await request(server.url).post('/api/v1/memo-registers').set('Authorization', `Bearer ${officer}`).send({ office: ids.office, name: 'নোটিশ বহি', layout: '2014', segments: { ministry: '32', department: '01', geo: '4700', branch: '1', subject: '25', file: '11', year: '25' } }).expect(201);
  });
  after(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('when the notice is issued, then an invitation with a valid .ics reaches every invited person who has an e-mail address', async () => {
    const m = await request(server.url).post('/api/v1/meetings').set('Authorization', `Bearer ${officer}`).send({
      kind: 'review',
      subject: 'ত্রৈমাসিক উদ্ভাবন পর্যালোচনা সভা',
      office: ids.office,
      chair: { user: ids.head },
      venue: 'জুম প্ল্যাটফর্ম',
      startsAt: '2025-10-05T11:00:00+06:00',
      durationMinutes: 90,
      attendance: [{ user: ids.field }, { user: ids.noMail }, { name: 'অতিথি', designation: 'প্রতিনিধি', present: true }],
    });
    expect(m.status, JSON.stringify(m.body)).to.equal(201);
    meetingId = m.body.id;
    const notice = await request(server.url).post(`/api/v1/meetings/${meetingId}/notice`).set('Authorization', `Bearer ${officer}`).send({ distribution: [{ user: ids.field, purpose: 'action' }, { text: 'অফিস কপি', purpose: 'information' }] });
    expect(notice.status, JSON.stringify(notice.body)).to.equal(201);
    expect(notice.body.memoNumber).to.equal('৩২.০১.৪৭০০.০০১.২৫.০১১.২৫-১');

    const [mail] = await smtp.waitFor(1, 10_000);
    expect(mail!.subject).to.include('ত্রৈমাসিক উদ্ভাবন পর্যালোচনা সভা');
    const to = (Array.isArray(mail!.to) ? mail!.to : [mail!.to]).flatMap((a) => a!.value.map((v) => v.address));
    expect(to.sort()).to.deep.equal(['dc@example.gov.bd', 'field@example.gov.bd']);
    expect(mail!.text).to.include('স্মারক নং-৩২.০১.৪৭০০.০০১.২৫.০১১.২৫-১');
    const cal = new ICAL.Component(ICAL.parse(icsOf(mail!)));
    expect(cal.getFirstPropertyValue('method')).to.equal('REQUEST');
    const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(event.summary).to.equal('ত্রৈমাসিক উদ্ভাবন পর্যালোচনা সভা');
    expect(event.location).to.equal('জুম প্ল্যাটফর্ম');
    expect(event.startDate.toJSDate().toISOString()).to.equal('2025-10-05T05:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).to.equal('2025-10-05T06:30:00.000Z');
    expect(event.uid).to.equal(`meeting-${meetingId}@udbhabon`);
    expect(event.sequence).to.equal(0);
    expect(event.attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort()).to.deep.equal(['mailto:dc@example.gov.bd', 'mailto:field@example.gov.bd']);
  });

  it('when the meeting moves, then an update with the same UID and the next sequence goes out', async () => {
    const before = smtp.messages.length;
    await request(server.url).patch(`/api/v1/meetings/${meetingId}`).set('Authorization', `Bearer ${officer}`).send({ startsAt: '2025-10-06T15:00:00+06:00' }).expect(200);
    const mails = await smtp.waitFor(before + 1, 10_000);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(icsOf(mails.at(-1)!))).getFirstSubcomponent('vevent')!);
    expect(event.uid).to.equal(`meeting-${meetingId}@udbhabon`);
    expect(event.sequence).to.equal(1);
    expect(event.startDate.toJSDate().toISOString()).to.equal('2025-10-06T09:00:00.000Z');
    expect(mails.at(-1)!.subject).to.include('পরিবর্তিত');
  });

  it('when the minutes are issued, then recipients and implementers with an address receive them', async () => {
    const before = smtp.messages.length;
    await request(server.url).put(`/api/v1/meetings/${meetingId}/minutes`).set('Authorization', `Bearer ${officer}`).send({ opening: 'শুরু', decisions: [{ text: 'প্রতিবেদন দিতে হবে', implementers: [{ user: ids.field }] }] }).expect(200);
    await request(server.url).post(`/api/v1/meetings/${meetingId}/submit`).set('Authorization', `Bearer ${officer}`).expect(200);
    await request(server.url).post(`/api/v1/meetings/${meetingId}/sign`).set('Authorization', `Bearer ${head}`).expect(200);
    const issued = await request(server.url).post(`/api/v1/meetings/${meetingId}/issue`).set('Authorization', `Bearer ${officer}`).send({ distribution: [{ user: ids.head, purpose: 'information' }, { user: ids.noMail, purpose: 'action' }, 'অফিস কপি'] });
    expect(issued.status).to.equal(201);
    const mails = await smtp.waitFor(before + 1, 10_000);
    const mail = mails.at(-1)!;
    expect(mail.subject).to.include(issued.body.memoNumber);
    const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a!.value.map((v) => v.address));
    expect(to.sort()).to.deep.equal(['dc@example.gov.bd', 'field@example.gov.bd']);
  });
});
