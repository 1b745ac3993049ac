// The durable outbox: events that must survive a crash between a saved change and its side effects, and that
// must run once however many instances or passes look at them.
//
// - The request that won a change writes the event with it (recordEvent) under an `_id` derived from the
//   change (`minutes.issued:<meeting id>`), so a second write is a no-op; a small `outbox_pending` record
//   says work is left.
// - Each handler claims `<eventId>:<handler>` by unique insert (claimOnce) before it runs and marks the claim
//   done after; a failed run, or one that has held its claim past `staleMs` (its process died), is taken over
//   by exactly one later pass. A handler with several side effects claims each (`ctx.step(key)`): a step
//   that was started and never marked done is in doubt and is not repeated (no second e-mail).
// - Handlers of one event run in registration order and a failure stops the later ones until the next pass,
//   so e.g. the mail waits for the stored PDF it attaches.
// - drain() (at start and as a scheduled job) finishes every pending event old enough that its publisher
//   should have done it already.
// - A handler that throws RetryLater (its change is not saved yet) is run again by the next pass without
//   spending one of its attempts. An event recorded for a change that then failed (recorded before the change,
//   the change refused) would otherwise be taken up by every drain forever: once it is older than
//   `abandonAfterMs` and its name's `neededWhile` test says its subject no longer needs it, it is marked
//   abandoned (logged) and leaves the pending list; recording it again (a retry of the change) revives it.
import { claimOnce, isDuplicateKey, type ClaimCollection } from '../db/claim.js';
import type { Logger } from '../logger.js';
import type { EventBus, EventMap } from './bus.js';
import { OutboxClaim, OutboxEvent, OutboxPending, type OutboxClaimDoc } from './outbox.model.js';

/** The id of the event a change produces: the same change always gives the same id. */
export function eventIdOf(name: string, key: string): string {
  return `${name}:${key}`;
}

/**
 * Writes a durable event (idempotent). Call it before the change it announces is saved, so a crash in between
 * leaves an event whose handlers wait (RetryLater) until the change exists, never a change without its event.
 */
