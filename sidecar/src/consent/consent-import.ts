import { randomUUID } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { CHANNELS, consentAddress, decideConsent, PURPOSES, recordConsent, type Channel, type Purpose } from './consent.ts';
import { lockCurrentConsent } from './consent-store.ts';

/**
 * Import of opt-ins the shop already holds (a CSV: email or phone, channel, purpose, date, source;
 * the plugin turns a WooCommerce user meta key into the same CSV). A dry run counts what the
 * import would do and writes nothing; the real run records each grant with the batch's id, the
 * row's date as claimed and its source as the reason. An import never lifts a withdrawal, and a
 * marketing email grant imported needs no confirmation email: the row is the shop's own proof.
 */

export const IMPORT_MAX_ROWS = 5_000;

export type ImportCounts = { rows: number; grant: number; alreadyGranted: number; refusedWithdrawn: number; invalid: number };
export type ImportResult = {
  dryRun: boolean;
  batch: string | null;
  counts: ImportCounts;
  invalid: Array<{ line: number; reason: string }>;
};

type ImportRow = { line: number; purpose: Purpose; channel: Channel; address: string; claimedAt: Date; source: string };

/** Splits CSV text into rows of cells (quotes, doubled quotes, commas or semicolons, CRLF). */
export function parseCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The CSV's rows checked one by one: valid ones to import, the others with their line and why. */
export function readImportCsv(csv: string, now = new Date()): { rows: ImportRow[]; invalid: Array<{ line: number; reason: string }> } {
  const lines = parseCsv(csv.replace(/^\uFEFF/, ''));
  const header = (lines[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const missing = ['channel', 'purpose', 'date', 'source'].filter((n) => col(n) < 0);
  if (col('email') < 0 && col('phone') < 0) missing.unshift('email or phone');
  if (missing.length)
    return { rows: [], invalid: [{ line: 1, reason: `the first line must name the columns; missing: ${missing.join(', ')}` }] };
  const rows: ImportRow[] = [];
  const invalid: Array<{ line: number; reason: string }> = [];
  lines.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const cell = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    if (cells.every((c) => c.trim() === '')) return;
    const channel = cell('channel').toLowerCase() as Channel;
    const purpose = cell('purpose').toLowerCase() as Purpose;
    if (!CHANNELS.includes(channel)) return invalid.push({ line, reason: `channel must be one of ${CHANNELS.join(', ')}` });
    if (!PURPOSES.includes(purpose)) return invalid.push({ line, reason: `purpose must be one of ${PURPOSES.join(', ')}` });
    const raw = channel === 'email' ? cell('email') : cell('phone');
    const address = raw ? consentAddress(channel, raw) : null;
    if (!address)
      return invalid.push({ line, reason: channel === 'email' ? 'no valid email address' : 'no phone number with its country code' });
    const date = cell('date');
    const claimedAt = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(date) ? new Date(date) : null;
    if (!claimedAt || Number.isNaN(claimedAt.getTime())) return invalid.push({ line, reason: 'date must be a date such as 2024-03-05' });
    if (claimedAt.getTime() > now.getTime()) return invalid.push({ line, reason: 'the date is in the future' });
    const source = cell('source');
    if (!source) return invalid.push({ line, reason: 'say where the customer agreed (source)' });
    if (rows.length >= IMPORT_MAX_ROWS) return invalid.push({ line, reason: `at most ${IMPORT_MAX_ROWS} rows per import` });
    rows.push({ line, purpose, channel, address, claimedAt, source: source.slice(0, 200) });
  });
  return { rows, invalid };
}

/** Counts (dry run) or records (real run) an import of opt-ins. */
export async function importConsents(pool: Pool, shopId: number, csv: string, dryRun: boolean): Promise<ImportResult> {
  const { rows, invalid } = readImportCsv(csv);
  const counts: ImportCounts = {
    rows: rows.length + invalid.length,
    grant: 0,
    alreadyGranted: 0,
    refusedWithdrawn: 0,
    invalid: invalid.length,
  };
  const batch = dryRun ? null : randomUUID();
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${row.purpose}:${row.channel}:${row.address}`;
    if (dryRun) {
      const current = await lockCurrentConsent(pool, { shopId, ...row });
      const decision = seen.has(key)
        ? ({ kind: 'keep' } as const)
        : decideConsent(current, { ...row, status: 'granted', source: 'import' }, { doubleOptIn: false });
      seen.add(key);
      count(counts, decision.kind === 'refuse' ? 'refused' : decision.kind === 'keep' ? 'kept' : 'granted');
      continue;
    }
    const outcome = await recordConsent(
      pool,
      {
        shopId,
        purpose: row.purpose,
        channel: row.channel,
        address: row.address,
        status: 'granted',
        source: 'import',
        importBatch: batch,
        claimedAt: row.claimedAt,
        reason: `imported; agreed: ${row.source}`,
      },
      { doubleOptIn: false },
    );
    count(counts, outcome.outcome === 'refused' ? 'refused' : outcome.changed ? 'granted' : 'kept');
  }
  return { dryRun, batch, counts, invalid };
}

function count(counts: ImportCounts, what: 'granted' | 'kept' | 'refused'): void {
  if (what === 'granted') counts.grant++;
  else if (what === 'kept') counts.alreadyGranted++;
  else counts.refusedWithdrawn++;
}
