import { toJobId, type JobParameters } from 'agenda';
import type { RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../db/json-column.ts';
import { Row } from '../db/queryable.ts';

/** agenda's field name → our column. The one place the two vocabularies meet. */
export const COLUMNS = {
  name: 'name',
  priority: 'priority',
  nextRunAt: 'next_run_at',
  type: 'type',
  lockedAt: 'locked_at',
  lastRunAt: 'last_run_at',
  lastFinishedAt: 'last_finished_at',
  failedAt: 'failed_at',
  failCount: 'fail_count',
  failReason: 'fail_reason',
  repeatInterval: 'repeat_interval',
  repeatTimezone: 'repeat_timezone',
  repeatAt: 'repeat_at',
  startDate: 'start_date',
  endDate: 'end_date',
  skipDays: 'skip_days',
  data: 'data',
  disabled: 'disabled',
  progress: 'progress',
  fork: 'fork',
  lastModifiedBy: 'last_modified_by',
  debounceStartedAt: 'debounce_started_at',
} as const;

export type JobField = keyof typeof COLUMNS;

/** Columns a plain save writes (state columns such as locked_at belong to saveJobState). */
export const DEFINITION_FIELDS = [
  'name',
  'priority',
  'nextRunAt',
  'type',
  'repeatInterval',
  'repeatTimezone',
  'repeatAt',
  'startDate',
  'endDate',
  'skipDays',
  'data',
  'disabled',
  'fork',
  'failReason',
  'failCount',
  'failedAt',
  'lastModifiedBy',
] as const satisfies readonly JobField[];

/** Columns the job processor updates while a job runs. */
export const STATE_FIELDS = [
  'lockedAt',
  'nextRunAt',
  'lastRunAt',
  'progress',
  'failReason',
  'failCount',
  'failedAt',
  'lastFinishedAt',
  'lastModifiedBy',
] as const satisfies readonly JobField[];

/** A value as the driver should write it. */
export function toColumnValue(field: JobField, job: Partial<JobParameters>): unknown {
  const value = (job as Record<string, unknown>)[field];
  switch (field) {
    case 'data':
      return JSON.stringify(value === undefined ? null : value);
    case 'skipDays':
      return Array.isArray(value) && value.length > 0 ? JSON.stringify(value) : null;
    case 'repeatInterval':
      // agenda's type: text (a human interval or cron) or a number of milliseconds.
      return typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' ? value : null;
    case 'disabled':
    case 'fork':
      return value ? 1 : 0;
    case 'priority':
      return typeof value === 'number' ? value : 0;
    case 'type':
      return value ?? 'normal';
    default:
      return value ?? null;
  }
}

export function rowToJob<DATA = unknown>(row: RowDataPacket): JobParameters<DATA> {
  const job: JobParameters<DATA> = {
    _id: toJobId(String(row.id)),
    name: row.name,
    priority: Number(row.priority),
    nextRunAt: row.next_run_at ?? null,
    type: row.type,
    data: jsonColumn(row.data) as DATA,
    disabled: Boolean(row.disabled),
  };
  const optional: Array<[keyof JobParameters, unknown]> = [
    ['lockedAt', row.locked_at],
    ['lastRunAt', row.last_run_at],
    ['lastFinishedAt', row.last_finished_at],
    ['failedAt', row.failed_at],
    ['failCount', row.fail_count],
    ['failReason', row.fail_reason],
    ['repeatInterval', numericOrString(new Row(row).strOrNull('repeat_interval'))],
    ['repeatTimezone', row.repeat_timezone],
    ['repeatAt', row.repeat_at],
    ['startDate', row.start_date],
    ['endDate', row.end_date],
    ['skipDays', jsonColumn(row.skip_days)],
    ['progress', row.progress],
    ['lastModifiedBy', row.last_modified_by],
    ['debounceStartedAt', row.debounce_started_at],
  ];
  for (const [key, value] of optional) {
    if (value !== null && value !== undefined) (job as unknown as Record<string, unknown>)[key] = value;
  }
  if (row.fork) job.fork = true;
  return job;
}

/** agenda accepts a number of milliseconds as a repeat interval; keep its type on the way back. */
function numericOrString(text: string | null): string | number | null {
  if (text === null) return null;
  return /^\d+$/.test(text) ? Number(text) : text;
}
