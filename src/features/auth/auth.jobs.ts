// Housekeeping for sign-in records: attempts older than 30 days and expired locks are removed, so the
// lockout count (which reads the whole collection on the embedded engine) stays cheap.
import type { Job } from '../../platform/scheduler/index.js';
import { AccountLock, LoginAttempt } from './auth.model.js';

const KEEP_DAYS = 30;

/** Deletes old sign-in attempts and expired locks; returns how many of each went. */
export async function cleanUpSignInRecords(now: Date): Promise<{ attempts: number; locks: number }> {
  const attempts = await LoginAttempt.deleteMany({ at: { $lt: new Date(now.getTime() - KEEP_DAYS * 86_400_000) } });
  const locks = await AccountLock.deleteMany({ until: { $lt: now } });
  return { attempts: attempts.deletedCount, locks: locks.deletedCount };
}

export const authJobs: readonly Job[] = [
  {
    name: 'auth.clean-up-sign-in-records',
    schedule: '17 3 * * *', // 03:17 Dhaka, every night
    run: async (now) => {
      await cleanUpSignInRecords(now);
    },
  },
];
