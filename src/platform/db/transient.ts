// Which database errors mean "the engine is away or restarting, try again" rather than "this request is
// wrong" or "our code is wrong". One classifier, so that the error handler (503 + Retry-After), the read retry
// and anyone else agree. Decided by the error's class name, code, labels and message, never by instanceof
// alone: mongoose wraps driver errors, and the driver and bson packages may be present in more than one copy.
import { MongoError } from 'mongodb';

/** Server codes of a node that is shutting down, stepping down or unreachable (the driver's retryable set). */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  134, // ReadConcernMajorityNotAvailableYet
]);

/** Error classes of the driver (and mongoose's wrappers) that say nothing about the request itself. */
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  'MongoUnexpectedServerResponseError',
]);

const TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'PoolRequestedRetry', 'TransientTransactionError', 'SystemOverloadedError'];

/**
 * Messages of the same failures where no class says so: a reply that does not match its request ("BSON
 * element "cursor" is missing", the desync after an unacknowledged write), mongoose's buffering timeout while
 * disconnected, sockets closed or reset under a request, and the legacy not-primary / recovering texts.
 */
const TRANSIENT_MESSAGES =
  /BSON element "\w+" is missing|buffering timed out|connection .*(closed|reset)|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|Topology is closed|Client must be connected|not master|not primary|node is recovering|interrupted at shutdown|server selection/i;

/** True when the error is the engine being away, restarting or answering out of step: worth a 503 and a retry. */
export function isTransientDbError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (isTransientOne(e as ErrorLike)) return true;
  }
  return false;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errorLabels?: unknown;
  reason?: unknown;
}

function isTransientOne(e: ErrorLike): boolean {
  const name = typeof e.name === 'string' ? e.name : '';
  if (TRANSIENT_NAMES.has(name)) return true;
  if (e instanceof MongoError && TRANSIENT_LABELS.some((l) => e.hasErrorLabel(l))) return true;
  if (Array.isArray(e.errorLabels) && e.errorLabels.some((l) => TRANSIENT_LABELS.includes(String(l)))) return true;
  // Only errors that come from the database layer are read by code and message: a ValidationError or a
  // TypeError that happens to mention "closed" is a bug or a bad request, not an outage.
  const fromDb = /^Mongo|^Mongoose|^BSON/.test(name) || e instanceof MongoError;
  if (!fromDb) return false;
  if (typeof e.code === 'number' && TRANSIENT_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && TRANSIENT_MESSAGES.test(e.message);
}
