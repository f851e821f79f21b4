import { describe, expect, it } from 'vitest';
import { enterLapsedCustomers } from '../../sidecar/src/flows/entry/customer-entry.ts';
import type { FlowDefinition } from '../../sidecar/src/flows/definition/flow-definition.ts';
import { saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { cleanUpExpiredCoupons } from '../../sidecar/src/offers/coupons.ts';
import { rebuildCustomerStats } from '../../sidecar/src/segments/customer-stats.ts';
import { customerFlowShop } from './customer-flow-setup.ts';

const orderChanges = orderPipe();

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = new Date('2030-06-03T12:00:00Z');

/**
 * Win-back on the flow engine, against the stand-in shop over HTTP (coupons through WooCommerce
 * REST): who lapses by their own rhythm (hand-computed), the 30/60/90 escalation played with
 * minutes instead of days, a purchase that stops it, coupons of the right type, restriction and
 * expiry, the expired unused ones deleted, and the send at the chosen hour in the customer's zone.
 */
describe('win-back with escalating personal coupons', async () => {
  const { pool, shop, client, shopId, clock, deps, paid, consent, rows, messagesTo } = await customerFlowShop('win_back', NOW);
  const winBack = (changes: Partial<FlowDefinition>, minutes = true): FlowDefinition => {
    const preset = PRESETS['win-back'];
    return {
      ...preset,
      sendWindow: null,
      ...changes,
      // Test intervals: minutes where the shop would use days (0 / 30 / 60 after the lapse).
      steps: minutes ? preset.steps.map((s) => ({ ...s, delay: { value: s.delay.value, unit: 'minutes' as const } })) : preset.steps,
    };
  };

  it('enters exactly the customers past their own rhythm × factor (at least minDays), a single purchase by the default interval', async () => {
    // ola buys every 20 days; the last time 25 days minus 1 minute ago: she lapses (25 = 20 × 1.25) a minute from now.
    for (const d of [65, 45, 25]) await paid('ola@example.test', new Date(NOW.getTime() - d * DAY + MIN));
    // jan bought once, 80 days ago: the default 60 × 1.25 = 75 days passed 5 days ago.
    await paid('jan@example.test', new Date(NOW.getTime() - 80 * DAY));
    // eva bought once, 70 days ago: 5 days to go.
    await paid('eva@example.test', new Date(NOW.getTime() - 70 * DAY));
    // kim buys every 2 days, last 5 days ago: 2.5 days passed, but minDays is 14.
    for (const d of [9, 7, 5]) await paid('kim@example.test', new Date(NOW.getTime() - d * DAY));
    for (const email of ['ola@example.test', 'jan@example.test', 'eva@example.test', 'kim@example.test']) await consent(email);
    await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });
    await saveFlow(pool, shopId, 'win-back', winBack({}), true);

    expect(await enterLapsedCustomers(pool, shopId, clock.now)).toBe(1); // jan; ola has a minute to go
    clock.now = new Date(NOW.getTime() + 2 * MIN);
    expect(await enterLapsedCustomers(pool, shopId, clock.now)).toBe(1); // ola
    expect(await enterLapsedCustomers(pool, shopId, clock.now)).toBe(0); // nobody twice
    const entered = await rows("SELECT customer_key, anchor_at FROM enrollments WHERE flow = 'win-back' ORDER BY customer_key");
    expect(entered.map((r) => r.customer_key)).toEqual(['jan@example.test', 'ola@example.test']);
    // ola's offers count from her lapse; jan's, noticed 5 days late, from now.
    expect((entered[1]!.anchor_at as Date).toISOString()).toBe(new Date(NOW.getTime() + MIN).toISOString());
    expect((entered[0]!.anchor_at as Date).toISOString()).toBe(NOW.toISOString());
  });

  it('sends offer A with a personal percent coupon for the customer only, expiring before their next expected visit', async () => {
    expect(await runDueSteps(deps)).toMatchObject({ queued: 2 });
    const [ola] = await messagesTo('ola@example.test');
    const coupons = await rows('SELECT * FROM coupons WHERE step = 0 ORDER BY customer_key');
    expect(coupons.map((c) => [c.customer_key, c.discount_type, c.amount])).toEqual([
      ['jan@example.test', 'percent', '10.0000'],
      ['ola@example.test', 'percent', '10.0000'],
    ]);
    const olaCoupon = coupons[1]!;
    expect(ola!.text).toContain(`Your personal code: ${olaCoupon.code} (10% off), valid until`);
    const inShop = shop.coupons.get(Number(olaCoupon.coupon_id))!;
    expect(inShop).toMatchObject({
      code: olaCoupon.code,
      discount_type: 'percent',
      amount: '10.00',
      usage_limit: 1,
      usage_limit_per_user: 1,
      individual_use: true,
      email_restrictions: ['ola@example.test'],
    });
    // Rhythm: ola buys every 20 days → valid 19 days; jan (one purchase, default 60) → capped at the
    // preset's 30; each to the end of that day in the shop's zone (Warsaw, UTC+2 in summer).
    expect(inShop.date_expires_gmt).toBe('2030-06-22T21:59:59');
    expect(shop.coupons.get(Number(coupons[0]!.coupon_id))!.date_expires_gmt).toBe('2030-07-03T21:59:59');
    expect(ola!.text).toContain('valid until June 22, 2030');
  });

  it('escalates to B after 30 and C after 60, and stops the moment the customer buys (coupon B used in the order)', async () => {
    clock.now = new Date(NOW.getTime() + 32 * MIN);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 2 });
    const olaB = (await rows("SELECT code FROM coupons WHERE customer_key = 'ola@example.test' AND step = 1"))[0]!;
    expect((await messagesTo('ola@example.test'))[1]!.text).toContain(`${olaB.code} (15% off)`);

    // The dispatcher sent them (its own tests cover that); then ola buys with coupon B: the order's
    // state ends her win-back and credits the message.
    await pool.query("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'", [clock.now]);
    const orderId = await paid('ola@example.test', new Date(clock.now.getTime() + MIN), { coupons: [olaB.code] });
    await orderChanges.changed(pool, shopId, orderId, new Date(clock.now.getTime() + MIN));
    expect((await rows("SELECT status, exit_reason FROM enrollments WHERE customer_key = 'ola@example.test'"))[0]).toMatchObject({
      status: 'exited',
      exit_reason: 'purchased',
    });
    expect((await rows('SELECT order_id, used_at FROM coupons WHERE code = ?', [olaB.code]))[0]!.order_id).toBe(orderId);
    expect((await rows('SELECT flow, step, channel FROM attributions WHERE order_id = ?', [orderId]))[0]).toMatchObject({
      flow: 'win-back',
      step: 1,
      channel: 'email',
    });

    clock.now = new Date(NOW.getTime() + 62 * MIN);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 1 });
    expect((await messagesTo('ola@example.test')).map((m) => m.step)).toEqual([0, 1]);
    const jan = await messagesTo('jan@example.test');
    expect(jan.map((m) => m.step)).toEqual([0, 1, 2]);
    expect(jan[2]!.text).toMatch(/CB-[0-9A-F]{12} \(20% off\)/);
    // Her purchase was seen at once: she is not lapsed, so she is not entered again.
    expect(await enterLapsedCustomers(pool, shopId, clock.now)).toBe(0);
  });

  it('deletes the expired unused coupons from WooCommerce and keeps the one used in an order', async () => {
    const before = [...shop.coupons.keys()].length;
    expect(before).toBe(5);
    const later = new Date(NOW.getTime() + 40 * DAY);
    expect(await cleanUpExpiredCoupons(pool, shopId, client, later)).toEqual({ removed: 4, used: 0 });
    const left = [...shop.coupons.values()].map((c) => c.code);
    const used = (await rows('SELECT code FROM coupons WHERE order_id IS NOT NULL'))[0]!.code;
    expect(left).toEqual([used]);
  });

  it('sends at the chosen hour the next morning, in the customer’s own zone', async () => {
    await pool.query("DELETE FROM enrollments WHERE flow = 'win-back'");
    await saveFlow(pool, shopId, 'win-back', winBack({ sendWindow: { start: '10:00', end: '11:00' } }, false), true);
    // Noticed at 12:00Z: 14:00 in Warsaw (summer time), so jan (billing in Poland) gets it tomorrow
    // at 10:00 Warsaw, 08:00Z; 08:00 in New York, so ny (who told the program her zone) today at 10:00 there.
    for (const d of [100, 90]) await paid('ny@example.test', new Date(NOW.getTime() - d * DAY), { country: 'PL' });
    await pool.query(
      "INSERT INTO customer_profiles (shop_id, customer_key, time_zone, updated_at) VALUES (?, 'ny@example.test', 'America/New_York', ?)",
      [shopId, NOW],
    );
    await consent('ny@example.test');
    await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });
    clock.now = NOW;
    expect(await enterLapsedCustomers(pool, shopId, clock.now)).toBe(2); // jan and ny
    // The merchant's log (info, the default level) says each step was postponed and until when, with ids only.
    const log: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void log.push(line) });
    expect(await runDueSteps({ ...deps, logger })).toMatchObject({ deferred: 2 });
    const postponed = log.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'flow step postponed');
    expect(postponed.map((l) => [l.flow, l.step, l.reason, l.until]).sort()).toEqual([
      ['win-back', 0, 'quiet_hours', '2030-06-03T14:00:00.000Z'],
      ['win-back', 0, 'quiet_hours', '2030-06-04T08:00:00.000Z'],
    ]);
    expect(log.join('')).not.toContain('@example.test');
    const due = await rows(
      "SELECT customer_key, next_step_at FROM enrollments WHERE flow = 'win-back' AND status = 'active' ORDER BY customer_key",
    );
    expect(due.map((r) => [r.customer_key, (r.next_step_at as Date).toISOString()])).toEqual([
      ['jan@example.test', '2030-06-04T08:00:00.000Z'],
      ['ny@example.test', '2030-06-03T14:00:00.000Z'],
    ]);
  });

  it('lets at most the flow’s number of lapsed customers a minute have their offer, the most recently lapsed first', async () => {
    await pool.query("DELETE FROM enrollments WHERE flow = 'win-back'");
    const preset = winBack({});
    await saveFlow(
      pool,
      shopId,
      'win-back',
      { ...preset, trigger: { event: 'customer.lapsed', factor: 1.25, minDays: 14, perMinute: 2 } },
      true,
    );
    for (const [i, email] of ['p1@example.test', 'p2@example.test', 'p3@example.test'].entries()) {
      await paid(email, new Date(NOW.getTime() - (100 + i) * DAY));
      await consent(email);
    }
    await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });
    clock.now = NOW;
    expect(await enterLapsedCustomers(pool, shopId, clock.now)).toBe(5); // jan, ny and the three
    const entered = await rows(
      "SELECT customer_key, spread_s, next_step_at FROM enrollments WHERE flow = 'win-back' ORDER BY spread_s, customer_key",
    );
    expect(entered.map((e) => [Number(e.spread_s), (e.next_step_at as Date).getTime() - NOW.getTime()])).toEqual([
      [0, 0],
      [0, 0],
      [60, 60_000],
      [60, 60_000],
      [120, 120_000],
    ]);
    // Lapsed 5 days ago (jan: 80 − 75), then 25, 26, 27 (p1–p3: 100–102 − 75), and 76 (ny: bought every
    // 10 days, last 90 days ago, so lapsed at 14): the freshest lapses first, ny last.
    expect(entered.map((e) => e.customer_key)).toEqual([
      'jan@example.test',
      'p1@example.test',
      'p2@example.test',
      'p3@example.test',
      'ny@example.test',
    ]);
  });
});
