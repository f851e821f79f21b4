import type { Agenda } from 'agenda';
import type { Logger } from '../logger.ts';

/**
 * Recurring jobs earlier versions scheduled that no longer exist. Their rows would stay in
 * agenda_jobs forever (no sidecar defines them, so none runs or removes them) and show in the
 * jobs overview; an upgraded database drops them at start.
 *
 * - `flows.run-due`, `outbox.dispatch`, `events.sweep`: woke the step runner, the outbox
 *   dispatcher and the webhook event processor. Each sidecar now polls them itself
 *   (work-service.ts), with no lock a dead sidecar can hold.
 *
 * An older sidecar still running during a rolling upgrade schedules its own again; that is
 * harmless (only it runs them) and the next start of a new one removes them.
 */
export const RETIRED_JOBS = ['flows.run-due', 'outbox.dispatch', 'events.sweep'] as const;

export async function removeRetiredJobs(agenda: Agenda, logger: Pick<Logger, 'info'>): Promise<number> {
  const removed = await agenda.cancel({ names: [...RETIRED_JOBS] });
  if (removed > 0) logger.info({ removed, names: RETIRED_JOBS }, 'removed jobs of an earlier version');
  return removed;
}
