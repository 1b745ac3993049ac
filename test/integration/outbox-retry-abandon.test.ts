// The outbox's "not yet" and "never": a handler that throws RetryLater (its change is not saved yet) spends none of
// its attempts, and an event recorded for a change that then failed (the minutes' issue: event first, status
// refused) is not taken up by every drain forever. Before: each drain raised `attempt`, so the PDF handler's three
// tries were gone before the minutes were issued, and the event stayed pending for good.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Meeting } from '../../src/features/meetings/meeting.model.js';
import { meetingEventHandlers, type MeetingEvents } from '../../src/features/meetings/meeting.events.js';
import type { meetingMail } from '../../src/features/meetings/meeting.mail.js';
import { createEventBus, createOutbox, eventIdOf, OutboxClaim, OutboxEvent, OutboxPending, recordEvent, RetryLater } from '../../src/platform/events/index.js';
import type { PdfRenderer } from '../../src/platform/pdf/index.js';
import { resetDatabase } from '../support/db.js';
import { testLogger } from '../support/logger.js';

const HOUR = 60 * 60_000;

/** A business clock the test moves. */
function movableClock(start = Date.parse('2025-10-01T04:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

describe('outbox: RetryLater costs no attempt, and events whose change never happened are abandoned', function () {
  this.timeout(120_000);
  beforeEach(() => resetDatabase());

  it('when a handler says RetryLater on four drains and then runs, then it sees attempt 0; a handler that really failed twice sees attempt 2', async () => {
    const clock = movableClock();
    const outbox = createOutbox<{ 'test.changed': { id: string }; 'test.other': { id: string } }>({ logger: testLogger, clock });
    let ready = false;
    let failures = 2;
    const seen: Record<string, number[]> = { waits: [], flaky: [] };
    outbox.handle('test.changed', 'waits', async (_p, h) => {
      if (!ready) throw new RetryLater('not saved yet');
      seen.waits!.push(h.attempt);
    });
    outbox.handle('test.other', 'flaky', async (_p, h) => {
      if (failures-- > 0) throw new Error('renderer down');
      seen.flaky!.push(h.attempt);
    });
    await recordEvent('test.changed', 'a', { id: 'a' }, clock.now());
    await recordEvent('test.other', 'b', { id: 'b' }, clock.now());
    for (let i = 0; i < 4; i++) {
      await outbox.drain({ graceMs: 0 });
      clock.advance(60_000);
    }
    const waiting = (await OutboxClaim.findById(`${eventIdOf('test.changed', 'a')}:waits`).lean())!;
    expect(waiting.attempt, 'RetryLater spent attempts').to.equal(0);
    expect(waiting.state).to.equal('failed');
    ready = true;
    await outbox.drain({ graceMs: 0 });
    expect(seen.waits).to.deep.equal([0]);
    expect(await OutboxPending.findById(eventIdOf('test.changed', 'a')).lean()).to.equal(null);
    expect(seen.flaky).to.deep.equal([2]);
  });

  it('when an event stays pending past abandonAfterMs and its subject does not need it, then drain abandons it (no handler runs); a needed one stays; recording it again revives it', async () => {
    const clock = movableClock();
    const outbox = createOutbox<{ 'test.changed': { id: string } }>({ logger: testLogger, clock, abandonAfterMs: 2 * HOUR });
    const runs: string[] = [];
    const exists = new Set(['kept']);
    outbox.handle('test.changed', 'h', async ({ id }) => {
      runs.push(id);
      if (!exists.has(id) || id === 'kept') throw new RetryLater('not yet');
    });
    outbox.neededWhile('test.changed', async ({ id }) => exists.has(id));
    await recordEvent('test.changed', 'gone', { id: 'gone' }, clock.now());
    await recordEvent('test.changed', 'kept', { id: 'kept' }, clock.now());
    await outbox.drain({ graceMs: 0 });
    expect(await OutboxPending.countDocuments({})).to.equal(2);

    clock.advance(3 * HOUR);
    runs.length = 0;
    await outbox.drain({ graceMs: 0 });
    expect(runs).to.deep.equal(['kept']);
    expect(await OutboxPending.findById(eventIdOf('test.changed', 'gone')).lean()).to.equal(null);
    expect((await OutboxEvent.findById(eventIdOf('test.changed', 'gone')).lean())!.abandonedAt).to.be.instanceOf(Date);
    expect(await OutboxPending.findById(eventIdOf('test.changed', 'kept')).lean()).to.not.equal(null);
    expect((await OutboxEvent.findById(eventIdOf('test.changed', 'kept')).lean())!.abandonedAt ?? null).to.equal(null);

    // A new try of the change records the event again: it is pending and runs.
    exists.add('gone');
    await recordEvent('test.changed', 'gone', { id: 'gone' }, clock.now());
    expect((await OutboxEvent.findById(eventIdOf('test.changed', 'gone')).lean())!.abandonedAt ?? null).to.equal(null);
    runs.length = 0;
    await outbox.drain({ graceMs: 0 });
    expect(runs).to.include('gone');
    expect(await OutboxPending.findById(eventIdOf('test.changed', 'gone')).lean()).to.equal(null);
  });

  it('when minutes.issued was recorded for an issue that failed (the meeting stays signed), then the PDF handler spends no try while it waits and an old event is abandoned; an issued meeting keeps its event', async () => {
    const clock = movableClock();
    const bus = createEventBus<MeetingEvents>(testLogger);
    const outbox = createOutbox<MeetingEvents>({ logger: testLogger, clock, abandonAfterMs: HOUR });
    let renders = 0;
    const pdf = { render: async () => { renders += 1; throw new Error('renderer down'); } } as unknown as PdfRenderer;
    const mail = { enabled: false } as unknown as ReturnType<typeof meetingMail>;
    meetingEventHandlers({ bus, outbox, mail, pdf: () => pdf, publicUrl: undefined, logger: testLogger });
    const failed = new Types.ObjectId();
    const issued = new Types.ObjectId();
    await Meeting.collection.insertOne({ _id: failed, status: 'signed', subject: 'ব্যর্থ জারি' } as never);
    await recordEvent('minutes.issued', String(failed), { meetingId: String(failed) }, clock.now());
    for (let i = 0; i < 5; i++) {
      await outbox.drain({ graceMs: 0 });
      clock.advance(5 * 60_000);
    }
    const pdfClaim = (await OutboxClaim.findById(`${eventIdOf('minutes.issued', String(failed))}:pdf`).lean())!;
    expect(pdfClaim.attempt, 'waiting for the status spent the PDF tries').to.equal(0);
    expect(renders).to.equal(0);

    await Meeting.collection.insertOne({ _id: issued, status: 'issued', subject: 'জারিকৃত' } as never);
    await recordEvent('minutes.issued', String(issued), { meetingId: String(issued) }, clock.now());
    clock.advance(2 * HOUR);
    await outbox.drain({ graceMs: 0 });
    expect(await OutboxPending.findById(eventIdOf('minutes.issued', String(failed))).lean(), 'failed issue still pending').to.equal(null);
    expect((await OutboxEvent.findById(eventIdOf('minutes.issued', String(failed))).lean())!.abandonedAt).to.be.instanceOf(Date);
    expect(await OutboxPending.findById(eventIdOf('minutes.issued', String(issued))).lean(), 'issued meeting lost its event').to.not.equal(null);
    expect((await OutboxEvent.findById(eventIdOf('minutes.issued', String(issued))).lean())!.abandonedAt ?? null).to.equal(null);
  });
});
