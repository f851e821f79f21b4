import type { ResultSetHeader } from 'mysql2/promise';
import { LOCAL_NET } from '../fakes/fake-woo-shop.ts';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { recordDeliveryStatus } from '../../sidecar/src/channels/channel-store.ts';
import { queueRoutes } from '../../sidecar/src/flows/admin/queue-routes.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { shopClients } from '../../sidecar/src/woo/shop-clients.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { outboxRoutes } from '../../sidecar/src/messages/outbox-routes.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-delivery-status-tests-0123456789';
const T = new Date('2030-07-01T09:00:00Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

/**
 * What the SMS and WhatsApp providers report about a sent message (as their status webhooks record
 * it, through recordDeliveryStatus) is in the outbox list, the message and the enrollment's timeline.
 */
describe('delivery statuses in the outbox and the queue', async () => {
  const { database } = await createTestDatabase('delivery_status');
  const { pool } = database;
  const [shop] = await pool.query<ResultSetHeader>(
    "INSERT INTO shops (url, webhook_secret, timezone) VALUES ('https://status.example.test', 's', 'UTC')",
  );
  const shopId = shop.insertId;
  const { app } = testApp(database, {
    routers: [
      adminApi({
        pool,
        adminToken: TOKEN,
        shopRoutes: [
          outboxRoutes({ pool }),
          queueRoutes({ pool, wooClient: shopClients(pool, LOCAL_NET), orderChanges: orderPipe(), kickSteps: () => {} }),
        ],
      }),
    ],
  });
  const get = async (path: string) =>
    (await request(app).get(path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId)).expect(200)).body;

  const [enrollment] = await pool.query<ResultSetHeader>(
    "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, status, customer_key, entered_at) VALUES (?, 'win-back', 'customer', 'ann@example.test', 'completed', 'ann@example.test', ?)",
    [shopId, T],
  );
  const sms = async (step: number, providerId: string) => {
    const [r] = await pool.query<ResultSetHeader>(
      "INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, body_text, status, sent_at, provider_message_id, created_at) VALUES (?, ?, ?, ?, 'sms', '+4712345678', 'Come back', 'sent', ?, ?, ?)",
      [`ds:${step}`, shopId, enrollment.insertId, step, at(step * 10), providerId, at(step * 10)],
    );
    return r.insertId;
  };
  const status = (providerMessageId: string, s: string, minute: number, error: string | null = null) =>
    recordDeliveryStatus(pool, { channel: 'sms', providerMessageId, status: s, errorCode: error ? '30003' : null, error, at: at(minute) });

  const delivered = await sms(0, 'SM-delivered');
  await status('SM-delivered', 'sent', 1);
  await status('SM-delivered', 'delivered', 2);
  const lost = await sms(1, 'SM-lost');
  await status('SM-lost', 'undelivered', 12, 'Unreachable destination handset');

  it('lists each message with what the provider last reported, and its reason', async () => {
    const list = await get('/api/outbox');
    const byId = new Map((list.items as Array<Record<string, unknown>>).map((m) => [m.id, m]));
    expect(byId.get(delivered)).toMatchObject({ deliveryStatus: 'delivered', deliveryError: null, deliveryAt: at(2).toISOString() });
    expect(byId.get(lost)).toMatchObject({
      deliveryStatus: 'undelivered',
      deliveryError: 'Unreachable destination handset',
      deliveryAt: at(12).toISOString(),
    });
  });

  it('shows the status on the message page', async () => {
    expect(await get(`/api/outbox/${delivered}`)).toMatchObject({ deliveryStatus: 'delivered', deliveryAt: at(2).toISOString() });
    expect(await get(`/api/outbox/${lost}`)).toMatchObject({
      deliveryStatus: 'undelivered',
      deliveryError: 'Unreachable destination handset',
    });
  });

  it('puts delivered and not delivered in the enrollment’s timeline at the provider’s time', async () => {
    const detail = await get(`/api/queue/${enrollment.insertId}`);
    const events = (detail.timeline as Array<Record<string, unknown>>).filter((t) => String(t.event).startsWith('message.'));
    expect(events.map((t) => [t.event, t.messageId, t.at])).toEqual([
      ['message.queued', delivered, at(0).toISOString()],
      ['message.sent', delivered, at(0).toISOString()],
      ['message.delivered', delivered, at(2).toISOString()],
      ['message.queued', lost, at(10).toISOString()],
      ['message.sent', lost, at(10).toISOString()],
      ['message.undelivered', lost, at(12).toISOString()],
    ]);
    expect(events.at(-1)).toMatchObject({ step: 1, reason: 'Unreachable destination handset' });
  });
});
