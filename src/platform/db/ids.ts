// Record ids as they arrive in URLs and bodies.
import { Types } from 'mongoose';
import { NotFoundError } from '../errors.js';

export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/i;

/** The id, or NotFoundError (404) for text that cannot be one: a malformed id names no record. */
export function idOrNotFound(id: string): Types.ObjectId {
  if (!OBJECT_ID_PATTERN.test(id)) throw new NotFoundError();
  return new Types.ObjectId(id);
}
