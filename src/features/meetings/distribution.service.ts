// Saved distribution lists (বিতরণ তালিকা): an office's recipients, kept to be named when minutes are issued.
import { idOrNotFound as asId } from '../../platform/db/ids.js';
import { ForbiddenError, ValidationError } from '../../kernel/errors.js';
import { officeTree, type OfficeTree } from '../offices/index.js';
import { assertCan, decide, permittedPosts } from '../access/index.js';
import { DistributionList } from './meeting.model.js';
import type { Ctx } from './meeting-guards.js';
import { parties } from './meeting-people.js';
import type { DistributionInput, IssueInput } from './meeting.schemas.js';

export async function createDistributionList(ctx: Ctx, input: { office?: string | undefined; name: string; entries: DistributionInput[]; notBySeniority: boolean }) {
  const tree = await officeTree();
  const office = input.office ?? permittedPosts(ctx.actor, 'meeting.manage')[0]?.office;
  if (!office) throw new ForbiddenError();
  assertCan(ctx.actor, 'meeting.manage', tree, { office });
  const entries = (await parties(input.entries, 'entries')).map((p, i) => ({ ...p, purpose: input.entries[i]!.purpose }));
  const doc = await DistributionList.create({ office, name: input.name, entries, notBySeniority: input.notBySeniority, createdBy: { id: ctx.actor.userId, name: ctx.actor.nameBn } });
  return doc.toObject();
}

/** The distribution of an issue: a named saved list's entries (the actor must see its office) before those given. */
export async function savedListEntries(
  ctx: Ctx,
  tree: OfficeTree,
  input: Pick<IssueInput, 'distribution' | 'distributionList' | 'notBySeniority'>,
): Promise<{ entries: DistributionInput[]; notBySeniority: boolean | undefined }> {
  let entries: DistributionInput[] = input.distribution;
  let notBySeniority = input.notBySeniority;
  if (input.distributionList) {
    const list = await DistributionList.findById(asId(input.distributionList)).lean();
    if (!list || decide(ctx.actor, 'meeting.read', tree, { office: String(list.office) }) !== 'allow') throw new ValidationError({ distributionList: { bn: 'বিতরণ তালিকাটি পাওয়া যায়নি।', en: 'The distribution list was not found.' } });
    entries = [...list.entries.map((e) => (e.user ? { user: String(e.user), purpose: e.purpose, text: e.text } : e.office ? { office: String(e.office), purpose: e.purpose, text: e.text } : { text: e.text, purpose: e.purpose })), ...entries] as DistributionInput[];
    notBySeniority ??= list.notBySeniority ?? false;
  }
  return { entries, notBySeniority };
}
