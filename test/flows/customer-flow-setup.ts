import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll } from 'vitest';
import { grantConsent, withdrawConsent } from '../helpers/consent.ts';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { messagingSettingsSchema } from '../../sidecar/src/flows/steps/messaging-settings.ts';
import { createStepQueuer } from '../../sidecar/src/messages/step-message.ts';
import type { StepRunnerDeps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { saveDocument } from '../../sidecar/src/woo/shop-profile.ts';
import { recordedOrders, LOCAL_NET, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';

export const LINK_SECRET = 'link-secret-for-tests-0123456789';

/**
 * A shop for the flows that speak to customers (win-back, loyalty, campaigns): the stand-in shop
 * over HTTP for coupons, the real step runner with a clock the test moves, messages rendered by
 * the real queuer into the real outbox. No frequency cap: tests play days as minutes.
 */
export async function customerFlowShop(label: string, start: Date) {
  const { database } = await createTestDatabase(label);
  const pool = database.pool;
  const shop = await startFakeShop({ orders: new Map() });
  afterAll(() => shop.close());
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  const [inserted] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret, timezone) VALUES (?, ?, ?)', [
    shop.url,
    'secret',
    'Europe/Warsaw',
  ]);
  const shopId = inserted.insertId;
  await saveDocument(pool, shopId, 'messaging', messagingSettingsSchema, { frequencyCap: null });
  const clock = { now: start };
  const deps: StepRunnerDeps = {
    pool,
    clock: () => clock.now,
    workerName: 'test',
    orderChanges: orderPipe(),
    wooClient: async () => client,
    channels: () => ({ email: true, sms: false, whatsapp: false }),
    queueMessage: createStepQueuer({
      pool,
      publicUrl: () => 'http://127.0.0.1:9',
      linkSecret: LINK_SECRET,
      linkTtlDays: 30,
      from: 'shop@example.test',
    }),
  };

  const template = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
  let nextId = 5000;
  /** A completed order paid at `at` by `email` (billing from a recorded order), stored as a webhook would. */
  const paid = async (email: string, at: Date, options: { country?: string; coupons?: string[]; total?: string; phone?: string } = {}) => {
    const billing = {
      ...(template.billing as Record<string, string>),
      email,
      first_name: email.split('@')[0]!,
      country: options.country ?? 'PL',
      ...(options.phone ? { phone: options.phone } : {}),
    };
    const order = {
      ...template,
      id: nextId++,
      status: 'completed',
      billing,
      total: options.total ?? '100.00',
      date_created_gmt: wooTime(at),
      date_paid_gmt: wooTime(at),
      date_modified_gmt: wooTime(at),
      coupon_lines: (options.coupons ?? []).map((code, i) => ({
        id: i + 1,
        code: code.toLowerCase(),
        discount: '10.00',
        discount_tax: '0.00',
        meta_data: [],
      })),
    };
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    return order.id;
  };
  const consent = (email: string, status: 'granted' | 'withdrawn' = 'granted') =>
    status === 'granted'
      ? grantConsent(pool, shopId, {
          purpose: 'marketing',
          channel: 'email',
          address: email,
          claimedAt: new Date(start.getTime() - 100 * 86_400_000),
        })
      : withdrawConsent(pool, shopId, 'email', email);
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0];
  const messagesTo = async (email: string) =>
    rows('SELECT step, subject, body_text AS text, link_ref FROM outbox WHERE recipient = ? ORDER BY id', [email]);
  return { database, pool, shop, client, shopId, clock, deps, paid, consent, rows, messagesTo };
}
