// What the layout shows about the signed-in user, and the menu for their roles.
import { translator, type Language } from '../../platform/i18n/index.js';
import type { OfficeTree } from '../../kernel/office-tree.js';
import type { Role } from '../../kernel/roles.js';
import type { Actor } from '../../kernel/actor.js';

export interface NavItem {
  readonly href: string;
  readonly label: string;
}

export interface Me {
  readonly name: string;
  readonly designation: string;
  readonly officeName: string;
  readonly roles: readonly Role[];
  readonly roleLabels: readonly string[];
  readonly acting: readonly { designation: string; officeName: string }[];
  readonly nav: readonly NavItem[];
}

/** Menu entries and the roles that see them; later features add theirs here. */
const MENU: readonly { href: string; key: string; roles: readonly Role[] | 'all' }[] = [
  { href: '/', key: 'nav.home', roles: 'all' },
  { href: '/initiatives', key: 'nav.initiatives', roles: 'all' },
  { href: '/meetings', key: 'nav.meetings', roles: 'all' },
  { href: '/meetings/signing', key: 'nav.signing', roles: ['head'] },
  { href: '/decisions', key: 'nav.decisions', roles: 'all' },
  { href: '/memo-registers', key: 'nav.memoRegisters', roles: ['admin', 'innovation_officer'] },
  { href: '/users', key: 'nav.people', roles: 'all' },
  { href: '/admin/offices', key: 'nav.offices', roles: ['admin'] },
  { href: '/admin/users', key: 'nav.users', roles: ['admin'] },
  { href: '/admin/audit', key: 'nav.audit', roles: ['admin'] },
  { href: '/profile', key: 'nav.profile', roles: 'all' },
];

export async function navigationFor(actor: Actor, tree: OfficeTree, lang: Language): Promise<Me> {
  const t = translator(lang);
  const roles = [...new Set(actor.posts.flatMap((p) => p.roles))];
  const name = (node: { nameBn: string; nameEn: string | undefined } | undefined): string =>
    node ? (lang === 'en' ? (node.nameEn ?? node.nameBn) : node.nameBn) : '';
  const own = actor.posts[0]!;
  return {
    name: lang === 'en' ? (actor.nameEn ?? actor.nameBn) : actor.nameBn,
    designation: lang === 'en' ? (own.designationEn ?? own.designationBn) : own.designationBn,
    officeName: name(tree.get(own.office)),
    roles,
    roleLabels: roles.map((r) => t(`roles.${r}`)),
    acting: actor.posts
      .filter((p) => p.acting)
      .map((p) => ({ designation: `${lang === 'en' ? (p.designationEn ?? p.designationBn) : p.designationBn} (${t('users.actingShort')})`, officeName: name(tree.get(p.office)) })),
    nav: MENU.filter((m) => m.roles === 'all' || m.roles.some((r) => roles.includes(r))).map((m) => ({ href: m.href, label: t(m.key) })),
  };
}
