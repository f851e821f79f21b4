import type { Job } from 'agenda';
import type { Logger } from '../logger.ts';

/**
 * A handler still running after this is presumed hung (a request that never answers): its lock is
 * no longer renewed, so agenda cancels it once the lock runs out and the job is run again.
 */
const MAX_TOUCHED_RUN_MS = 60 * 60_000;

/**
 * Runs `work` while renewing the job's lock every third of its lifetime (up to MAX_TOUCHED_RUN_MS):
 * agenda cancels a job whose lock is older than its lifetime, and another sidecar takes it over.
 * So the lifetime is how long a dead sidecar's job waits, not how long a job may run. A renewal
 * still in flight is awaited before returning, so it can never land after agenda's final write
 * (which unlocks the job) and leave the job locked.
 */
export async function whileTouched(job: Job, work: () => Promise<void>, logger: Pick<Logger, 'warn'>): Promise<void> {
  const lifetime = job.agenda.definitions[job.attrs.name]?.lockLifetime;
  if (!lifetime) return work();
  const startedAt = Date.now();
  let touching: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (Date.now() - startedAt > MAX_TOUCHED_RUN_MS) {
        clearInterval(timer);
        logger.warn({ job: job.attrs.name }, 'job still running after an hour: its lock is left to expire and the job will run again');
        return;
      }
      touching ??= job
        .touch()
        .catch((error: unknown) =>
          logger.warn({ err: error, job: job.attrs.name }, 'renewing a job lock failed; another sidecar may take the job over'),
        )
        .finally(() => {
          touching = undefined;
        });
    },
    Math.max(1, Math.floor(lifetime / 3)),
  );
  try {
    await work();
  } finally {
    clearInterval(timer);
    await touching;
  }
}
