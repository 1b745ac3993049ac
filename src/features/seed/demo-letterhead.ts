// The demo headquarters' letterhead: a motto line under the defaults (name, address from the office record).
// Saved through the letterhead service as the admin, from version 0, so it happens once: once anyone has
// saved the letterhead (or a second seed runs), the save is refused as stale and nothing is overwritten.
import type { Logger } from '../../platform/logger.js';
import { ConflictError } from '../../kernel/errors.js';
import { loadActor } from '../auth/index.js';
import { saveLetterhead, Letterhead } from '../letterhead/index.js';
import { Office } from '../offices/index.js';
import { User } from '../users/index.js';

export const DEMO_MOTTO = 'উদ্ভাবনে এগিয়ে যাই, সেবা সহজ করি';

export async function seedDemoLetterhead(deps: { logger: Logger; now: Date }): Promise<void> {
  const hq = await Office.findOne({ code: 'dwa-hq' }).lean();
  const admin = await User.findOne({ username: 'admin' }).lean();
  if (!hq || !admin || (await Letterhead.exists({ _id: String(hq._id) }))) return;
  const clock = { now: () => deps.now };
  const actor = await loadActor(String(admin._id), clock, 'session');
  if (!actor) return;
  try {
    await saveLetterhead({ actor, clock }, String(hq._id), 0, { motto: DEMO_MOTTO });
    deps.logger.info('demo letterhead seeded');
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}
