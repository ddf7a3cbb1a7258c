import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";

/** A recurring job: a name for the logs, when it runs, and what it does. */
export interface Job {
  name: string;
  cron: string;
  run: () => Promise<void>;
}

/** Runs jobs on their cron schedules; a run still going when the next is due is skipped. */
export interface Scheduler {
  start(): void;
  /** stops scheduling and waits for runs in progress to finish */
  stop(): Promise<void>;
}

/** Creates a scheduler for `jobs`, in UTC (each channel's own time zone is the digest's business). */
export function createScheduler(jobs: Job[], logger: Logger): Scheduler {
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<void>>();
  const busy = new Set<string>();

  const runOnce = (job: Job) => {
    // Overlapping runs of one job would fetch or post twice; the next tick catches up instead.
    if (busy.has(job.name)) {
      logger.warn("job still running, skipping this tick", { job: job.name });
      return;
    }
    busy.add(job.name);
    const started = Date.now();
    const run = job
      .run()
      .then(() => logger.debug("job finished", { job: job.name, ms: Date.now() - started }))
      .catch((error: unknown) => logger.error("job failed", { job: job.name, error }))
      .finally(() => {
        busy.delete(job.name);
        running.delete(run);
      });
    running.add(run);
  };

  return {
    start() {
      for (const job of jobs) {
        tasks.push(
          cron.schedule(job.cron, () => runOnce(job), { timezone: "UTC", name: job.name }),
        );
        logger.info("job scheduled", { job: job.name, cron: job.cron });
      }
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
      tasks.length = 0;
      await Promise.allSettled([...running]);
    },
  };
}