export async function recordEvent(name: string, key: string, payload: object, at: Date): Promise<string> {
  const _id = eventIdOf(name, key);
  try {
    await OutboxPending.collection.insertOne({ _id, name, createdAt: at } as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  try {
    await OutboxEvent.collection.insertOne({ _id, name, payload, createdAt: at, doneAt: null } as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Recorded again for a new try of its change: an event abandoned meanwhile is wanted once more.
    const held = (await OutboxEvent.findById(_id, { abandonedAt: 1 }).lean()) as { abandonedAt?: Date | null } | null;
    if (held?.abandonedAt) await OutboxEvent.updateOne({ _id }, { $set: { abandonedAt: null } });
  }
  return _id;
}

/** Thrown by a handler whose event is not ready (e.g. the change is still being written): tried again later. */
export class RetryLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

export interface HandlerContext {
  readonly eventId: string;
  /** 0 on the first run; each takeover of a failed or abandoned run adds one (a RetryLater adds none). */
  readonly attempt: number;
  /**
   * Claims one side effect of this handler under `<eventId>:<handler>:<key>`. Returns the step to do, or
   * undefined when it is done or in doubt (started by a run that never said how it ended: not repeated).
   */
  step(key: string): Promise<Step | undefined>;
}

export interface Step {
  done(): Promise<void>;
  /** The side effect certainly did not happen (e.g. the server refused it): a later run may try it again. */
  failed(err: unknown): Promise<void>;
}

export type OutboxHandler<P> = (payload: P, ctx: HandlerContext) => Promise<void>;

export interface Outbox<M extends EventMap> {
  /** Registers a durable handler. `background`: the publisher does not wait for it (nor for later ones). */
  handle<K extends keyof M & string>(name: K, handler: string, fn: OutboxHandler<M[K]>, options?: { background?: boolean }): void;
  /** Runs the handlers of one recorded event that have not finished. With `wait: 'all'` also the background ones. */
  dispatch(eventId: string, options?: { wait?: 'foreground' | 'all' }): Promise<'missing' | 'dispatched'>;
  /** Dispatches `name` whenever it is published on `bus`, the event id being `eventIdOf(name, keyOf(payload))`. */
  relay<K extends keyof M & string>(bus: EventBus<M>, name: K, keyOf: (payload: M[K]) => string): void;
  /**
   * Whether a pending event of `name` is still wanted by its subject (e.g. its meeting is issued). Asked only of
   * events older than `abandonAfterMs`; false: drain() marks the event abandoned instead of running it again.
   */
  neededWhile<K extends keyof M & string>(name: K, test: (payload: M[K]) => Promise<boolean>): void;
  /** Finishes pending events older than `graceMs` (default: the outbox's). Returns how many were looked at. */
  drain(options?: { graceMs?: number }): Promise<number>;
  /** Resolves when the background handlers started so far have settled. */
  idle(): Promise<void>;
  /** The scheduled drain, as a scheduler job. */
  job(schedule?: string): { readonly name: string; readonly schedule: string; run(now: Date): Promise<void> };
}

export interface OutboxOptions {
  readonly logger: Logger;
  readonly clock: { now(): Date };
  /** A running claim older than this is taken to be a crashed run (default 5 minutes). */
  readonly staleMs?: number;
  /** drain() leaves events younger than this to their publisher (default 30 s). */
  readonly graceMs?: number;
  /** A pending event this old whose subject no longer needs it is abandoned (default 6 hours). */
  readonly abandonAfterMs?: number;
}

const generationOf = (c: OutboxClaimDoc): number => c.generation ?? c.attempt ?? 0;

const claims = () => OutboxClaim.collection as unknown as ClaimCollection<OutboxClaimDoc>;

export function createOutbox<M extends EventMap>(options: OutboxOptions): Outbox<M> {
  const { logger, clock } = options;
  const staleMs = options.staleMs ?? 5 * 60_000;
  const defaultGrace = options.graceMs ?? 30_000;
  const abandonAfterMs = options.abandonAfterMs ?? 6 * 60 * 60_000;
  const needed = new Map<string, (payload: never) => Promise<boolean>>();
  const handlers = new Map<string, { handler: string; fn: OutboxHandler<never>; background: boolean }[]>();
  const inFlight = new Set<Promise<unknown>>();

  async function claim(key: string, isStale: (c: OutboxClaimDoc) => boolean): Promise<{ attempt: number } | { existing: OutboxClaimDoc | null }> {
    const now = clock.now();
    const out = await claimOnce(claims(), { _id: key, state: 'running', attempt: 0, generation: 0, claimedAt: now, doneAt: null, error: null, retryLater: false }, {
      isStale,
      // A run that only said "not yet" (RetryLater) spent no attempt; every takeover is a new generation.
      takeover: (c): Partial<OutboxClaimDoc> => ({ state: 'running', attempt: (c.attempt ?? 0) + (c.retryLater ? 0 : 1), generation: generationOf(c) + 1, claimedAt: now, error: null, retryLater: false }),
      generationOf: (c) => String(generationOf(c)),
    });
    if (out.outcome === 'taken') return { existing: out.existing };
    return { attempt: out.doc.attempt };
  }
  const finish = (key: string) => OutboxClaim.updateOne({ _id: key }, { $set: { state: 'done', doneAt: clock.now() } });
  const fail = (key: string, err: unknown) => OutboxClaim.updateOne({ _id: key }, { $set: { state: 'failed', error: err instanceof Error ? err.message : String(err), retryLater: err instanceof RetryLater } });

  /** Runs one handler unless it is done or someone else holds it. True when it is done. */
  async function runHandler(eventId: string, entry: { handler: string; fn: OutboxHandler<never> }, payload: unknown): Promise<boolean> {
    const key = `${eventId}:${entry.handler}`;
    const got = await claim(key, (c) => c.state === 'failed' || (c.state === 'running' && clock.now().getTime() - new Date(c.claimedAt).getTime() > staleMs));
    if ('existing' in got) return got.existing?.state === 'done';
    const ctx: HandlerContext = {
      eventId,
      attempt: got.attempt,
      step: async (stepKey) => {
        const sk = `${key}:${stepKey}`;
        const s = await claim(sk, (c) => c.state === 'failed');
        if ('existing' in s) {
          if (s.existing?.state === 'running') logger.warn({ event: eventId, step: sk }, 'outbox step was started by a run that did not finish; not repeated');
          return undefined;
        }
        return { done: async () => void (await finish(sk)), failed: async (err) => void (await fail(sk, err)) };
      },
    };
    try {
      await (entry.fn as OutboxHandler<unknown>)(payload, ctx);
    } catch (err) {
      await fail(key, err);
      if (err instanceof RetryLater) logger.info({ event: eventId, handler: entry.handler, reason: err.message }, 'outbox handler will run again later');
      else logger.error({ err, event: eventId, handler: entry.handler, attempt: got.attempt }, 'outbox handler failed; the next drain runs it again');
      return false;
    }
    await finish(key);
    return true;
  }

  async function runChain(eventId: string, chain: { handler: string; fn: OutboxHandler<never> }[], payload: unknown): Promise<boolean> {
    for (const entry of chain) if (!(await runHandler(eventId, entry, payload))) return false;
    return true;
  }

  async function complete(eventId: string): Promise<void> {
    await OutboxEvent.updateOne({ _id: eventId }, { $set: { doneAt: clock.now() } });
    await OutboxPending.deleteOne({ _id: eventId });
  }

  /** Marks an old pending event abandoned when its subject no longer needs it. True when it did. */
  async function abandonIfUnneeded(p: { _id: string; name?: string; createdAt?: Date }): Promise<boolean> {
    const test = p.name ? needed.get(p.name) : undefined;
    if (!test || !p.createdAt || clock.now().getTime() - new Date(p.createdAt).getTime() < abandonAfterMs) return false;
    const event = (await OutboxEvent.findById(p._id).lean()) as { payload: unknown; doneAt?: Date | null } | null;
    if (!event || event.doneAt || (await (test as (payload: unknown) => Promise<boolean>)(event.payload))) return false;
    await OutboxEvent.updateOne({ _id: p._id }, { $set: { abandonedAt: clock.now() } });
    await OutboxPending.deleteOne({ _id: p._id });
    logger.warn({ event: p._id, recordedAt: p.createdAt }, 'outbox event abandoned: its change never happened (or was undone), so nothing needs it');
    return true;
  }

  const outbox: Outbox<M> = {
    handle(name, handler, fn, opts = {}) {
      handlers.set(name, [...(handlers.get(name) ?? []), { handler, fn: fn as OutboxHandler<never>, background: !!opts.background }]);
    },

    async dispatch(eventId, opts = {}) {
      const event = (await OutboxEvent.findById(eventId).lean()) as { name: string; payload: unknown; doneAt?: Date | null } | null;
      if (!event) return 'missing';
      if (event.doneAt) {
        await OutboxPending.deleteOne({ _id: eventId });
        return 'dispatched';
      }
      const all = handlers.get(event.name) ?? [];
      const split = all.findIndex((h) => h.background);
      const foreground = split < 0 ? all : all.slice(0, split);
      const background = split < 0 ? [] : all.slice(split);
      if (!(await runChain(eventId, foreground, event.payload))) return 'dispatched';
      const rest = runChain(eventId, background, event.payload).then(async (ok) => {
        if (ok) await complete(eventId);
      });
      if (opts.wait === 'all') {
        await rest;
        return 'dispatched';
      }
      const tracked = rest.catch((err: unknown) => logger.error({ err, event: eventId }, 'outbox dispatch failed'));
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
      return 'dispatched';
    },

    relay(bus, name, keyOf) {
      bus.subscribe(name, async (payload) => void (await outbox.dispatch(eventIdOf(name, keyOf(payload)))), `outbox:${name}`);
    },

    neededWhile(name, test) {
      needed.set(name, test as (payload: never) => Promise<boolean>);
    },

    async drain(opts = {}) {
      const grace = opts.graceMs ?? defaultGrace;
      const before = clock.now().getTime() - grace;
      const pending = (await OutboxPending.find({}).lean()) as { _id: string; name?: string; createdAt?: Date }[];
      let n = 0;
      for (const p of pending.sort((a, b) => String(a._id).localeCompare(String(b._id)))) {
        if (p.createdAt && new Date(p.createdAt).getTime() > before) continue;
        n += 1;
        try {
          if (await abandonIfUnneeded(p)) continue;
          const found = await outbox.dispatch(p._id, { wait: 'all' });
          // Pending without its event: the recording request died before writing it, so its change was never
          // saved either (the event is written first); a retry of the change records both again.
          if (found === 'missing' && p.createdAt && new Date(p.createdAt).getTime() < clock.now().getTime() - staleMs) await OutboxPending.deleteOne({ _id: p._id });
        } catch (err) {
          logger.error({ err, event: p._id }, 'outbox drain could not finish an event');
        }
      }
      return n;
    },

    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },

    job(schedule = '*/5 * * * *') {
      return { name: 'outbox.drain', schedule, run: async () => void (await outbox.drain()) };
    },
  };
  return outbox;
}
