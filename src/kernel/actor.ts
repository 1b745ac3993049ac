// Who is acting: a signed-in user with one or more posts. A post is the user's own (office, roles,
// designation) or an acting charge (চলতি/অতিরিক্ত দায়িত্ব) in force today (Dhaka date).
import type { Role } from './roles.js';

export interface Post {
  readonly office: string;
  readonly roles: readonly Role[];
  readonly designationBn: string;
  readonly designationEn: string | undefined;
  /** An acting charge (documents show the designation with "(চলতি দায়িত্ব)"). */
  readonly acting: boolean;
}

export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly nameBn: string;
  readonly nameEn: string | undefined;
  readonly language: 'bn' | 'en';
  readonly mustChangePassword: boolean;
  /** The user's own post first, then acting charges in force. */
  readonly posts: readonly Post[];
  /** How this request was authenticated. */
  readonly via: 'session' | 'token';
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.posts.some((p) => p.roles.includes(role));
}

export function allRoles(actor: Actor): Role[] {
  return [...new Set(actor.posts.flatMap((p) => p.roles))];
}

export function primaryPost(actor: Actor): Post {
  return actor.posts[0]!;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** req.user is the Actor (set from the session or a bearer token). */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
  }
}
