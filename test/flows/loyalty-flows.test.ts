import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { enterBirthdays, enterLoyaltyFlows, enterPendingLoyaltyEvents } from '../../sidecar/src/flows/entry/customer-entry.ts';
import { saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { recordLoyaltyEvent } from '../../sidecar/src/loyalty/loyalty-events.ts';
import { npsRoutes } from '../../sidecar/src/loyalty/nps-page.ts';
import { grantConsent } from '../helpers/consent.ts';
import { customerFlowShop, LINK_SECRET } from './customer-flow-setup.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-06-03T15:30:00Z');

/**
 * Loyalty notices on the flow engine: events as a loyalty program posts them (recordLoyaltyEvent,
 * what POST /api/events stores) enter the preset flows; the clock is moved by hand.
 */
describe('loyalty notices from a program’s events', async () => {
  const { pool, shopId, clock, deps, consent, rows, messagesTo } = await customerFlowShop('loyalty_flows', NOW);
  // Any time of day (the presets' windows have their own tests).
  for (const key of ['voucher-issued', 'voucher-expiring', 'birthday', 'nps-survey', 'balance-reminder'] as const) {
    await saveFlow(
      pool,
      shopId,
      key,
      { ...PRESETS[key], sendWindow: null, steps: PRESETS[key].steps.map((s) => ({ ...s, channels: ['email' as const] })) },
      true,
    );
  }
  // Loyalty notices are marketing: these customers agreed to it (an import of the shop's opt-ins).
  for (const email of ['ola@example.test', 'jan@example.test', 'eva@example.test', 'kim@example.test']) await consent(email);
  const grantCart = (email: string) => grantConsent(pool, shopId, { purpose: 'cart', channel: 'email', address: email });
  const post = async (event: Record<string, unknown>) => {
    const stored = await recordLoyaltyEvent(pool, shopId, { occurredAt: clock.now.toISOString(), ...event } as never, clock.now);
    return enterLoyaltyFlows(pool, shopId, stored.event, clock.now);
  };

  it('announces a voucher at once and reminds N days before it expires, not before', async () => {
    const expiresAt = new Date(NOW.getTime() + 10 * DAY).toISOString();
    expect(
      await post({
        id: 'v-1',
        type: 'voucher.issued',
        email: 'ola@example.test',
        firstName: 'Ola',
        voucher: { code: 'LOYAL-20', value: 20, currency: 'EUR', expiresAt },
      }),
    ).toBe(2);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 1 });
    const [issued] = await messagesTo('ola@example.test');
    expect(issued!.subject).toBe('A voucher worth €20.00 for you');
    expect(issued!.text).toContain('LOYAL-20, worth €20.00, valid until');

    // The reminder: 7 days before expiry is 3 days from now.
    clock.now = new Date(NOW.getTime() + 3 * DAY - 60_000);
    expect(await runDueSteps(deps)).toMatchObject({ claimed: 0 });
    clock.now = new Date(NOW.getTime() + 3 * DAY);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 1 });
    expect((await messagesTo('ola@example.test'))[1]!.subject).toMatch(/^Your voucher expires on /);
  });

  it('reminds at once about a voucher expiring sooner than N days, never about one used or expired', async () => {
    clock.now = NOW;
    const soon = new Date(NOW.getTime() + 2 * DAY).toISOString();
    await post({
      id: 'v-2',
      type: 'voucher.issued',
      email: 'jan@example.test',
      voucher: { code: 'SOON-5', value: 5, currency: 'EUR', expiresAt: soon },
    });
    const due = await rows("SELECT flow, next_step_at FROM enrollments WHERE customer_key = 'jan@example.test' ORDER BY flow");
    expect(due.map((r) => [r.flow, (r.next_step_at as Date).toISOString()])).toEqual([
      ['voucher-expiring', NOW.toISOString()],
      ['voucher-issued', NOW.toISOString()],
    ]);

    // Used before the reminder: its messages still waiting end.
    await post({
      id: 'v-3',
      type: 'voucher.issued',
      email: 'eva@example.test',
      voucher: { code: 'USED-1', value: 10, kind: 'percent', expiresAt: new Date(NOW.getTime() + 30 * DAY).toISOString() },
    });
    await post({ id: 'v-3r', type: 'voucher.redeemed', email: 'eva@example.test', voucher: { code: 'USED-1' } });
    expect(await rows("SELECT flow, status, exit_reason FROM enrollments WHERE customer_key = 'eva@example.test' ORDER BY flow")).toEqual([
      { flow: 'voucher-expiring', status: 'exited', exit_reason: 'voucher used' },
      { flow: 'voucher-issued', status: 'exited', exit_reason: 'voucher used' },
    ]);
    // Already expired: nothing to remind about.
    expect(
      await post({
        id: 'v-4',
        type: 'voucher.issued',
        email: 'kim@example.test',
        voucher: { code: 'OLD-1', value: 1, currency: 'EUR', expiresAt: new Date(NOW.getTime() - DAY).toISOString() },
      }),
    ).toBe(1);
  });

  it('wishes a happy birthday on the day in the customer’s own zone, once', async () => {
    await pool.query('DELETE FROM enrollments');
    await consent('aki@example.test');
    await consent('ewa@example.test');
    await post({ id: 'b-1', type: 'birthday', email: 'aki@example.test', birthday: '06-04', timeZone: 'Asia/Tokyo', firstName: 'Aki' });
    await post({ id: 'b-2', type: 'birthday', email: 'ewa@example.test', birthday: '1990-06-04', firstName: 'Ewa' });
    // 15:30Z on 3 June: already 4 June (00:30) in Tokyo, still 3 June (17:30) in Warsaw, the shop's zone.
    clock.now = NOW;
    expect(await enterBirthdays(pool, shopId, clock.now)).toBe(1);
    expect(await enterBirthdays(pool, shopId, clock.now)).toBe(0);
    clock.now = new Date('2030-06-03T22:30:00Z'); // 00:30 on 4 June in Warsaw
    expect(await enterBirthdays(pool, shopId, clock.now)).toBe(1);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 2 });
    expect((await messagesTo('aki@example.test'))[0]!.subject).toBe('Happy birthday, Aki!');
    expect(await enterBirthdays(pool, shopId, new Date('2030-06-04T10:00:00Z'))).toBe(0);
  });

  it('sends no voucher or NPS message to a customer without marketing consent, and says which purpose was missing', async () => {
    clock.now = NOW;
    const expiresAt = new Date(NOW.getTime() + 30 * DAY).toISOString();
    await post({
      id: 'v-x',
      type: 'voucher.issued',
      email: 'nobody@example.test',
      voucher: { code: 'NOPE-1', value: 5, currency: 'EUR', expiresAt },
    });
    await post({ id: 'n-x', type: 'nps.request', email: 'nobody@example.test' });
    // A cart reminder's consent is not marketing consent.
    await grantCart('nobody@example.test');
    await runDueSteps(deps);
    expect(await messagesTo('nobody@example.test')).toEqual([]);
    const skipped = await rows(
      "SELECT e.flow, l.outcome, l.detail FROM step_log l JOIN enrollments e ON e.id = l.enrollment_id WHERE e.customer_key = 'nobody@example.test' AND l.channel = 'email' ORDER BY e.flow",
    );
    expect(skipped).toEqual([
      { flow: 'nps-survey', outcome: 'no_consent', detail: 'no marketing consent for email' },
      { flow: 'voucher-issued', outcome: 'no_consent', detail: 'no marketing consent for email' },
    ]);
  });

  it('sends an NPS survey whose link opens the 0–10 page and stores the answer from a real form post', async () => {
    clock.now = NOW;
    expect(await post({ id: 'n-1', type: 'nps.request', email: 'ola@example.test' })).toBe(1);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 1 });
    const survey = (await messagesTo('ola@example.test')).at(-1)!;
    const link = /http:\/\/127\.0\.0\.1:9(\/nps\/[A-Za-z0-9_.-]+)/.exec(String(survey.text))![1]!;
    // Links are signed by the queuer at the real time (the runner's clock is the test's): checked at the real time.
    const app = express().use(npsRoutes({ pool, secret: LINK_SECRET }));
    const page = await request(app).get(link).expect(200);
    expect(page.text).toContain('name="score"');
    await request(app).post(link).type('form').send({ score: '9', comment: 'Fast delivery <3' }).expect(200);
    expect(await rows('SELECT score, comment, customer_key FROM nps_responses')).toEqual([
      { score: 9, comment: 'Fast delivery <3', customer_key: 'ola@example.test' },
    ]);
  });

  it('reminds of a balance a day later, the newest balance replacing one still waiting', async () => {
    await consent('ola@example.test');
    clock.now = NOW;
    await post({ id: 'p-1', type: 'points.balance', email: 'ola@example.test', points: 1200 });
    clock.now = new Date(NOW.getTime() + 3_600_000);
    await post({ id: 'p-2', type: 'points.balance', email: 'ola@example.test', points: 1250.5 });
    expect(await rows("SELECT status, exit_reason FROM enrollments WHERE flow = 'balance-reminder' ORDER BY id")).toEqual([
      { status: 'exited', exit_reason: 'superseded' },
      { status: 'active', exit_reason: null },
    ]);
    clock.now = new Date(NOW.getTime() + DAY + 3_600_000);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 1 });
    expect((await messagesTo('ola@example.test')).at(-1)!.text).toContain('You have 1,250.5 points');
  });

  it('takes in only the segments a flow names as its audience, and keeps excluded ones out', async () => {
    const preset = PRESETS['voucher-issued'];
    await saveFlow(
      pool,
      shopId,
      'voucher-issued',
      { ...preset, sendWindow: null, audience: { countries: [], tags: ['members'], excludeTags: ['staff'] } },
      true,
    );
    await pool.query(
      "INSERT INTO customer_tags (shop_id, customer_key, tag, manual) VALUES (?, 'm1@example.test', 'members', 1), (?, 'm2@example.test', 'members', 1), (?, 'm2@example.test', 'staff', 1)",
      [shopId, shopId, shopId],
    );
    const voucher = { code: 'SEG-1', value: 5, currency: 'EUR', expiresAt: new Date(NOW.getTime() + 60 * DAY).toISOString() };
    const issued = async (email: string) =>
      (await rows("SELECT COUNT(*) AS n FROM enrollments WHERE flow = 'voucher-issued' AND customer_key = ?", [email]))[0]!.n;
    for (const [i, email] of ['m1@example.test', 'm2@example.test', 'm3@example.test'].entries())
      await post({ id: `seg-${i}`, type: 'voucher.issued', email, voucher });
    expect([await issued('m1@example.test'), await issued('m2@example.test'), await issued('m3@example.test')]).toEqual([1, 0, 0]);
  });

  it('enters an event whose entry was cut short, once, and never lets an older balance replace a newer one', async () => {
    await pool.query('DELETE FROM enrollments');
    clock.now = NOW;
    // Stored, then the process died before the flows took it in.
    const stored = await recordLoyaltyEvent(
      pool,
      shopId,
      { id: 'n-lost', type: 'nps.request', email: 'kim@example.test', occurredAt: NOW.toISOString() } as never,
      NOW,
    );
    const later = new Date(Date.now() + 120_000); // the sweep leaves events younger than a minute to their request
    expect(await enterPendingLoyaltyEvents(pool, later)).toBe(1);
    expect(await enterPendingLoyaltyEvents(pool, later)).toBe(0);
    expect(await rows("SELECT subject_id FROM enrollments WHERE flow = 'nps-survey'")).toEqual([{ subject_id: String(stored.id) }]);

    // Two balances: the newer entered first, the older one's entry arriving late replaces nothing.
    const older = await recordLoyaltyEvent(
      pool,
      shopId,
      { id: 'p-old', type: 'points.balance', email: 'kim@example.test', points: 10, occurredAt: NOW.toISOString() } as never,
      NOW,
    );
    const newer = await recordLoyaltyEvent(
      pool,
      shopId,
      { id: 'p-new', type: 'points.balance', email: 'kim@example.test', points: 20, occurredAt: NOW.toISOString() } as never,
      NOW,
    );
    await enterLoyaltyFlows(pool, shopId, newer.event, NOW);
    await enterLoyaltyFlows(pool, shopId, older.event, NOW);
    expect(await rows("SELECT subject_id, status FROM enrollments WHERE flow = 'balance-reminder'")).toEqual([
      { subject_id: String(newer.id), status: 'active' },
    ]);
  });
});
