// Events between features: a typed in-process bus per app, and a durable outbox for what must survive a crash
// or be seen by another instance.
//
// Which events are which (keep this list true when adding one):
//   durable (outbox, each handler at most once per event across instances and restarts, finished by drain()):
//     minutes.issued         meetings → store the issued PDF, mail the minutes to every recipient once
//   in-process only (lost if the process dies before the handler runs; nothing depends on them later):
//     meeting.noticeChanged  meetings → mail the notice / its update with the calendar invitation
// A durable event is also published on the bus: the outbox relays it to its handlers at once, and drain()
// (at start and every few minutes) finishes what a crash or a failure left.
export { createEventBus, type EventBus, type EventHandler, type EventMap } from './bus.js';
export { createOutbox, eventIdOf, recordEvent, RetryLater, type HandlerContext, type Outbox, type OutboxHandler, type OutboxOptions, type Step } from './outbox.js';
export { OutboxClaim, OutboxEvent, OutboxPending } from './outbox.model.js';
