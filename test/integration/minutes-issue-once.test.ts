// Issue once: of simultaneous issue requests only the winner of the issue claim answers existing:false, writes
// the audit row and publishes `minutes.issued`; the PDF is rendered once and each recipient gets one e-mail
// (counted on a real local SMTP server); a crash between the saved issue and its PDF/mail is finished by the
// next drain() without a second e-mail; two apps in one process each send only their own mail.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { createApp, type AppEvents } from '../../src/app.js';
import { loadActor } from '../../src/features/auth/auth.service.js';
import { AuditEntry } from '../../src/features/audit/audit.model.js';
import { Meeting, MeetingPdf } from '../../src/features/meetings/meeting.model.js';
import { issueSchema } from '../../src/features/meetings/meeting.schemas.js';
import { issueMinutes } from '../../src/features/meetings/minutes.service.js';
import { systemClock } from '../../src/lib/index.js';
import { createOutbox, OutboxClaim, OutboxPending, type Outbox } from '../../src/platform/events/index.js';
import { createMailer, type Mailer } from '../../src/platform/mail/mailer.js';
import { createPdfRenderer, type PdfRenderer } from '../../src/platform/pdf/index.js';
import { testConfig } from '../support/app.js';
import { tokenFor } from '../support/auth.js';
import { resetDatabase, testDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';
import { testLogger } from '../support/logger.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

interface TestApp {
  url: string;
  outbox: Outbox<AppEvents>;
  close(): Promise<void>;
}

/** Like startTestServer, with its own mailer, renderer and outbox so the test can drain it. */
async function startApp(smtp: TestSmtpServer, pdf: PdfRenderer, wrapMailer: (m: Mailer) => Mailer = (m) => m): Promise<TestApp> {
  const config = testConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), MAIL_FROM: 'উদ্ভাবন <udbhabon@example.gov.bd>' });
  const mailer = createMailer(config.mail, testLogger);
  const outbox = createOutbox<AppEvents>({ logger: testLogger, clock: systemClock });
  const app = createApp({ config, logger: testLogger, db: testDatabase().db, clock: systemClock, mailer: wrapMailer(mailer), pdf, outbox });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    outbox,
    async close() {
      await outbox.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mailer.close();
    },
  };
}

/** A renderer that counts its renders. */
function countingRenderer(): { pdf: PdfRenderer; renders: () => number } {
  const pdf = createPdfRenderer({ executablePath: testConfig().pdf.executablePath, poolSize: 1, logger: testLogger });
  let n = 0;
  const render = pdf.render.bind(pdf);
  pdf.render = async (...args: Parameters<PdfRenderer['render']>) => {
    n += 1;
    return render(...args);
  };
  return { pdf, renders: () => n };
}

