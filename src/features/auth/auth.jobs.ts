// Housekeeping for sign-in records: attempt slots and generation records older than 30 days are removed (a lock
// or a count never lasts that long), so the collection stays small.
import type { Job } from '../../platform/scheduler/index.js';
import { cleanUpSignInSlots } from './sign-in-lockout.js';

const KEEP_DAYS = 30;

/** Deletes sign-in records older than 30 days; returns how many went. */
export async function cleanUpSignInRecords(now: Date): Promise<{ records: number }> {
  return cleanUpSignInSlots(new Date(now.getTime() - KEEP_DAYS * 86_400_000));
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
