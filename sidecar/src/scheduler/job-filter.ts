import type { JobsQueryOptions, JobsSort, JobState, RemoveJobsOptions } from 'agenda';
import { COLUMNS, type JobField } from './job-row.ts';

export type Where = { sql: string; params: unknown[] };

/**
 * agenda's computeJobState as SQL, so state filters, counts and pagination run in the
 * database instead of loading every job. The conformance suite checks it against agenda's own.
 */
export function stateSql(nowParam = '?'): string {
  return `(CASE
    WHEN locked_at IS NOT NULL THEN 'running'
    WHEN failed_at IS NOT NULL AND (last_finished_at IS NULL OR failed_at >= last_finished_at) THEN 'failed'
    WHEN repeat_interval IS NOT NULL AND repeat_interval <> '' THEN 'repeating'
    WHEN next_run_at IS NOT NULL AND next_run_at > ${nowParam} THEN 'scheduled'
    WHEN next_run_at IS NOT NULL THEN 'queued'
    ELSE 'completed' END)`;
}

/** The selection shared by remove, disable and enable. Empty criteria select nothing. */
export function selectionWhere(options: RemoveJobsOptions): Where | undefined {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (options.id !== undefined) {
    parts.push('id = ?');
    params.push(idParam(options.id));
  } else if (options.ids?.length) {
    parts.push('id IN (?)');
    params.push(options.ids.map(idParam));
  }
  if (options.name !== undefined) {
    parts.push('name = ?');
    params.push(options.name);
  } else if (options.names?.length) {
    parts.push('name IN (?)');
    params.push(options.names);
  } else if (options.notNames?.length) {
    parts.push('name NOT IN (?)');
    params.push(options.notNames);
  }
  if (options.data !== undefined) {
    parts.push(dataContains());
    params.push(JSON.stringify(options.data));
  }
  return parts.length ? { sql: parts.join(' AND '), params } : undefined;
}

/** WHERE for queryJobs (state excluded: the caller adds it with the clock it uses). */
export function queryWhere(options: JobsQueryOptions): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (options.name) {
    parts.push('name = ?');
    params.push(options.name);
  } else if (options.names?.length) {
    parts.push('name IN (?)');
    params.push(options.names);
  }
  if (options.id) {
    parts.push('id = ?');
    params.push(idParam(options.id));
  } else if (options.ids?.length) {
    parts.push('id IN (?)');
    params.push(options.ids.map(idParam));
  }
  if (options.search) {
    parts.push("name LIKE ? ESCAPE '\\\\'");
    params.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (options.data !== undefined) {
    parts.push(dataContains());
    params.push(JSON.stringify(options.data));
  }
  if (options.includeDisabled === false) parts.push('disabled = 0');
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

export function stateWhere(state: JobState, now: Date): Where {
  if (state === 'paused') return { sql: 'disabled = 1', params: [] };
  return { sql: `${stateSql()} = ?`, params: [now, state] };
}

const SORTABLE: Record<keyof JobsSort, string> = {
  nextRunAt: 'next_run_at',
  lastRunAt: 'last_run_at',
  lastFinishedAt: 'last_finished_at',
  priority: 'priority',
  name: 'name',
  data: 'data',
};

/** ORDER BY with NULLs last in both directions, as agenda's other backends do. */
export function orderBy(sort: JobsSort | undefined): string {
  const parts: string[] = [];
  for (const [key, direction] of Object.entries(sort ?? {})) {
    const column = SORTABLE[key as keyof JobsSort];
    if (!column || direction === undefined) continue;
    const dir = direction === 'asc' || direction === 1 ? 'ASC' : 'DESC';
    parts.push(`${column} IS NULL`, `${column} ${dir}`);
  }
  if (!parts.length) parts.push('next_run_at IS NULL', 'next_run_at DESC', 'last_run_at IS NULL', 'last_run_at DESC');
  parts.push('id ASC');
  return parts.join(', ');
}

/**
 * The condition for a `unique` filter: `data.x.y` paths read the JSON document, other
 * keys name job fields. Anything else is refused rather than interpolated.
 */
export function uniqueWhere(name: string, unique: Record<string, unknown>): Where {
  const parts = ['name = ?'];
  const params: unknown[] = [name];
  for (const [key, value] of Object.entries(unique)) {
    if (key === 'name') continue;
    if (key.startsWith('data.') || key === 'data') {
      const path = key === 'data' ? '$' : `$.${key.slice(5)}`;
      if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) throw new Error(`unsupported unique path: ${key}`);
      if (value !== null && typeof value === 'object') {
        parts.push(`JSON_CONTAINS(JSON_EXTRACT(data, '${path}'), ?)`);
        params.push(JSON.stringify(value));
      } else if (value === null) {
        parts.push(`JSON_TYPE(JSON_EXTRACT(data, '${path}')) = 'NULL'`);
      } else if (isPrimitive(value)) {
        parts.push(`JSON_UNQUOTE(JSON_EXTRACT(data, '${path}')) = ?`);
        params.push(String(value));
      } else {
        throw new Error(`unsupported unique value: ${key}`);
      }
      continue;
    }
    const column = COLUMNS[key as JobField];
    if (!column) throw new Error(`unsupported unique field: ${key}`);
    parts.push(value === null ? `${column} IS NULL` : `${column} = ?`);
    if (value !== null) params.push(value);
  }
  return { sql: parts.join(' AND '), params };
}

/** A primitive or undefined, which String() turns into its text; an object or a function is not one. */
function isPrimitive(value: unknown): value is string | number | boolean | bigint | symbol | undefined {
  return value === undefined || (typeof value !== 'object' && typeof value !== 'function');
}

function dataContains(): string {
  return 'JSON_CONTAINS(data, ?)';
}

function idParam(id: unknown): string {
  return String(id);
}
