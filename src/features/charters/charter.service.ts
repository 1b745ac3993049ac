// Citizen charters (সিটিজেন চার্টার): each office's services with the 7 published columns, imported from
// the text as published. A new import replaces the current version, which moves to the history.
import { NotFoundError } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import { assertCan } from '../access/policy.js';
import { recordAudit, type RequestContext } from '../audit/audit.service.js';
import { officeTree } from '../offices/office-tree.js';
import { Charter } from './charter.model.js';
import { parseCharter, type CharterParseError, type CharterService } from './charter-parser.js';

export interface CharterServiceView {
  readonly section: CharterService['section'];
  readonly serial: string;
  readonly name: string;
  readonly method: string;
  readonly documents: string;
  readonly fee: string;
  readonly timeLimit: string;
  readonly timeLimitDays: number | null;
  readonly officer: string;
  readonly officerInherited: boolean;
}

export interface ImportOutcome {
  readonly services: CharterServiceView[];
  readonly errors: { row: number; message: string; messageEn: string }[];
  readonly saved: boolean;
  readonly version?: number;
}

function view(s: CharterService | Record<string, unknown>): CharterServiceView {
  const x = s as CharterService;
  return {
    section: x.section,
    serial: x.serial,
    name: x.name,
    method: x.method ?? '',
    documents: x.documents ?? '',
    fee: x.fee ?? '',
    timeLimit: x.timeLimit ?? '',
    timeLimitDays: x.timeLimitDays ?? null,
    officer: x.officer ?? '',
    officerInherited: x.officerInherited === true,
  };
}

function assertOffice(id: string): void {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError();
}

/**
 * Reads a charter as published. Saves it (replacing the current version) unless `dryRun`; a file with rows
 * that could not be read saves nothing unless `acceptErrors` (the preview shows those rows first).
 */
export async function importCharter(
  ctx: RequestContext & { actor: Actor },
  officeId: string,
  text: string,
  options: { dryRun: boolean; acceptErrors: boolean },
): Promise<ImportOutcome> {
  assertOffice(officeId);
  const tree = await officeTree();
  if (!tree.get(officeId)) throw new NotFoundError();
  assertCan(ctx.actor, 'charter.manage', tree, { office: officeId });
  const parsed = parseCharter(text);
  const services = parsed.services.map(view);
  const errors = parsed.errors.map((e: CharterParseError) => ({ row: e.row, message: e.message, messageEn: e.messageEn }));
  if (services.length === 0) {
    if (errors.length === 0) errors.push({ row: 0, message: 'সিটিজেন চার্টারের কোনো সেবা পড়া যায়নি।', messageEn: 'No service could be read from the charter.' });
    return { services, errors, saved: false };
  }
  if (options.dryRun || (errors.length > 0 && !options.acceptErrors)) return { services, errors, saved: false };

  const current = await Charter.findById(officeId).lean();
  const version = (current?.version ?? 0) + 1;
  const now = ctx.clock.now();
  if (current) {
    // History first: if we stop between the two writes, the next import redoes this insert (11000 = already kept).
    try {
      await Charter.create({ ...current, _id: `${officeId}:v${current.version}`, current: false, replacedAt: now });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
  await Charter.replaceOne(
    { _id: officeId },
    {
      office: officeId,
      version,
      current: true,
      services,
      vision: parsed.vision,
      mission: parsed.mission,
      importedAt: now,
      importedBy: { id: ctx.actor.userId, name: ctx.actor.nameBn },
      skippedRows: errors.map((e) => ({ row: e.row, message: e.message })),
    },
    { upsert: true },
  );
  await recordAudit(ctx, {
    action: 'charter.import',
    entity: { type: 'charter', id: officeId, label: tree.get(officeId)!.nameBn, office: officeId },
    changes: [{ field: 'services', before: current?.services.length ?? 0, after: services.length }],
    note: `version ${version}; ${errors.length} rows skipped`,
    version,
  });
  return { services, errors, saved: true, version };
}

/** The current charter of an office (NotFoundError when none or out of scope). */
export async function getCharter(actor: Actor, officeId: string) {
  assertOffice(officeId);
  const tree = await officeTree();
  if (!tree.get(officeId)) throw new NotFoundError();
  assertCan(actor, 'charter.read', tree, { office: officeId });
  const c = await Charter.findById(officeId).lean();
  return c ? { office: officeId, version: c.version, importedAt: c.importedAt, importedBy: c.importedBy?.name ?? null, vision: c.vision ?? null, mission: c.mission ?? null, services: c.services.map((s) => view(s as unknown as CharterService)) } : undefined;
}

/** Earlier versions of an office's charter, newest first. */
export async function charterHistory(actor: Actor, officeId: string) {
  assertOffice(officeId);
  const tree = await officeTree();
  if (!tree.get(officeId)) throw new NotFoundError();
  assertCan(actor, 'charter.read', tree, { office: officeId });
  const versions = await Charter.find({ office: officeId, current: false }, { services: 0 }).lean();
  return versions.sort((a, b) => b.version - a.version).map((v) => ({ version: v.version, importedAt: v.importedAt, replacedAt: v.replacedAt ?? null, importedBy: v.importedBy?.name ?? null }));
}
