// The only place node-cron is imported. Jobs are { name, schedule, run }; the scheduler adds
// error capture and logging and never runs two copies of one job in this process at once.
// (Exactly-once across processes is the job's own ledger insert under a unique key: see database.md.)
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

export interface Job {
  readonly name: string;
  /** cron expression, evaluated in Asia/Dhaka */
  readonly schedule: string;
  run(now: Date): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(jobs: readonly Job[], logger: Logger): Scheduler {
  const running = new Map<string, Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        if (running.has(job.name)) {
          logger.warn({ job: job.name }, 'job still running; this tick is skipped');
          return;
        }
        const started = Date.now();
        const p = job
          .run(new Date())
          .then(() => logger.info({ job: job.name, ms: Date.now() - started }, 'job done'))
          .catch((err: unknown) => logger.error({ err, job: job.name }, 'job failed'))
          .finally(() => running.delete(job.name));
        running.set(job.name, p);
        await p;
      },
      { timezone: 'Asia/Dhaka', name: job.name },
    ),
  );
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled(running.values());
    },
  };
}