const addressesOf = (mail: TestSmtpServer['messages'][number]): string[] => (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a!.value.map((v) => String(v.address)));
function perRecipient(smtp: TestSmtpServer, subjectPart: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of smtp.messages.filter((x) => String(x.subject).includes(subjectPart))) for (const a of addressesOf(m)) out[a] = (out[a] ?? 0) + 1;
  return out;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('issue once: one winner, one PDF, one e-mail per recipient', function () {
  this.timeout(180_000);
  let smtpA: TestSmtpServer;
  let smtpB: TestSmtpServer;
  let rA: ReturnType<typeof countingRenderer>;
  let rB: ReturnType<typeof countingRenderer>;
  let appA: TestApp;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  let n = 0;

  before(async () => {
    await resetDatabase();
    [smtpA, smtpB] = await Promise.all([startSmtpServer(), startSmtpServer()]);
    [rA, rB] = [countingRenderer(), countingRenderer()];
    appA = await startApp(smtpA, rA.pdf);
    const world = await createWorld();
    const o = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'io-officer', email: 'officer@example.gov.bd' });
    const h = await createUser({ office: world.districtA, roles: ['head'], username: 'io-head', email: 'dc@example.gov.bd' });
    const f = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'io-field', email: 'field@example.gov.bd' });
    const x = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'io-nomail' });
    Object.assign(ids, { officer: String(o._id), head: String(h._id), field: String(f._id), noMail: String(x._id), office: String(world.districtA._id) });
    tokens.officer = await tokenFor(appA.url, o.username);
    tokens.head = await tokenFor(appA.url, h.username);
    await request(appA.url).post('/api/v1/memo-registers').set('Authorization', `Bearer ${tokens.officer}`).send({ office: ids.office, name: 'বহি', layout: '2014', segments: { ministry: '32', department: '01', geo: '4700', branch: '1', subject: '25', file: '11', year: '25' } }).expect(201);
  });
  after(async () => {
    await appA?.close();
    await Promise.all([rA?.pdf.close(), rB?.pdf.close(), smtpA?.close(), smtpB?.close()]);
  });

  /** A signed meeting whose minutes name the field officer as implementer; returns its id and subject. */
  async function signedMeeting(url: string): Promise<{ id: string; subject: string }> {
    n += 1;
    const subject = `একবার জারির পরীক্ষা সভা ${n}`;
    const auth = { Authorization: `Bearer ${tokens.officer}` };
    const m = await request(url).post('/api/v1/meetings').set(auth).send({ kind: 'review', subject, office: ids.office, chair: { user: ids.head }, startsAt: '2025-10-05T11:00:00+06:00' });
    expect(m.status, JSON.stringify(m.body)).to.equal(201);
    const id = m.body.id as string;
    await request(url).put(`/api/v1/meetings/${id}/minutes`).set(auth).send({ opening: 'শুরু', decisions: [{ text: 'প্রতিবেদন দিতে হবে', implementers: [{ user: ids.field }] }] }).expect(200);
    await request(url).post(`/api/v1/meetings/${id}/submit`).set(auth).expect(200);
    await request(url).post(`/api/v1/meetings/${id}/sign`).set('Authorization', `Bearer ${tokens.head}`).expect(200);
    return { id, subject };
  }
  const distribution = () => [{ user: ids.head, purpose: 'information' }, { user: ids.noMail, purpose: 'action' }, 'অফিস কপি'];

  it('when 8 issue requests for one signed meeting arrive at once, then one answers existing:false, one audit row, one PDF render and one e-mail per recipient', async () => {
    const { id, subject } = await signedMeeting(appA.url);
    const rendersBefore = rA.renders();
    const answers = await Promise.all(Array.from({ length: 8 }, () => request(appA.url).post(`/api/v1/meetings/${id}/issue`).set('Authorization', `Bearer ${tokens.officer}`).send({ distribution: distribution() })));
    const bodies = JSON.stringify(answers.map((a) => [a.status, a.body]));
    expect(answers.every((a) => a.status === 201 || a.status === 200 || a.status === 409), bodies).to.equal(true);
    expect(answers.filter((a) => a.body.existing === false), bodies).to.have.length(1);
    expect(answers.filter((a) => a.status === 201), bodies).to.have.length(1);
    const issued = answers.filter((a) => a.status < 300);
    expect(new Set(issued.map((a) => a.body.memoNumber)).size).to.equal(1);
    expect(new Set(issued.map((a) => a.body.verifyCode)).size).to.equal(1);
    expect(await AuditEntry.countDocuments({ action: 'meeting.issue', 'entity.id': id })).to.equal(1);

    await appA.outbox.idle();
    await smtpA.waitFor(1, 15_000);
    await sleep(500);
    expect(perRecipient(smtpA, subject)).to.deep.equal({ 'dc@example.gov.bd': 1, 'field@example.gov.bd': 1 });
    expect(rA.renders() - rendersBefore).to.equal(1);
    expect(await MeetingPdf.countDocuments({ _id: id })).to.equal(1);
    const mail = smtpA.messages.find((m) => String(m.subject).includes(subject))!;
    expect(mail.attachments.map((a) => a.filename)).to.include(`minutes-${id}.pdf`);
    // All done: nothing pending, and a drain changes nothing.
    expect(await OutboxPending.countDocuments({ _id: `minutes.issued:${id}` })).to.equal(0);
    await appA.outbox.drain({ graceMs: 0 });
    await sleep(300);
    expect(perRecipient(smtpA, subject)).to.deep.equal({ 'dc@example.gov.bd': 1, 'field@example.gov.bd': 1 });
  });

  it('when the process dies after the issue is saved (nothing published), then the next drain stores the PDF and mails each recipient once, and a second drain sends nothing', async () => {
    const { id, subject } = await signedMeeting(appA.url);
    const actor = (await loadActor(ids.officer!, systemClock, 'session'))!;
    // The service without the app's bus: the status, audit row and durable event are written, no handler runs.
    const out = await issueMinutes({ actor, clock: systemClock }, id, issueSchema.parse({ distribution: distribution() }));
    expect(out.existing).to.equal(false);
    expect((await Meeting.findById(id).lean())!.status).to.equal('issued');
    await sleep(300);
    expect(perRecipient(smtpA, subject)).to.deep.equal({});
    expect(await MeetingPdf.countDocuments({ _id: id })).to.equal(0);
    expect(await OutboxPending.countDocuments({ _id: `minutes.issued:${id}` })).to.equal(1);

    // Young events are left to their publisher; with no grace the drain finishes it.
    await appA.outbox.drain();
    expect(await MeetingPdf.countDocuments({ _id: id })).to.equal(0);
    await appA.outbox.drain({ graceMs: 0 });
    await smtpA.waitFor(1, 15_000);
    await sleep(300);
    expect(perRecipient(smtpA, subject)).to.deep.equal({ 'dc@example.gov.bd': 1, 'field@example.gov.bd': 1 });
    expect(await MeetingPdf.countDocuments({ _id: id })).to.equal(1);
    expect(await OutboxPending.countDocuments({ _id: `minutes.issued:${id}` })).to.equal(0);
    await appA.outbox.drain({ graceMs: 0 });
    await sleep(300);
    expect(perRecipient(smtpA, subject)).to.deep.equal({ 'dc@example.gov.bd': 1, 'field@example.gov.bd': 1 });
  });

  it('when the mail server refuses the first send, then the next drain sends it once; a recipient whose send was in doubt is not mailed again', async () => {
    let refusals = 1;
    const flaky = await startApp(smtpA, rA.pdf, (m) => ({
      enabled: m.enabled,
      close: () => m.close(),
      send: async (msg) => {
        if (refusals-- > 0) throw new Error('Mail could not be sent (EENVELOPE): 421 try again later');
        return m.send(msg);
      },
    }));
    try {
      const { id, subject } = await signedMeeting(flaky.url);
      const res = await request(flaky.url).post(`/api/v1/meetings/${id}/issue`).set('Authorization', `Bearer ${tokens.officer}`).send({ distribution: distribution() });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      await flaky.outbox.idle();
      await sleep(300);
      expect(perRecipient(smtpA, subject)).to.deep.equal({});
      expect((await OutboxClaim.findById(`minutes.issued:${id}:mail`).lean())!.state).to.equal('failed');
      expect(await MeetingPdf.countDocuments({ _id: id })).to.equal(1);

      // A crash in the middle of a send leaves that recipient's claim running: in doubt, never sent again.
      await OutboxClaim.updateOne({ _id: `minutes.issued:${id}:mail:dc@example.gov.bd` }, { $set: { state: 'running' } });
      await flaky.outbox.drain({ graceMs: 0 });
      await smtpA.waitFor(1, 15_000);
      await sleep(300);
      expect(perRecipient(smtpA, subject)).to.deep.equal({ 'field@example.gov.bd': 1 });
      await flaky.outbox.drain({ graceMs: 0 });
      await sleep(300);
      expect(perRecipient(smtpA, subject)).to.deep.equal({ 'field@example.gov.bd': 1 });
    } finally {
      await flaky.close();
    }
  });

  it('when two apps in one process issue minutes at the same time, then each sends only its own mail and renders only its own PDF', async () => {
    const appB = await startApp(smtpB, rB.pdf);
    try {
      const a = await signedMeeting(appA.url);
      const b = await signedMeeting(appB.url);
      const before = { a: rA.renders(), b: rB.renders(), smtpA: smtpA.messages.length, smtpB: smtpB.messages.length };
      const [ra, rb] = await Promise.all([
        request(appA.url).post(`/api/v1/meetings/${a.id}/issue`).set('Authorization', `Bearer ${tokens.officer}`).send({ distribution: distribution() }),
        request(appB.url).post(`/api/v1/meetings/${b.id}/issue`).set('Authorization', `Bearer ${tokens.officer}`).send({ distribution: distribution() }),
      ]);
      expect([ra.status, rb.status]).to.deep.equal([201, 201]);
      await Promise.all([appA.outbox.idle(), appB.outbox.idle()]);
      await Promise.all([smtpA.waitFor(before.smtpA + 1, 15_000), smtpB.waitFor(before.smtpB + 1, 15_000)]);
      await sleep(300);
      expect(perRecipient(smtpA, a.subject)).to.deep.equal({ 'dc@example.gov.bd': 1, 'field@example.gov.bd': 1 });
      expect(perRecipient(smtpB, b.subject)).to.deep.equal({ 'dc@example.gov.bd': 1, 'field@example.gov.bd': 1 });
      expect(perRecipient(smtpA, b.subject)).to.deep.equal({});
      expect(perRecipient(smtpB, a.subject)).to.deep.equal({});
      expect([rA.renders() - before.a, rB.renders() - before.b]).to.deep.equal([1, 1]);
    } finally {
      await appB.close();
    }
  });
});
