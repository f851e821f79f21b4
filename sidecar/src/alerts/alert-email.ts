import { __, sprintf } from '@wordpress/i18n';
import type { Pool } from 'mysql2/promise';
import { inLocale } from '../i18n/translations.ts';
import { escapeHtml, textToHtml } from '../messages/html-escape.ts';
import { channelName } from '../messages/message-channel.ts';
import { enqueueMessage } from '../messages/outbox.ts';
import { formatUtc, shopLocales } from './alert-checks.ts';
import { alertsToNotify, markAlertsNotified } from './alert-store.ts';
import { parseAlertSettings } from './alert-settings.ts';

/** What an alert is about, in a few words, in the language at hand (the email's subject and heading, the list's title). */
export function alertTitle(kind: string, subject: string): string {
  const channel = channelName(subject);
  // translators: %s: the channel (Email, SMS, WhatsApp).
  if (kind === 'provider_failing') return sprintf(__('%s sending is failing', 'comeback'), channel);
  if (kind === 'queue_stuck')
    return subject === 'steps' ? __('Reminders are not being run', 'comeback') : __('Messages are not being sent', 'comeback');
  if (kind === 'webhook_disabled')
    return subject === 'connection'
      ? __('The shop cannot be reached', 'comeback')
      : // translators: %s: the webhook's id in WooCommerce.
        sprintf(__('WooCommerce webhook %s was disabled', 'comeback'), subject);
  if (kind === 'plugin_unreachable') return __('The shop’s Comeback plugin stopped answering: recovery is paused', 'comeback');
  // translators: %s: the channel (SMS, WhatsApp).
  if (kind === 'send_budget_reached') return sprintf(__('Today’s %s budget is used up: messages wait for tomorrow', 'comeback'), channel);
  if (kind === 'country_not_allowed')
    // translators: %s: the channel (SMS, WhatsApp).
    return sprintf(__('%s messages to numbers outside the allowed countries were not sent', 'comeback'), channel);
  return `${kind} ${subject}`.trim();
}

/**
 * Emails each open alert not emailed yet, once, to the shop's alert address, through the outbox like any message: by SMTP, or into the dev outbox. The outbox key
 * `alert:<id>` makes it one message however many sidecars get here; notified_at is written after
 * the message is queued, so a crash in between queues nothing twice and loses nothing.
 *
 * An alert about the email channel itself goes by email too: the provider may recover, and the
 * message then arrives late (it is retried like the others); meanwhile the admin UI shows it.
 */
export async function notifyAlerts(pool: Pool, options: { from: string; now?: Date }): Promise<number> {
  // A shop without an alert address sees its alerts in the admin only; they are emailed (still
  // open ones) once it gives one.
  const alerts = (await alertsToNotify(pool)).flatMap((alert) => {
    const to = parseAlertSettings(alert.settings).email;
    return to ? [{ ...alert, to }] : [];
  });
  // In the shop's language, as its message was worded (checkAlerts).
  const locales = await shopLocales(pool, [...new Set(alerts.map((a) => a.shopId))]);
  for (const alert of alerts) {
    const { to } = alert;
    const shop = alert.shopName || hostOf(alert.shopUrl);
    const { title, opened } = inLocale(locales.get(alert.shopId), () => ({
      title: alertTitle(alert.kind, alert.subject),
      opened: sprintf(
        // translators: %s: when the alert was opened (UTC).
        __('Opened %s. The alert stays under WooCommerce → Comeback until it is resolved; you get one email per alert.', 'comeback'),
        formatUtc(alert.openedAt),
      ),
    }));
    await enqueueMessage(pool, {
      idempotencyKey: `alert:${alert.id}`,
      shopId: alert.shopId,
      channel: 'email',
      to,
      from: options.from,
      // A header: no markup, and no line break that could start another header.
      subject: `[Comeback] ${shop}: ${title}`.replace(/[\r\n]+/g, ' '),
      html:
        `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#1e1e1e">` +
        `<h1 style="font-size:18px">${escapeHtml(title)}</h1>` +
        `<p><strong>${escapeHtml(shop)}</strong> (${escapeHtml(alert.shopUrl)})</p>` +
        `<p>${textToHtml(alert.message)}</p>` +
        `<p style="color:#555">${escapeHtml(opened)}</p>` +
        `</body></html>`,
      text: `${title}\n\n${shop} (${alert.shopUrl})\n\n${alert.message}\n\n${opened}\n`,
    });
  }
  if (alerts.length) {
    await markAlertsNotified(
      pool,
      alerts.map((a) => a.id),
      options.now ?? new Date(),
    );
  }
  return alerts.length;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
