// Record ids as they arrive in URLs and bodies.
import { Types } from 'mongoose';
import { NotFoundError } from '../../kernel/errors.js';

export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/i;

/** The id, or NotFoundError (404) for text that cannot be one: a malformed id names no record. */
export function idOrNotFound(id: string): Types.ObjectId {
  if (!OBJECT_ID_PATTERN.test(id)) throw new NotFoundError();
  return new Types.ObjectId(id);
}

/**
 * Reads documents by their ids, one `{_id}` read each, in the order given (missing ones are skipped).
 * `find({_id: {$in: ids}})` is not an index lookup on the embedded engine: it reads the whole collection
 * (measured in test/engine/engine-contract.test.ts), so hot paths read by `_id` one at a time.
 */
export async function findByIds<T>(
  model: { findById(id: unknown, projection?: unknown): { lean(): PromiseLike<unknown> } },
  ids: readonly (string | Types.ObjectId | null | undefined)[],
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  const unique = [...new Set(ids.filter((id): id is string | Types.ObjectId => !!id).map(String))].filter((id) => OBJECT_ID_PATTERN.test(id));
  const found = await Promise.all(unique.map((id) => model.findById(new Types.ObjectId(id), projection).lean()));
  return found.filter((d): d is T => d != null) as T[];
}
