import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { jsonColumn } from '../db/json-column.ts';
import type { WebhookState } from '../woo/shop-connection.ts';

export const ALERT_KINDS = ['provider_failing', 'queue_stuck', 'webhook_disabled'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
const CHANNEL_NAMES: Record<string, string> = { email: 'email', sms: 'SMS', whatsapp: 'WhatsApp' };
/** How far back failures and sends are looked at, and how late work may be before the queue counts as stuck. */
const WINDOW_MS = 15 * 60_000;
const FAILURES_TO_OPEN = 5;
/** The step runner's lease (flows/step-runner.ts): a step claimed longer ago than this is free again. */
const STEP_LEASE_MS = 5 * 60_000;
/**
 * A send that succeeds now may belong to a row queued well before (retries, a delayed send): the
 * "did anything go through" look-up reads this much of the shop's outbox, by its created_at index.
 */
const SENT_LOOKBACK_MS = 24 * 60 * 60_000;
/** What of a provider's or WooCommerce's error goes into an alert (they never hold secrets; they can be long). */
const ERROR_CHARS = 300;

type Finding = { shopId: number; kind: AlertKind; subject: string; message: string };
type OpenAlert = { id: number; shopId: number; kind: string; subject: string; openKey: string };
export type AlertCheckResult = { opened: number; refreshed: number; resolved: number };

export const openKey = (shopId: number, kind: string, subject: string) => `${shopId}:${kind}:${subject}`;

/**
 * Opens, refreshes (last_seen_at, message) or resolves every shop's alerts from what the database
 * shows at `now`: a handful of set-based queries for all shops. Safe to run twice and from several
 * sidecars at once: an open alert is one row by its unique open_key (INSERT … ON DUPLICATE KEY
 * UPDATE), and a check never resolves an alert a later check has seen.
 */
export async function checkAlerts(pool: Pool, now: Date): Promise<AlertCheckResult> {
  const [open, [shops]] = await Promise.all([openAlerts(pool), pool.query<RowDataPacket[]>('SELECT id FROM shops')]);
  if (shops.length === 0) return { opened: 0, refreshed: 0, resolved: 0 };
  const shopIds = shops.map((r) => Number(r.id));
  const [providers, queue, webhooks] = await Promise.all([providerFindings(pool, now, shopIds, open), queueFindings(pool, now), webhookFindings(pool)]);
  // In key order, so checks running at once take the unique index's locks in the same order.
  const findings = [...providers.failing, ...queue, ...webhooks]
    .map((f) => ({ ...f, key: openKey(f.shopId, f.kind, f.subject) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const found = new Set(findings.map((f) => f.key));
  const stale = open.filter((a) => {
    if (found.has(a.openKey)) return false;
    // A failing provider is over only when a send goes through: fewer failures may just mean a quiet shop.
    if (a.kind === 'provider_failing') return providers.recovered.has(`${a.shopId}:${a.subject}`);
    return a.kind === 'queue_stuck' || a.kind === 'webhook_disabled';
  });

  if (findings.length) {
    // `message` before `last_seen_at`: MySQL assigns left to right, so it still compares with the stored time.
    const rows = findings.map((f) => [f.shopId, f.kind, f.subject, f.message.slice(0, 1000), now, now, f.key]);
    await retryOnDeadlock(() => pool.query(
      `INSERT INTO alerts (shop_id, kind, subject, message, opened_at, last_seen_at, open_key) VALUES ?
       ON DUPLICATE KEY UPDATE message = IF(VALUES(last_seen_at) >= last_seen_at, VALUES(message), message),
         last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))`,
      [rows],
    ));
  }
  let resolved = 0;
  if (stale.length) {
    const [result] = await retryOnDeadlock(() => pool.query<ResultSetHeader>(
      'UPDATE alerts SET resolved_at = ?, open_key = NULL WHERE id IN (?) AND open_key IS NOT NULL AND last_seen_at <= ?',
      [now, stale.map((a) => a.id), now],
    ));
    resolved = result.affectedRows;
  }
  const wasOpen = new Set(open.map((a) => a.openKey));
  const opened = [...found].filter((key) => !wasOpen.has(key)).length;
  return { opened, refreshed: found.size - opened, resolved };
}

async function openAlerts(pool: Pool): Promise<OpenAlert[]> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT id, shop_id, kind, subject, open_key FROM alerts WHERE open_key IS NOT NULL');
  return rows.map((r) => ({ id: Number(r.id), shopId: Number(r.shop_id), kind: String(r.kind), subject: String(r.subject), openKey: String(r.open_key) }));
}

/**
 * provider_failing, per shop and channel: at least five sends failed in the last 15 minutes
 * (rows now retrying, or given up) and none went through. The outbox keeps no time of a failed
 * attempt, so it is inferred: a retrying row was tried one backoff before its next attempt
 * (outbox.ts defaultBackoff, mirrored here), a failed row is counted when it was queued inside
 * the window (most give up at their first attempt, a permanent error). `recovered` holds the
 * shop:channel pairs of open alerts and candidates that had a send go through in the window.
 */
async function providerFindings(pool: Pool, now: Date, shopIds: number[], open: OpenAlert[]): Promise<{ failing: Finding[]; recovered: Set<string> }> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const [failures] = await pool.query<RowDataPacket[]>(
    `SELECT shop_id, channel, failures, last_error FROM (
       SELECT f.shop_id, f.channel, f.last_error,
         COUNT(*) OVER (PARTITION BY f.shop_id, f.channel) AS failures,
         ROW_NUMBER() OVER (PARTITION BY f.shop_id, f.channel ORDER BY f.at DESC, f.id DESC) AS n
       FROM (
         SELECT id, shop_id, channel, LEFT(last_error, ${ERROR_CHARS + 1}) AS last_error,
           next_attempt_at - INTERVAL LEAST(60 << LEAST(GREATEST(attempts - 1, 0), 20), 21600) SECOND AS at
         FROM outbox FORCE INDEX (outbox_status)
         WHERE status = 'retry' AND next_attempt_at >= ? AND attempts > 0
         UNION ALL
         SELECT id, shop_id, channel, LEFT(last_error, ${ERROR_CHARS + 1}), created_at
         FROM outbox FORCE INDEX (outbox_shop_created)
         WHERE shop_id IN (?) AND created_at >= ? AND status = 'failed' AND attempts > 0
       ) f
       WHERE f.at >= ? AND f.channel IN (?)
     ) x WHERE n = 1 AND failures >= ?`,
    [since, shopIds, since, since, CHANNELS, FAILURES_TO_OPEN],
  );
  const pairs = new Map<string, [number, string]>();
  for (const r of failures) pairs.set(`${r.shop_id}:${r.channel}`, [Number(r.shop_id), String(r.channel)]);
  for (const a of open) if (a.kind === 'provider_failing') pairs.set(`${a.shopId}:${a.subject}`, [a.shopId, a.subject]);
  const recovered = new Set<string>();
  if (pairs.size) {
    // shop_id IN (…) with the created_at bound is a range of outbox_shop_created per shop.
    const [sent] = await pool.query<RowDataPacket[]>(
      `SELECT DISTINCT shop_id, channel FROM outbox FORCE INDEX (outbox_shop_created)
       WHERE shop_id IN (?) AND created_at >= ? AND status = 'sent' AND sent_at >= ? AND (shop_id, channel) IN (?)`,
      [[...new Set([...pairs.values()].map(([shopId]) => shopId))], new Date(now.getTime() - SENT_LOOKBACK_MS), since, [...pairs.values()]],
    );
    for (const r of sent) recovered.add(`${r.shop_id}:${r.channel}`);
  }
  const failing = failures
    .filter((r) => !recovered.has(`${r.shop_id}:${r.channel}`))
    .map((r): Finding => {
      const channel = CHANNEL_NAMES[String(r.channel)] ?? String(r.channel);
      return {
        shopId: Number(r.shop_id),
        kind: 'provider_failing',
        subject: String(r.channel),
        message:
          `${Number(r.failures)} ${channel} sends failed in the last 15 minutes and none went through. ` +
          `Latest error: ${capError(r.last_error) || '(none recorded)'}. ` +
          `Messages are retried automatically; check the ${channel} provider's settings and account (address, credentials, sender, balance).`,
      };
    });
  return { failing, recovered };
}

/**
 * queue_stuck: work due more than 15 minutes ago that nobody is doing. A reminder step counts
 * when no sidecar holds it either (never claimed, or its lease ran out 15 minutes ago: a failing
 * step is re-leased every minute and shows in the queue as failing instead); a message when it
 * waits to be sent (pending, retry) or its sender's lease ran out that long ago (sending).
 */
async function queueFindings(pool: Pool, now: Date): Promise<Finding[]> {
  const late = new Date(now.getTime() - WINDOW_MS);
  const [[steps], [messages]] = await Promise.all([
    pool.query<RowDataPacket[]>(
      `SELECT shop_id, COUNT(*) AS n, MIN(next_step_at) AS since FROM enrollments FORCE INDEX (enrollments_due)
       WHERE status = 'active' AND next_step_at < ? AND (locked_at IS NULL OR locked_at < ?) GROUP BY shop_id`,
      [late, new Date(late.getTime() - STEP_LEASE_MS)],
    ),
    pool.query<RowDataPacket[]>(
      `SELECT shop_id, COUNT(*) AS n, MIN(next_attempt_at) AS since FROM outbox FORCE INDEX (outbox_status)
       WHERE status IN ('pending', 'retry', 'sending') AND next_attempt_at < ? GROUP BY shop_id`,
      [late],
    ),
  ]);
  const advice = 'Check that the sidecar is running and its scheduler is healthy (/healthz), and its log for errors.';
  return [
    ...steps.map((r): Finding => ({
      shopId: Number(r.shop_id),
      kind: 'queue_stuck',
      subject: 'steps',
      message: `${plural(Number(r.n), 'reminder step', 'has', 'have')} been due since ${formatUtc(r.since)} and not run. ${advice}`,
    })),
    ...messages.map((r): Finding => ({
      shopId: Number(r.shop_id),
      kind: 'queue_stuck',
      subject: 'messages',
      message: `${plural(Number(r.n), 'message', 'has', 'have')} been waiting to be sent since ${formatUtc(r.since)}. ${advice}`,
    })),
  ];
}

/**
 * webhook_disabled, from what the last webhook check stored (shops.webhooks): an order webhook
 * not active, or one the check had to switch back on (WooCommerce turns a webhook off after more
 * than five failed deliveries in a row); subject `connection` when the check itself failed.
 */
async function webhookFindings(pool: Pool): Promise<Finding[]> {
  const [shops] = await pool.query<RowDataPacket[]>('SELECT id, webhooks, connection_error FROM shops WHERE webhooks IS NOT NULL OR connection_error IS NOT NULL');
  const keepsComingBack =
    'The check repairs the webhooks every 5 minutes and reads changed orders again over the REST API, so no reminder is lost. ' +
    'If this keeps coming back, WooCommerce cannot deliver to Comeback: check that the shop’s server can reach the sidecar’s public URL ' +
    '(COMEBACK_PUBLIC_URL, deliveries go to /webhooks/woocommerce) and that the shop’s URL in Comeback is the address the shop answers at.';
  return shops.flatMap((shop): Finding[] => {
    const shopId = Number(shop.id);
    const findings: Finding[] = [];
    if (shop.connection_error) {
      findings.push({
        shopId,
        kind: 'webhook_disabled',
        subject: 'connection',
        message:
          `Comeback could not reach the shop over the WooCommerce REST API: ${capError(shop.connection_error)}. ` +
          'Until it can, the order webhooks are not checked or repaired and missed orders are not read again (it tries every 5 minutes). ' +
          'Check that the shop’s URL is reachable and that its REST API key is still valid (WooCommerce → Settings → Advanced → REST API).',
      });
    }
    for (const w of jsonColumn<WebhookState[]>(shop.webhooks) ?? []) {
      const what = `The WooCommerce webhook ${w.id} (${w.topic})`;
      if (w.status !== 'active') {
        findings.push({ shopId, kind: 'webhook_disabled', subject: String(w.id), message: `${what} is ${w.status}: order changes do not reach Comeback when they happen. ${keepsComingBack}` });
      } else if (w.action === 'reactivated') {
        const at = w.repairedAt ? ` at ${formatUtc(new Date(w.repairedAt))}` : '';
        findings.push({ shopId, kind: 'webhook_disabled', subject: String(w.id), message: `${what} had been turned off by WooCommerce after failed deliveries; Comeback turned it back on${at}. ${keepsComingBack}` });
      }
    }
    return findings;
  });
}

function capError(error: unknown): string {
  const text = String(error ?? '').replace(/\s+/g, ' ').trim();
  return text.length > ERROR_CHARS ? `${text.slice(0, ERROR_CHARS - 1)}…` : text;
}

/** "1 message has", "3 messages have". */
function plural(n: number, noun: string, one: string, many: string): string {
  return n === 1 ? `1 ${noun} ${one}` : `${n} ${noun}s ${many}`;
}

/** 2025-06-01 10:15 UTC */
export function formatUtc(value: Date | string): string {
  return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
