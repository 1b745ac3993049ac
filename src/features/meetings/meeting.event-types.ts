// The events the meetings feature publishes (names and payloads), apart from their handlers (meeting.events.ts),
// so the code that publishes them does not import the code that reacts to them.
import type { EventBus } from '../../platform/events/index.js';

export type MeetingEvents = {
  /** Published once, by the request that won the issue claim, after the status was saved. Durable. */
  'minutes.issued': { meetingId: string };
  /** The notice was issued, or a noticed meeting's time or place changed. In-process only. */
  'meeting.noticeChanged': { meetingId: string; method: 'REQUEST' | 'CANCEL' };
};

export type MeetingEventBus = Pick<EventBus<MeetingEvents>, 'publish'>;
