import type { Pool } from 'mysql2/promise';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { channelName } from '../messages/message-channel.ts';
import { openAlerts, openOrRefreshAlerts, resolveAlertsUnseenSince, type OpenAlert } from './alert-store.ts';
import {
  allShopIds,
  budgetsHeldOn,
  countryRefusals,
  lateMessagesPerShop,
  lateStepsPerShop,
  pairsWithSendsThrough,
  recentSendFailures,
  shopConnectionStates,
  shopsPausedUnreachable,
} from './signal-store.ts';

export const ALERT_KINDS = [
  'provider_failing',
  'queue_stuck',
  'webhook_disabled',
  'plugin_unreachable',
  'send_budget_reached',
  'country_not_allowed',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
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
export type AlertCheckResult = { opened: number; refreshed: number; resolved: number };

export const openKey = (shopId: number, kind: string, subject: string) => `${shopId}:${kind}:${subject}`;
/** A shop's channel, as provider_failing findings and their recoveries are matched by. */
const channelKey = (shopId: number, channel: string) => `${shopId}:${channel}`;

/**
 * Opens, refreshes (last_seen_at, message) or resolves every shop's alerts from what the database
 * shows at `now`: a handful of set-based queries for all shops. Safe to run twice and from several
 * sidecars at once: an open alert is one row by its unique open_key (INSERT … ON DUPLICATE KEY
 * UPDATE), and a check never resolves an alert a later check has seen.
 */
export async function checkAlerts(pool: Pool, now: Date): Promise<AlertCheckResult> {
  const [open, shopIds] = await Promise.all([openAlerts(pool), allShopIds(pool)]);
  if (shopIds.length === 0) return { opened: 0, refreshed: 0, resolved: 0 };
  const [providers, queue, webhooks, plugins, limits] = await Promise.all([
    providerFindings(pool, now, shopIds, open),
    queueFindings(pool, now),
    webhookFindings(pool),
    pluginFindings(pool),
    sendLimitFindings(pool, now, shopIds),
  ]);
  // In key order, so checks running at once take the unique index's locks in the same order.
  const findings = [...providers.failing, ...queue, ...webhooks, ...plugins, ...limits]
    .map((f) => ({ ...f, key: openKey(f.shopId, f.kind, f.subject) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const found = new Set(findings.map((f) => f.key));
  const stale = open.filter((a) => {
    if (found.has(a.openKey)) return false;
    // A failing provider is over only when a send goes through: fewer failures may just mean a quiet shop.
    if (a.kind === 'provider_failing') return providers.recovered.has(channelKey(a.shopId, a.subject));
    return (
      a.kind === 'queue_stuck' ||
      a.kind === 'webhook_disabled' ||
      a.kind === 'plugin_unreachable' ||
      a.kind === 'send_budget_reached' ||
      a.kind === 'country_not_allowed'
    );
  });

  if (findings.length) await retryOnDeadlock(() => openOrRefreshAlerts(pool, findings, now));
  const resolved = stale.length
    ? await retryOnDeadlock(() =>
        resolveAlertsUnseenSince(
          pool,
          stale.map((a) => a.id),
          now,
        ),
      )
    : 0;
  const wasOpen = new Set(open.map((a) => a.openKey));
  const opened = [...found].filter((key) => !wasOpen.has(key)).length;
  return { opened, refreshed: found.size - opened, resolved };
}

/**
 * provider_failing, per shop and channel: at least five sends failed in the last 15 minutes
 * (rows now retrying, or given up: recentSendFailures says how their time is inferred) and none
 * went through. `recovered` holds the channelKey of open alerts and candidates that had a send go
 * through in the window.
 */
async function providerFindings(
  pool: Pool,
  now: Date,
  shopIds: number[],
  open: OpenAlert[],
): Promise<{ failing: Finding[]; recovered: Set<string> }> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const failures = await recentSendFailures(pool, {
    since,
    shopIds,
    channels: CHANNELS,
    atLeast: FAILURES_TO_OPEN,
    errorChars: ERROR_CHARS,
  });
  const pairs = new Map<string, [number, string]>();
  for (const f of failures) pairs.set(channelKey(f.shopId, f.channel), [f.shopId, f.channel]);
  for (const a of open) if (a.kind === 'provider_failing') pairs.set(channelKey(a.shopId, a.subject), [a.shopId, a.subject]);
  const recovered = new Set<string>();
  if (pairs.size) {
    const through = await pairsWithSendsThrough(pool, [...pairs.values()], {
      queuedSince: new Date(now.getTime() - SENT_LOOKBACK_MS),
      sentSince: since,
    });
    for (const p of through) recovered.add(channelKey(p.shopId, p.channel));
  }
  const failing = failures
    .filter((f) => !recovered.has(channelKey(f.shopId, f.channel)))
    .map((f): Finding => {
      const channel = channelName(f.channel, true);
      return {
        shopId: f.shopId,
        kind: 'provider_failing',
        subject: f.channel,
        message:
          `${f.failures} ${channel} sends failed in the last 15 minutes and none went through. ` +
          `Latest error: ${capError(f.lastError) || '(none recorded)'}. ` +
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
  const [steps, messages] = await Promise.all([
    lateStepsPerShop(pool, late, new Date(late.getTime() - STEP_LEASE_MS)),
    lateMessagesPerShop(pool, late),
  ]);
  const advice = 'Check that the sidecar is running and its scheduler is healthy (/healthz), and its log for errors.';
  return [
    ...steps.map((w): Finding => ({
      shopId: w.shopId,
      kind: 'queue_stuck',
      subject: 'steps',
      message: `${plural(w.count, 'reminder step', 'has', 'have')} been due since ${formatUtc(w.since)} and not run. ${advice}`,
    })),
    ...messages.map((w): Finding => ({
      shopId: w.shopId,
      kind: 'queue_stuck',
      subject: 'messages',
      message: `${plural(w.count, 'message', 'has', 'have')} been waiting to be sent since ${formatUtc(w.since)}. ${advice}`,
    })),
  ];
}

/**
 * webhook_disabled, from what the last webhook check stored (shops.webhooks): an order webhook
 * not active, or one the check had to switch back on (WooCommerce turns a webhook off after more
 * than five failed deliveries in a row); subject `connection` when the check itself failed.
 */
async function webhookFindings(pool: Pool): Promise<Finding[]> {
  const shops = await shopConnectionStates(pool);
  const keepsComingBack =
    'The check repairs the webhooks every 5 minutes and reads changed orders again over the REST API, so no reminder is lost. ' +
    'If this keeps coming back, WooCommerce cannot deliver to Comeback: check that the shop’s server can reach the sidecar’s public URL ' +
    '(COMEBACK_PUBLIC_URL, deliveries go to /webhooks/woocommerce) and that the shop’s URL in Comeback is the address the shop answers at.';
  return shops.flatMap((shop): Finding[] => {
    const { shopId } = shop;
    const findings: Finding[] = [];
    if (shop.connectionError) {
      findings.push({
        shopId,
        kind: 'webhook_disabled',
        subject: 'connection',
        message:
          `Comeback could not reach the shop over the WooCommerce REST API: ${capError(shop.connectionError)}. ` +
          'Until it can, the order webhooks are not checked or repaired and missed orders are not read again (it tries every 5 minutes). ' +
          'Check that the shop’s URL is reachable and that its REST API key is still valid (WooCommerce → Settings → Advanced → REST API).',
      });
    }
    for (const w of shop.webhooks ?? []) {
      const what = `The WooCommerce webhook ${w.id} (${w.topic})`;
      if (w.status !== 'active') {
        findings.push({
          shopId,
          kind: 'webhook_disabled',
          subject: String(w.id),
          message: `${what} is ${w.status}: order changes do not reach Comeback when they happen. ${keepsComingBack}`,
        });
      } else if (w.action === 'reactivated') {
        const at = w.repairedAt ? ` at ${formatUtc(new Date(w.repairedAt))}` : '';
        findings.push({
          shopId,
          kind: 'webhook_disabled',
          subject: String(w.id),
          message: `${what} had been turned off by WooCommerce after failed deliveries; Comeback turned it back on${at}. ${keepsComingBack}`,
        });
      }
    }
    return findings;
  });
}

/**
 * plugin_unreachable: the shop was paused because its plugin's signed profile endpoint failed
 * sweep after sweep (the plugin deleted or switched off without telling, or the shop down). Over
 * when the shop is active again (the plugin answered, or the merchant resumed or disconnected it).
 */
async function pluginFindings(pool: Pool): Promise<Finding[]> {
  return (await shopsPausedUnreachable(pool)).map(({ shopId, since }) => ({
    shopId,
    kind: 'plugin_unreachable',
    subject: 'plugin',
    message:
      `The Comeback plugin in the shop stopped answering${since ? ` (noticed ${formatUtc(since)})` : ''}, so Comeback paused the shop: ` +
      'no new order enters recovery and waiting reminders are held, not sent (none is lost). ' +
      'If the plugin was deleted or deactivated by mistake, install or activate it again in WordPress → Plugins: the shop resumes by itself. ' +
      'If you removed Comeback on purpose, disconnect the shop in Comeback’s Connection screen.',
  }));
}

/**
 * The shop's abuse limits on texts (channels/send-limits.ts) at work. send_budget_reached, per
 * channel: today's SMS or WhatsApp budget held messages back (over when the day turns);
 * country_not_allowed, per channel: messages in the last 24 hours were not sent because their
 * number is outside the allowed destination countries.
 */
async function sendLimitFindings(pool: Pool, now: Date, shopIds: number[]): Promise<Finding[]> {
  const [held, refused] = await Promise.all([
    budgetsHeldOn(pool, now.toISOString().slice(0, 10)),
    countryRefusals(pool, { since: new Date(now.getTime() - SENT_LOOKBACK_MS), shopIds }),
  ]);
  const where = '“Text messages: daily limits and countries” in the Connection screen';
  const finding = (kind: AlertKind, row: { shopId: number; channel: string }, message: (channel: string) => string): Finding => ({
    shopId: row.shopId,
    kind,
    subject: row.channel,
    message: message(channelName(row.channel, true)),
  });
  return [
    ...held.map((b) =>
      finding(
        'send_budget_reached',
        b,
        (channel) =>
          `Today's ${channel} budget is used up (${b.used} sent): ${plural(b.held, 'message', 'waits', 'wait')} for tomorrow (UTC). ` +
          `Nothing is lost. If this is more than your shop should send, look at who is being messaged (a public cart form can be abused); ` +
          `otherwise raise the daily budget under ${where}.`,
      ),
    ),
    ...refused.map((r) =>
      finding(
        'country_not_allowed',
        r,
        (channel) =>
          `${plural(r.count, `${channel} message`, 'was', 'were')} not sent in the last 24 hours: the number is outside the countries ` +
          `this shop sends texts to (by default the countries it sells to). Each went to the flow's next channel, if it has one. ` +
          `Add the country under ${where} if those customers are real.`,
      ),
    ),
  ];
}

function capError(error: string | null): string {
  const text = (error ?? '').replace(/\s+/g, ' ').trim();
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
