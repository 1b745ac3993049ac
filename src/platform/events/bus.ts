// A typed in-process event bus, one per app: a second app in the same process has its own subscribers.
// A publisher never fails because a subscriber did: the change it announces is already saved, so a handler's
// error is logged and the other handlers still run.
import type { Logger } from '../logger.js';

/** Event name → payload. Payloads carry ids, not records: a handler reads what it needs. */
export type EventMap = { [name: string]: object };

export type EventHandler<P> = (payload: P) => Promise<void> | void;

export interface EventBus<M extends EventMap> {
  /** Runs every subscriber of `name` (in subscription order) and resolves when all have settled. */
  publish<K extends keyof M & string>(name: K, payload: M[K]): Promise<void>;
  /** Adds a subscriber; the returned function removes it. */
  subscribe<K extends keyof M & string>(name: K, handler: EventHandler<M[K]>, label?: string): () => void;
}

export function createEventBus<M extends EventMap>(logger: Logger): EventBus<M> {
  const subscribers = new Map<keyof M, { handler: EventHandler<never>; label: string }[]>();
  return {
    async publish(name, payload) {
      for (const { handler, label } of [...(subscribers.get(name) ?? [])]) {
        try {
          await (handler as EventHandler<typeof payload>)(payload);
        } catch (err) {
          logger.error({ err, event: name, handler: label }, 'event handler failed');
        }
      }
    },
    subscribe(name, handler, label = handler.name || 'anonymous') {
      const entry = { handler: handler as EventHandler<never>, label };
      subscribers.set(name, [...(subscribers.get(name) ?? []), entry]);
      return () => {
        subscribers.set(name, (subscribers.get(name) ?? []).filter((e) => e !== entry));
      };
    },
  };
}
