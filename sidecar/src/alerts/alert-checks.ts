import { __, _n, sprintf } from '@wordpress/i18n';
import type { Pool } from 'mysql2/promise';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { inLocale } from '../i18n/translations.ts';
import { channelName } from '../messages/message-channel.ts';
import { loadFormats } from '../woo/shop-profile.ts';
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

/** What a check found; its message is worded once the shop's language is known (checkAlerts). */
type Finding = { shopId: number; kind: AlertKind; subject: string; message: () => string };
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
  const foundNow = [...providers.failing, ...queue, ...webhooks, ...plugins, ...limits];
  // Worded in the shop's language (its WordPress locale), as the merchant reads it in the admin and the alert email.
  const locales = await shopLocales(pool, [...new Set(foundNow.map((f) => f.shopId))]);
  // In key order, so checks running at once take the unique index's locks in the same order.
  const findings = foundNow
    .map((f) => ({ ...f, message: inLocale(locales.get(f.shopId), f.message), key: openKey(f.shopId, f.kind, f.subject) }))
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
        message: () =>
          [
            // translators: 1: how many sends failed, 2: the channel (email, SMS, WhatsApp).
            sprintf(
              _n(
                '%1$d %2$s send failed in the last 15 minutes and none went through.',
                '%1$d %2$s sends failed in the last 15 minutes and none went through.',
                f.failures,
                'comeback',
              ),
              f.failures,
              channel,
            ),
            // translators: %s: the provider's last error, as it gave it.
            sprintf(__('Latest error: %s.', 'comeback'), capError(f.lastError) || __('(none recorded)', 'comeback')),
            // translators: %s: the channel (email, SMS, WhatsApp).
            sprintf(
              __(
                "Messages are retried automatically; check the %s provider's settings and account (address, credentials, sender, balance).",
                'comeback',
              ),
              channel,
            ),
          ].join(' '),
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
  const advice = () => __('Check that the sidecar is running and its scheduler is healthy (/healthz), and its log for errors.', 'comeback');
  return [
    ...steps.map((w): Finding => ({
      shopId: w.shopId,
      kind: 'queue_stuck',
      subject: 'steps',
      message: () =>
        // translators: 1: how many reminder steps, 2: since when (UTC), 3: what to check.
        sprintf(
          _n(
            '%1$d reminder step has been due since %2$s and not run. %3$s',
            '%1$d reminder steps have been due since %2$s and not run. %3$s',
            w.count,
            'comeback',
          ),
          w.count,
          formatUtc(w.since),
          advice(),
        ),
    })),
    ...messages.map((w): Finding => ({
      shopId: w.shopId,
      kind: 'queue_stuck',
      subject: 'messages',
      message: () =>
        // translators: 1: how many messages, 2: since when (UTC), 3: what to check.
        sprintf(
          _n(
            '%1$d message has been waiting to be sent since %2$s. %3$s',
            '%1$d messages have been waiting to be sent since %2$s. %3$s',
            w.count,
            'comeback',
          ),
          w.count,
          formatUtc(w.since),
          advice(),
        ),
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
  const keepsComingBack = () =>
    __(
      'The check repairs the webhooks every 5 minutes and reads changed orders again over the REST API, so no reminder is lost. If this keeps coming back, WooCommerce cannot deliver to Comeback: check that the shop’s server can reach the sidecar’s public URL (COMEBACK_PUBLIC_URL, deliveries go to /webhooks/woocommerce) and that the shop’s URL in Comeback is the address the shop answers at.',
      'comeback',
    );
  return shops.flatMap((shop): Finding[] => {
    const { shopId } = shop;
    const findings: Finding[] = [];
    if (shop.connectionError) {
      findings.push({
        shopId,
        kind: 'webhook_disabled',
        subject: 'connection',
        message: () =>
          sprintf(
            // translators: %s: the error met, as WooCommerce or the network gave it.
            __(
              'Comeback could not reach the shop over the WooCommerce REST API: %s. Until it can, the order webhooks are not checked or repaired and missed orders are not read again (it tries every 5 minutes). Check that the shop’s URL is reachable and that its REST API key is still valid (WooCommerce → Settings → Advanced → REST API).',
              'comeback',
            ),
            capError(shop.connectionError),
          ),
      });
    }
    for (const w of shop.webhooks ?? []) {
      if (w.status !== 'active') {
        findings.push({
          shopId,
          kind: 'webhook_disabled',
          subject: String(w.id),
          message: () =>
            sprintf(
              // translators: 1: the webhook's id, 2: its topic (order.updated), 3: its status in WooCommerce (paused, disabled), 4: what the check does and what to look at.
              __('The WooCommerce webhook %1$s (%2$s) is %3$s: order changes do not reach Comeback when they happen. %4$s', 'comeback'),
              String(w.id),
              w.topic,
              w.status,
              keepsComingBack(),
            ),
        });
      } else if (w.action === 'reactivated') {
        const repairedAt = w.repairedAt ? formatUtc(new Date(w.repairedAt)) : null;
        findings.push({
          shopId,
          kind: 'webhook_disabled',
          subject: String(w.id),
          message: () =>
            repairedAt
              ? sprintf(
                  // translators: 1: the webhook's id, 2: its topic (order.updated), 3: when it was turned back on (UTC), 4: what the check does and what to look at.
                  __(
                    'The WooCommerce webhook %1$s (%2$s) had been turned off by WooCommerce after failed deliveries; Comeback turned it back on at %3$s. %4$s',
                    'comeback',
                  ),
                  String(w.id),
                  w.topic,
                  repairedAt,
                  keepsComingBack(),
                )
              : sprintf(
                  // translators: 1: the webhook's id, 2: its topic (order.updated), 3: what the check does and what to look at.
                  __(
                    'The WooCommerce webhook %1$s (%2$s) had been turned off by WooCommerce after failed deliveries; Comeback turned it back on. %3$s',
                    'comeback',
                  ),
                  String(w.id),
                  w.topic,
                  keepsComingBack(),
                ),
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
    message: () => {
      const paused = since
        ? // translators: %s: when it was noticed (UTC).
          sprintf(
            __('The Comeback plugin in the shop stopped answering (noticed %s), so Comeback paused the shop:', 'comeback'),
            formatUtc(since),
          )
        : __('The Comeback plugin in the shop stopped answering, so Comeback paused the shop:', 'comeback');
      const what = __(
        'no new order enters recovery and waiting reminders are held, not sent (none is lost). If the plugin was deleted or deactivated by mistake, install or activate it again in WordPress → Plugins: the shop resumes by itself. If you removed Comeback on purpose, disconnect the shop in Comeback’s Connection screen.',
        'comeback',
      );
      return `${paused} ${what}`;
    },
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
  const finding = (kind: AlertKind, row: { shopId: number; channel: string }, message: (channel: string) => string): Finding => ({
    shopId: row.shopId,
    kind,
    subject: row.channel,
    message: () => message(channelName(row.channel, true)),
  });
  return [
    ...held.map((b) =>
      finding('send_budget_reached', b, (channel) =>
        sprintf(
          // translators: 1: the channel (SMS, WhatsApp), 2: how many were sent today, 3: how many wait.
          _n(
            "Today's %1$s budget is used up (%2$d sent): %3$d message waits for tomorrow (UTC). Nothing is lost. If this is more than your shop should send, look at who is being messaged (a public cart form can be abused); otherwise raise the daily budget under “Text messages: daily limits and countries” in the Connection screen.",
            "Today's %1$s budget is used up (%2$d sent): %3$d messages wait for tomorrow (UTC). Nothing is lost. If this is more than your shop should send, look at who is being messaged (a public cart form can be abused); otherwise raise the daily budget under “Text messages: daily limits and countries” in the Connection screen.",
            b.held,
            'comeback',
          ),
          channel,
          b.used,
          b.held,
        ),
      ),
    ),
    ...refused.map((r) =>
      finding('country_not_allowed', r, (channel) =>
        sprintf(
          // translators: 1: how many messages, 2: the channel (SMS, WhatsApp).
          _n(
            "%1$d %2$s message was not sent in the last 24 hours: the number is outside the countries this shop sends texts to (by default the countries it sells to). Each went to the flow's next channel, if it has one. Add the country under “Text messages: daily limits and countries” in the Connection screen if those customers are real.",
            "%1$d %2$s messages were not sent in the last 24 hours: the number is outside the countries this shop sends texts to (by default the countries it sells to). Each went to the flow's next channel, if it has one. Add the country under “Text messages: daily limits and countries” in the Connection screen if those customers are real.",
            r.count,
            'comeback',
          ),
          r.count,
          channel,
        ),
      ),
    ),
  ];
}

/** Each shop's WordPress locale (its formats, from the plugin's profile; en_US until it reports one): the language of its alerts. */
export async function shopLocales(pool: Pool, shopIds: number[]): Promise<Map<number, string>> {
  const formats = await Promise.all(shopIds.map((id) => loadFormats(pool, id)));
  return new Map(shopIds.map((id, i) => [id, formats[i]?.locale ?? 'en_US']));
}

function capError(error: string | null): string {
  const text = (error ?? '').replace(/\s+/g, ' ').trim();
  return text.length > ERROR_CHARS ? `${text.slice(0, ERROR_CHARS - 1)}…` : text;
}

/** 2025-06-01 10:15 UTC */
export function formatUtc(value: Date | string): string {
  return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
