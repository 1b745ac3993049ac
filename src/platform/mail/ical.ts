// iCalendar (RFC 5545) meeting invites, built with the `ics` package. Times are written in UTC
// (DTSTART:...Z), so clients show them in their own zone and nothing depends on the server's TZ.
import { createEvent, type EventAttributes } from 'ics';

export interface MeetingInviteInput {
  /** Stable per meeting (e.g. `<meetingId>@udbhabon`): an update or cancellation must reuse it. */
  uid: string;
  /** 0 for the first invite; increase it for every update or cancellation so clients replace the earlier one. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  description?: string;
  location?: string;
  start: Date;
  durationMinutes: number;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
  url?: string;
}

const PRODUCT_ID = '-//Udbhabon//Meetings//BN';
/** RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets (not characters: Bangla is 3 octets a letter). */
const MAX_LINE_OCTETS = 75;

/** The text of an .ics file (CRLF lines, UTF-8) for a meeting invite or its cancellation. */
export function meetingInvite(input: MeetingInviteInput): string {
  const startMs = input.start.getTime();
  if (Number.isNaN(startMs)) throw new Error('meetingInvite: start is not a valid date');
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes <= 0) {
    throw new Error(`meetingInvite: durationMinutes must be a positive whole number, got ${input.durationMinutes}`);
  }
  if (!Number.isInteger(input.sequence) || input.sequence < 0) {
    throw new Error(`meetingInvite: sequence must be a whole number ≥ 0, got ${input.sequence}`);
  }
  if (!input.uid.trim()) throw new Error('meetingInvite: uid is required');

  const attributes: EventAttributes = {
    productId: PRODUCT_ID,
    method: input.method,
    uid: input.uid,
    sequence: input.sequence,
    status: input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    title: input.title,
    start: startMs,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: startMs + input.durationMinutes * 60_000,
    endInputType: 'utc',
    endOutputType: 'utc',
    busyStatus: 'BUSY',
    transp: 'OPAQUE',
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: input.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      role: 'REQ-PARTICIPANT',
      partstat: 'NEEDS-ACTION',
      cutype: 'INDIVIDUAL',
      rsvp: input.method === 'REQUEST',
    })),
    ...(input.description ? { description: input.description } : {}),
    ...(input.location ? { location: input.location } : {}),
    ...(input.url ? { url: input.url } : {}),
  };

  const { error, value } = createEvent(attributes);
  if (error || !value) {
    throw new Error(`Could not build the calendar invite "${input.uid}": ${error?.message ?? 'no output from ics'}`);
  }
  return foldByOctets(value);
}

/**
 * `ics` folds at 75 characters; refold at 75 octets (RFC 5545 §3.1) without splitting a UTF-8
 * sequence, continuing with CRLF + space. Unfolding restores the exact text.
 */
function foldByOctets(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines.map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_LINE_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_LINE_OCTETS - 1; // the leading space of a continuation line counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
