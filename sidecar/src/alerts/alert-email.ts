import type { Pool } from 'mysql2/promise';
import { escapeHtml, textToHtml } from '../messages/html-escape.ts';
import { channelName } from '../messages/message-channel.ts';
import { enqueueMessage } from '../messages/outbox.ts';
import { formatUtc } from './alert-checks.ts';
import { alertsToNotify, markAlertsNotified } from './alert-store.ts';
import { parseAlertSettings } from './alert-settings.ts';

/** What an alert is about, in a few words (the email's subject and heading). */
export function alertTitle(kind: string, subject: string): string {
  const channel = channelName(subject);
  if (kind === 'provider_failing') return `${channel} sending is failing`;
  if (kind === 'queue_stuck') return subject === 'steps' ? 'Reminders are not being run' : 'Messages are not being sent';
  if (kind === 'webhook_disabled')
    return subject === 'connection' ? 'The shop cannot be reached' : `WooCommerce webhook ${subject} was disabled`;
  if (kind === 'plugin_unreachable') return 'The shop’s Comeback plugin stopped answering: recovery is paused';
  if (kind === 'send_budget_reached') return `Today’s ${channel} budget is used up: messages wait for tomorrow`;
  if (kind === 'country_not_allowed') return `${channel} messages to numbers outside the allowed countries were not sent`;
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
  for (const alert of alerts) {
    const { to } = alert;
    const shop = alert.shopName || hostOf(alert.shopUrl);
    const title = alertTitle(alert.kind, alert.subject);
    const opened = formatUtc(alert.openedAt);
    const footer = 'The alert stays under WooCommerce → Comeback until it is resolved; you get one email per alert.';
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
        `<p style="color:#555">Opened ${escapeHtml(opened)}. ${escapeHtml(footer)}</p>` +
        `</body></html>`,
      text: `${title}\n\n${shop} (${alert.shopUrl})\n\n${alert.message}\n\nOpened ${opened}. ${footer}\n`,
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
