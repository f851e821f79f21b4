import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUpExpiredCoupons, couponExpiry, issueCoupon } from '../../sidecar/src/offers/coupons.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { LOCAL_NET, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-03-10T08:00:00Z');

describe('personal coupons created through WooCommerce REST (the stand-in answers as fixtures 099/101)', async () => {
  const { database } = await createTestDatabase('coupons');
  const pool = database.pool;
  const shop = await startFakeShop({ orders: new Map() });
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  afterAll(() => shop.close());
  const expires = new Date(NOW.getTime() + 7 * DAY);

  it('expires before the next visit in the customer’s rhythm, within bounds, or after N days', () => {
    const rhythm = { mode: 'rhythm' as const, minDays: 3, maxDays: 60 };
    // Buys every 20 days: valid 19 days, to the end of that day.
    expect(couponExpiry(rhythm, { avgGapDays: 20 }, 45, NOW, 'UTC').toISOString()).toBe('2030-03-29T23:59:59.000Z');
    // One purchase: the default interval (45 → 44 days); every 2 days: at least 3; every 200: at most 60.
    expect(couponExpiry(rhythm, { avgGapDays: null }, 45, NOW, 'UTC').toISOString()).toBe('2030-04-23T23:59:59.000Z');
    expect(couponExpiry(rhythm, { avgGapDays: 2 }, 45, NOW, 'UTC').toISOString()).toBe('2030-03-13T23:59:59.000Z');
    expect(couponExpiry(rhythm, { avgGapDays: 200 }, 45, NOW, 'UTC').toISOString()).toBe('2030-05-09T23:59:59.000Z');
    expect(couponExpiry({ mode: 'days', days: 14 }, { avgGapDays: 20 }, 45, NOW, 'UTC').toISOString()).toBe('2030-03-24T23:59:59.000Z');
    // To the end of the day in the shop's zone, the day the message prints: Warsaw is UTC+1 in March, UTC+2 from 31 March.
    expect(couponExpiry({ mode: 'days', days: 14 }, { avgGapDays: 20 }, 45, NOW, 'Europe/Warsaw').toISOString()).toBe(
      '2030-03-24T22:59:59.000Z',
    );
    expect(couponExpiry({ mode: 'days', days: 30 }, { avgGapDays: 20 }, 45, NOW, 'Europe/Warsaw').toISOString()).toBe(
      '2030-04-09T21:59:59.000Z',
    );
    expect(
      couponExpiry({ mode: 'days', days: 1 }, { avgGapDays: 20 }, 45, new Date('2030-03-10T23:30:00Z'), 'Asia/Tokyo').toISOString(),
    ).toBe('2030-03-12T14:59:59.000Z');
  });

  it('creates single-use coupons limited to the customer: money off, percent off, a given product free', async () => {
    const fixed = await issueCoupon(pool, client, {
      shopId: 1,
      email: 'Ola@Example.test',
      issuedFor: 'win-back:1',
      offer: { type: 'fixed_cart', amount: 10 },
      expiresAt: expires,
      description: 'Win-back A',
    });
    const percent = await issueCoupon(pool, client, {
      shopId: 1,
      email: 'ola@example.test',
      issuedFor: 'win-back:2',
      offer: { type: 'percent', amount: 15 },
      expiresAt: expires,
      description: 'Win-back B',
    });
    const product = await issueCoupon(pool, client, {
      shopId: 1,
      email: 'ola@example.test',
      issuedFor: 'win-back:3',
      offer: { type: 'product', productId: 101 },
      expiresAt: expires,
      description: 'Win-back C',
    });
    expect([fixed.created, percent.created, product.created]).toEqual([true, true, true]);
    expect(fixed.code).toMatch(/^CB-[0-9A-F]{12}$/);
    const common = {
      usage_limit: 1,
      usage_limit_per_user: 1,
      individual_use: true,
      email_restrictions: ['ola@example.test'],
      date_expires_gmt: expires.toISOString().slice(0, 19),
    };
    expect(shop.coupons.get(fixed.couponId)).toMatchObject({
      ...common,
      code: fixed.code,
      discount_type: 'fixed_cart',
      amount: '10.00',
      product_ids: [],
    });
    expect(shop.coupons.get(percent.couponId)).toMatchObject({ ...common, discount_type: 'percent', amount: '15.00' });
    expect(shop.coupons.get(product.couponId)).toMatchObject({
      ...common,
      discount_type: 'percent',
      amount: '100.00',
      product_ids: [101],
      limit_usage_to_x_items: 1,
    });
  });

  it('issues one coupon per purpose: asked again, or after a run that died before recording it', async () => {
    const before = shop.coupons.size;
    const again = await issueCoupon(pool, client, {
      shopId: 1,
      email: 'ola@example.test',
      issuedFor: 'win-back:1',
      offer: { type: 'fixed_cart', amount: 10 },
      expiresAt: expires,
      description: 'Win-back A',
    });
    expect(again.created).toBe(false);
    expect(shop.coupons.size).toBe(before);
    // A run created the coupon in WooCommerce, then died before writing its id down.
    const first = await issueCoupon(pool, client, {
      shopId: 1,
      email: 'jan@example.test',
      issuedFor: 'win-back:1',
      offer: { type: 'fixed_cart', amount: 5 },
      expiresAt: expires,
      description: 'Win-back A',
    });
    await pool.query("UPDATE coupons SET coupon_id = 0 WHERE customer_key = 'jan@example.test'");
    const finished = await issueCoupon(pool, client, {
      shopId: 1,
      email: 'jan@example.test',
      issuedFor: 'win-back:1',
      offer: { type: 'fixed_cart', amount: 5 },
      expiresAt: expires,
      description: 'Win-back A',
    });
    expect(finished).toMatchObject({ code: first.code, couponId: first.couponId, created: false });
    expect(shop.coupons.size).toBe(before + 1);
  });

  it('deletes expired unused coupons from WooCommerce and records the used ones', async () => {
    const [ours] = await pool.query<RowDataPacket[]>(
      "SELECT coupon_id FROM coupons WHERE customer_key = 'ola@example.test' ORDER BY issued_for",
    );
    const [a, b, c] = ours.map((r) => Number(r.coupon_id));
    shop.coupons.get(b!)!.usage_count = 1; // redeemed in an order
    expect(await cleanUpExpiredCoupons(pool, 1, client, NOW)).toEqual({ removed: 0, used: 0 }); // none expired yet
    const later = new Date(expires.getTime() + 1);
    expect(await cleanUpExpiredCoupons(pool, 1, client, later)).toEqual({ removed: 3, used: 1 });
    expect(shop.coupons.has(a!)).toBe(false);
    expect(shop.coupons.has(b!)).toBe(true);
    expect(shop.coupons.has(c!)).toBe(false);
    expect(await cleanUpExpiredCoupons(pool, 1, client, later)).toEqual({ removed: 0, used: 0 });
  });
});
