// Refuses unacknowledged writes (write concern w: 0) before anything is sent, in every environment.
// Why: the driver sends a w: 0 command with OP_MSG's moreToCome flag ("send no reply"); FerretDB 1.24 replies
// anyway, and from then on every answer on that pooled connection belongs to the request before it (another
// user's record, "BSON element "cursor" is missing"): see database.md, property 0.
// Where: a mongoose plugin would miss raw driver calls (connection.db.collection(...), GridFS, bulk ops), and
// collection-level wrappers miss db.command({ delete, writeConcern }). Every command of every client passes
// through the driver's Connection.command, where the driver itself decides moreToCome from
// `command.writeConcern.w === 0` (cmap/commands.js), so the check sits there. That class is internal to the
// driver: if an upgrade moves it, installWriteGuard throws at start rather than leaving the app unguarded
// (test/engine/unacknowledged-write.test.ts fails too).
import { createRequire } from 'node:module';
import type { MongoClient } from 'mongodb';

export const REFUSAL = 'refused an unacknowledged write (writeConcern w: 0)';

export class UnacknowledgedWriteError extends Error {
  constructor(operation: string) {
    super(`${REFUSAL}: ${operation}. Every write must be acknowledged on this engine.`);
  }

  // A getter, not an own property: the driver's bulk path wraps errors by copying their own properties onto a
  // MongoServerError, whose `name` has no setter (an own `name` here would turn the refusal into a TypeError).
  override get name(): string {
    return 'UnacknowledgedWriteError';
  }
}

/** True for the refusal itself, or for a driver error wrapping it (bulk writes wrap what they throw). */
export function isUnacknowledgedWriteRefusal(err: unknown): boolean {
  return err instanceof UnacknowledgedWriteError || (err instanceof Error && err.message.startsWith(REFUSAL));
}

type CommandFn = (this: unknown, ns: unknown, command: Record<string, unknown> | undefined, ...rest: unknown[]) => Promise<unknown>;

const GUARDED = Symbol.for('udbhabon.writeGuard');
const require = createRequire(import.meta.url);

/** Names the operation for the error: the command's first key and its target, e.g. `delete on "sessions"`. */
function describe(ns: unknown, command: Record<string, unknown>): string {
  const [name] = Object.keys(command);
  const target = name ? command[name] : undefined;
  const db = typeof (ns as { db?: unknown })?.db === 'string' ? `${(ns as { db: string }).db}.` : '';
  return typeof target === 'string' ? `${name} on "${db}${target}"` : String(name ?? 'command');
}

export function isUnacknowledged(writeConcern: unknown): boolean {
  if (!writeConcern || typeof writeConcern !== 'object') return false;
  const w = (writeConcern as { w?: unknown }).w;
  return w === 0 || w === '0';
}

/** Installs the guard once per process (every MongoClient in it is covered). Idempotent. */
export function installWriteGuard(): void {
  const mod = require('mongodb/lib/cmap/connection.js') as { Connection?: { prototype: Record<string | symbol, unknown> } };
  const proto = mod.Connection?.prototype;
  const original = proto?.command as CommandFn | undefined;
  if (!proto || typeof original !== 'function') {
    throw new Error('write guard: the MongoDB driver no longer has Connection.prototype.command; update src/platform/db/write-guard.ts');
  }
  if (proto[GUARDED]) return;
  const guarded: CommandFn = function (this: unknown, ns, command, ...rest) {
    if (command && isUnacknowledged(command.writeConcern)) {
      return Promise.reject(new UnacknowledgedWriteError(describe(ns, command)));
    }
    return original.call(this, ns, command, ...rest);
  };
  proto.command = guarded;
  proto[GUARDED] = true;
}

/** A client configured for w: 0 (e.g. `?w=0` in MONGODB_URI) could write nothing: say so at start. */
export function assertAcknowledgedClient(client: MongoClient): void {
  if (isUnacknowledged(client.options.writeConcern)) {
    throw new UnacknowledgedWriteError('the connection string or client options ask for w: 0 on every write');
  }
}
