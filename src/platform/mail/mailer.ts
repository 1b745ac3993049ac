// The only place nodemailer is imported. Everything else sends mail through the Mailer interface.
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import type { Logger } from '../logger.js';

export interface MailMessage {
  to: string[];
  cc?: string[];
  /** UTF-8; Bangla subjects are encoded as RFC 2047 words. */
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer | string; contentType: string }[];
  /** An .ics from meetingInvite(); sent as a text/calendar part (with METHOD) and as invite.ics. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export interface SendResult {
  status: 'sent' | 'skipped';
  messageId?: string;
  accepted: string[];
  rejected: string[];
}

export interface Mailer {
  /** False when SMTP_HOST is unset: send() then logs and returns status 'skipped'. */
  readonly enabled: boolean;
  /** Resolves once the SMTP server accepted the message; rejects with a plain Error otherwise. */
  send(msg: MailMessage): Promise<SendResult>;
  /** Waits for sends in progress, then closes the pooled connections. */
  close(): Promise<void>;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;
/** Upper bound for one send() including time queued in the pool, so a stalling server cannot hang a caller. */
const SEND_DEADLINE_MS = 120_000;
const MAX_CONNECTIONS = 3;

export function createMailer(mail: Config['mail'], logger: Logger): Mailer {
  const log = logger.child({ component: 'mailer' });

  if (!mail.host) {
    log.debug('SMTP_HOST is not set: e-mail is disabled');
    return {
      enabled: false,
      async send(msg) {
        log.info(
          { subject: msg.subject, recipients: msg.to.length + (msg.cc?.length ?? 0) },
          'e-mail disabled (SMTP_HOST unset): message not sent',
        );
        return { status: 'skipped', accepted: [], rejected: [] };
      },
      async close() {},
    };
  }

  const transporter = nodemailer.createTransport(
    {
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      host: mail.host,
      port: mail.port,
      secure: mail.secure,
      ...(mail.user ? { auth: { user: mail.user, pass: mail.pass ?? '' } } : {}),
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      // Attachments are always given as content: never let a message read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    },
    { from: mail.from },
  );
  log.debug({ host: mail.host, port: mail.port, secure: mail.secure, auth: Boolean(mail.user) }, 'e-mail enabled');

  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function deliver(msg: MailMessage): Promise<SendResult> {
    if (msg.to.length + (msg.cc?.length ?? 0) === 0) throw new Error('Mail could not be sent: no recipients');
    try {
      const info = await transporter.sendMail({
        to: msg.to,
        ...(msg.cc?.length ? { cc: msg.cc } : {}),
        subject: msg.subject,
        text: msg.text,
        ...(msg.html ? { html: msg.html } : {}),
        attachments: (msg.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        // Nodemailer puts the event in the multipart/alternative as text/calendar; method=… (what Outlook,
        // Gmail and Apple Mail act on) and also attaches it as invite.ics for clients that only show files.
        ...(msg.calendar ? { icalEvent: { method: msg.calendar.method, content: msg.calendar.content, filename: 'invite.ics' } } : {}),
        signal: AbortSignal.timeout(SEND_DEADLINE_MS),
      });
      const accepted = info.accepted.map(String);
      const rejected = info.rejected.map(String);
      if (rejected.length > 0) {
        log.warn({ messageId: info.messageId, accepted: accepted.length, rejected }, 'some recipients were rejected');
      } else {
        log.info({ messageId: info.messageId, accepted: accepted.length }, 'e-mail sent');
      }
      return { status: 'sent', messageId: info.messageId, accepted, rejected };
    } catch (err) {
      const failure = describeFailure(err, mail.pass);
      log.warn({ err: failure, subject: msg.subject }, 'e-mail could not be sent');
      // The cause is nodemailer's error (code, responseCode, permanent); it carries no credentials.
      throw new Error(`Mail could not be sent${failure.code ? ` (${failure.code})` : ''}: ${failure.message}`, {
        cause: err,
      });
    }
  }

  return {
    enabled: true,
    async send(msg) {
      if (closed) throw new Error('Mail could not be sent: the mailer is closed');
      const p = deliver(msg);
      inFlight.add(p);
      try {
        return await p;
      } finally {
        inFlight.delete(p);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inFlight]);
      transporter.close();
    },
  };
}

interface Failure {
  message: string;
  code?: string;
  responseCode?: number;
  /** True for a 5xx reply: retrying the same message would fail again. */
  permanent?: boolean;
}

/** A short, single-line, credential-free summary of a nodemailer error (never the error object itself). */
function describeFailure(err: unknown, password: string | undefined): Failure {
  const e = (err ?? {}) as { message?: unknown; code?: unknown; responseCode?: unknown; permanent?: unknown };
  let message = (typeof e.message === 'string' ? e.message : String(err)).replace(/\s+/g, ' ').trim();
  if (password) message = message.split(password).join('[redacted]');
  if (message.length > 200) message = `${message.slice(0, 197)}...`;
  return {
    message: message || 'unknown error',
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    ...(typeof e.permanent === 'boolean' ? { permanent: e.permanent } : {}),
  };
}
