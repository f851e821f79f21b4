import type { Pool } from 'mysql2/promise';
import request from 'supertest';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { signWebhook } from '../../sidecar/src/woo/webhook-signature.ts';
import { createLogger, type Logger } from '../../sidecar/src/logger.ts';
import { startSidecar, type Sidecar } from '../../sidecar/src/sidecar.ts';

/**
 * A real sidecar on the test database, on a free port of 127.0.0.1, silent, its scheduler looking
 * for due jobs every 200 ms (a test that reads the log passes its own logger); with SMTP to the test's server when `smtpPort` is given.
 */
export function startTestSidecar(
  databaseUrl: string,
  options: { smtpPort?: number; env?: Record<string, string>; logger?: Logger } = {},
): Promise<Sidecar> {
  return startSidecar({
    logger: options.logger ?? createLogger('silent'),
    env: {
      COMEBACK_DATABASE_URL: databaseUrl,
      COMEBACK_HTTP_PORT: '0',
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '200',
      // The fake shops and plugins of the tests answer on 127.0.0.1.
      COMEBACK_ALLOW_PRIVATE_URLS: 'on',
      ...(options.smtpPort
        ? { COMEBACK_SMTP_URL: `smtp://u:p@127.0.0.1:${options.smtpPort}`, COMEBACK_MAIL_FROM: 'Fixture Shop <shop@example.test>' }
        : {}),
      ...options.env,
    },
  });
}

/** One order webhook to a running sidecar as WooCommerce signs it (body, topic, source); the test expects its answer. */
export function signedWebhook(sidecarUrl: string, delivery: { shopUrl: string; secret: string; topic: string; body: object }) {
  const raw = JSON.stringify(delivery.body);
  return request(sidecarUrl)
    .post('/webhooks/woocommerce')
    .set({
      'content-type': 'application/json',
      'x-wc-webhook-topic': delivery.topic,
      'x-wc-webhook-source': `${delivery.shopUrl}/`,
      'x-wc-webhook-signature': signWebhook(Buffer.from(raw), delivery.secret),
    })
    .send(raw);
}

/** Delivers one order webhook to a running sidecar as WooCommerce signs it, expecting the 200. */
export function deliverWebhook(sidecarUrl: string, delivery: { shopUrl: string; secret: string; topic: string; body: object }) {
  return signedWebhook(sidecarUrl, delivery).expect(200);
}

/** A request to a running sidecar as the shop's plugin signs it (X-Comeback-Shop, X-Comeback-Signature over method, path and body). */
export function pluginRequest(sidecarUrl: string, shop: { url: string; secret: string }) {
  return (method: 'get' | 'post' | 'put', path: string, body?: object) => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    return request(sidecarUrl)
      [method](path)
      .set('x-comeback-shop', shop.url)
      .set('x-comeback-signature', signRequest(shop.secret, { direction: 'plugin-to-sidecar', method, path, body: raw }))
      .set('content-type', 'application/json')
      .send(raw);
  };
}

/** Recovery on for the shop: its first reminder a minute after the order, the second a day later. */
export async function enableQuickRecovery(pool: Pool, shopId: number): Promise<void> {
  const reminder = DEFAULT_RECOVERY.reminders[0]!;
  await saveRecoverySettings(pool, shopId, {
    ...DEFAULT_RECOVERY,
    enabled: true,
    reminders: [
      { ...reminder, delay: { value: 1, unit: 'minutes' } },
      { ...reminder, delay: { value: 1, unit: 'days' } },
    ],
  });
}
