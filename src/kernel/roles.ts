// The roles a post can carry (domain.md, "Roles"). Every feature's rules speak of these.
export const ROLES = ['admin', 'innovation_officer', 'head', 'field_officer', 'monitor', 'observer'] as const;
export type Role = (typeof ROLES)[number];
