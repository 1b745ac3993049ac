// Moving a meeting to another office (PATCH /meetings/:id {office}): a meeting created under the wrong office
// is corrected while it is still a draft. The office decides who manages, signs and numbers the meeting, so the
// caller must manage meetings in both offices, and nothing may have gone out under the old one (a numbered
// notice, minutes submitted for signature).
// These checks read the meeting as loaded; a notice or submit racing the move is refused by the version claim
// the save takes (meeting-versions.ts), so of the two exactly one is written.
import { ConflictError, ForbiddenError, ValidationError } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/actor.js';
import { decide } from '../access/index.js';
import { officeTree } from '../offices/index.js';
import type { MeetingDoc } from './meeting.model.js';

/** Checks the move and returns the new office and series (a default series follows its office). */
export async function plannedMove(
  actor: Actor,
  doc: Pick<MeetingDoc, 'office' | 'status' | 'series' | 'kind' | 'notice'>,
  input: { office: string; kind?: string | undefined; series?: string | undefined },
): Promise<{ office: string; series: string } | undefined> {
  const from = String(doc.office);
  if (input.office === from) return undefined;
  const tree = await officeTree();
  if (!tree.get(input.office)) throw new ValidationError({ office: { bn: 'দপ্তরটি পাওয়া যায়নি।', en: 'The office was not found.' } });
  // 403 naming the office rather than the policy's 404: the meeting itself was found and may be edited.
  if (decide(actor, 'meeting.manage', tree, { office: input.office }) !== 'allow') {
    throw new ForbiddenError({ bn: 'ওই দপ্তরের সভা পরিচালনার অনুমতি আপনার নেই; সভাটি সেখানে সরানো যায় না।', en: 'You do not manage meetings of that office, so the meeting cannot be moved there (office).' });
  }
  if (doc.status !== 'draft' || doc.notice?.memoNumber) {
    throw new ConflictError(
      { bn: 'সভার দপ্তর শুধু খসড়া অবস্থায়, নোটিশ জারির আগে, বদলানো যায়।', en: 'The office of a meeting can be changed only while it is a draft and before its notice is issued.' },
      { field: 'office', status: doc.status },
    );
  }
  const series = input.series ?? (doc.series === `${from}:${doc.kind}` ? `${input.office}:${input.kind ?? doc.kind}` : doc.series);
  return { office: input.office, series };
}
