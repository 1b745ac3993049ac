// People and parties as stored on a meeting: users are looked up once and kept with the text that prints for
// them (name, designation, office), so the record reads the same after they move or leave.
import { Types } from 'mongoose';
import { findByIds } from '../../platform/db/ids.js';
import { ValidationError } from '../../kernel/errors.js';
import { officeTree } from '../offices/index.js';
import { User } from '../users/index.js';
import type { CreateMeetingInput, DistributionInput, PartyInput, PersonInput } from './meeting.schemas.js';

async function userCards(ids: string[]): Promise<Map<string, { name: string; designation: string; office: string; email?: string | null }>> {
  const out = new Map<string, { name: string; designation: string; office: string; email?: string | null }>();
  const unique = [...new Set(ids)].filter((id) => /^[0-9a-f]{24}$/i.test(id));
  if (!unique.length) return out;
  const tree = await officeTree();
  const users = await findByIds<{ _id: Types.ObjectId; nameBn: string; designationBn: string; office: Types.ObjectId; email?: string | null }>(User, unique, { nameBn: 1, designationBn: 1, office: 1, email: 1 });
  for (const u of users) out.set(String(u._id), { name: u.nameBn, designation: u.designationBn, office: tree.get(String(u.office))?.nameBn ?? '', email: u.email ?? null });
  return out;
}

export async function people(input: PersonInput[]): Promise<{ user: Types.ObjectId | null; name: string; designation: string; office: string; present: boolean; reason?: string | undefined }[]> {
  const cards = await userCards(input.map((p) => p.user).filter((u): u is string => !!u));
  return input.map((p, i) => {
    const card = p.user ? cards.get(p.user) : undefined;
    if (p.user && !card) throw new ValidationError({ [`attendance.${i}.user`]: { bn: 'ব্যবহারকারীকে পাওয়া যায়নি।', en: 'User not found.' } });
    return {
      user: p.user ? new Types.ObjectId(p.user) : null,
      name: p.name ?? card!.name,
      designation: p.designation ?? card?.designation ?? '',
      office: p.office ?? card?.office ?? '',
      present: p.present,
      reason: p.present ? undefined : p.reason,
    };
  });
}

/** Implementers and recipients as stored: a user or office is kept with the text that prints for it. */
export async function parties(input: (PartyInput | DistributionInput)[], field: string): Promise<{ user: Types.ObjectId | null; office: Types.ObjectId | null; text: string }[]> {
  const tree = await officeTree();
  const cards = await userCards(input.map((p) => ('user' in p ? p.user : undefined)).filter((u): u is string => !!u));
  return input.map((p, i) => {
    const user = 'user' in p && p.user ? p.user : undefined;
    const office = 'office' in p && p.office ? p.office : undefined;
    const given = 'text' in p ? p.text : undefined;
    if (user) {
      const card = cards.get(user);
      if (!card) throw new ValidationError({ [`${field}.${i}`]: { bn: 'ব্যবহারকারীকে পাওয়া যায়নি।', en: 'User not found.' } });
      return { user: new Types.ObjectId(user), office: null, text: given ?? [card.designation, card.office].filter(Boolean).join(', ') };
    }
    if (office) {
      const node = tree.get(office);
      if (!node) throw new ValidationError({ [`${field}.${i}`]: { bn: 'দপ্তরটি পাওয়া যায়নি।', en: 'Office not found.' } });
      return { user: null, office: new Types.ObjectId(office), text: given ?? node.nameBn };
    }
    return { user: null, office: null, text: given! };
  });
}

export async function chairOf(input: CreateMeetingInput['chair']): Promise<{ user: Types.ObjectId | null; name?: string; designation?: string; text: string }> {
  if ('user' in input) {
    const card = (await userCards([input.user])).get(input.user);
    if (!card) throw new ValidationError({ chair: { bn: 'সভাপতিকে পাওয়া যায়নি।', en: 'The chair was not found.' } });
    const designation = input.designation ?? card.designation;
    return { user: new Types.ObjectId(input.user), name: card.name, designation, text: [designation, card.office].filter(Boolean).join(', ') };
  }
  return { user: null, name: input.name, designation: input.designation, text: input.text };
}
