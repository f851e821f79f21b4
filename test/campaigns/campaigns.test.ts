import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../sidecar/src/campaigns/campaign-routes.ts';
import { launchDueCampaigns } from '../../sidecar/src/campaigns/campaigns.ts';
import { flowRoutes } from '../../sidecar/src/flows/admin/flow-routes.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { rebuildCustomerStats } from '../../sidecar/src/segments/customer-stats.ts';
import { testApp } from '../helpers/app.ts';
import { customerFlowShop } from '../flows/customer-flow-setup.ts';

const orderChanges = orderPipe();

const TOKEN = 'admin-token-for-campaign-tests-0123456789';
const MIN = 60_000;
const NOW = new Date('2030-06-03T09:00:00Z');
const SEND_AT = new Date(NOW.getTime() + 60 * MIN);

const step = {
  delay: { value: 0, unit: 'minutes' },
  channels: ['email'],
  email: {
    subject: 'Summer sale at [shop_name]',
    body: 'Hello [customer_first_name],\n\n20% off everything this week.\n\n[unsubscribe_link]',
  },
};

/**
 * Campaigns over the admin API and the flow engine: the audience counted before sending, the
 * texts checked at save, the launch spreading sends per minute, and the messages reaching
 * exactly the segment minus opt-outs (and those who never opted in) minus the hold-out.
 */
describe('one-off campaigns to a segment', async () => {
  const { database, pool, shopId, clock, deps, paid, consent, rows } = await customerFlowShop('campaigns', NOW);
  const { app } = testApp(database, {
    routers: [
      adminApi({
        pool,
        adminToken: TOKEN,
        shopRoutes: [
          campaignRoutes({ pool, clock: () => clock.now }),
          flowRoutes({ pool, channels: () => ({ email: true, sms: false, whatsapp: false }) }),
        ],
      }),
    ],
  });
  const admin = (method: 'get' | 'put' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));

  // Ten customers in the "newsletter" segment: seven opted in, c8 opted out, c9 never opted in;
  // two more outside the segment, opted in.
  const emails = Array.from({ length: 12 }, (_, i) => `c${i}@example.test`);
  for (const [i, email] of emails.entries()) await paid(email, new Date(NOW.getTime() - (i + 1) * 86_400_000));
  await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });
  for (const email of emails.slice(0, 10))
    await pool.query('INSERT INTO customer_tags (shop_id, customer_key, tag, manual) VALUES (?, ?, ?, 1)', [shopId, email, 'newsletter']);
  for (const [i, email] of emails.entries()) if (i !== 9) await consent(email, i === 8 ? 'withdrawn' : 'granted');

  it('counts the audience before sending: the segment, who can be reached, who opted out, the hold-out share', async () => {
    const res = await admin('get', '/api/campaigns/audience?tags=newsletter&channels=email&holdOutPercent=20').expect(200);
    expect(res.body).toEqual({ customers: 10, reachable: 8, optedOut: 1, heldOutEstimate: 2 });
    expect((await admin('get', '/api/campaigns/audience').expect(200)).body.customers).toBe(12);
    await admin('get', '/api/campaigns/audience?channels=fax').expect(400);
  });

  it('refuses a text with an unknown or order shortcode at save, naming the field, line and column', async () => {
    const bad = {
      name: 'Broken',
      tags: ['newsletter'],
      step: { ...step, email: { subject: 'Hi', body: 'Hello\n[order_total] [coupon_cod]' } },
    };
    const res = await admin('post', '/api/campaigns').send(bad).expect(400);
    expect(res.body.error.code).toBe('invalid_template');
    expect(res.body.error.details).toMatchObject([
      { field: 'step.email.body', line: 2, column: 1, code: 'wrong_context' },
      { field: 'step.email.body', line: 2, column: 15, code: 'unknown_shortcode' },
    ]);
    await admin('post', '/api/campaigns').send({ name: '', step }).expect(400);
    expect((await rows('SELECT COUNT(*) AS n FROM campaigns'))[0]!.n).toBe(0);
  });

  it('launches at its time with sends spread per minute, and reaches exactly the segment minus opt-outs and hold-out', async () => {
    const created = await admin('post', '/api/campaigns')
      .send({
        name: 'Summer sale',
        tags: ['newsletter'],
        sendAt: SEND_AT.toISOString(),
        perMinute: 3,
        holdOutPercent: 50,
        sendWindow: null,
        step,
      })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'Summer sale',
      status: 'scheduled',
      tags: ['newsletter'],
      perMinute: 3,
      holdOutPercent: 50,
    });
    // Not a flow of the Flows screen, nor one to change or switch there, nor to make there.
    expect((await admin('get', '/api/flows').expect(200)).body.flows.some((f: { key: string }) => f.key.startsWith('campaign-'))).toBe(
      false,
    );
    const flowKey = (await rows('SELECT flow_key FROM campaigns WHERE id = ?', [created.body.id]))[0]!.flow_key;
    await request(app)
      .patch(`/api/flows/${flowKey}`)
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId))
      .send({ enabled: true })
      .expect(404);
    const asFlow = { name: 'Sneaky', purpose: 'marketing', trigger: { event: 'campaign' }, steps: [step] };
    expect((await admin('post', '/api/flows').send({ key: 'sneaky', definition: asFlow }).expect(400)).body.error.details[0].field).toBe(
      'trigger.event',
    );

    expect(await launchDueCampaigns(pool, new Date(SEND_AT.getTime() - 1))).toBe(0);
    clock.now = SEND_AT;
    expect(await launchDueCampaigns(pool, SEND_AT)).toBe(1);
    expect(await launchDueCampaigns(pool, SEND_AT)).toBe(0); // launched once
    const due = await rows(
      "SELECT next_step_at, COUNT(*) AS n FROM enrollments WHERE flow LIKE 'campaign-%' GROUP BY next_step_at ORDER BY next_step_at",
    );
    expect(due.map((r) => [(r.next_step_at as Date).getTime() - SEND_AT.getTime(), Number(r.n)])).toEqual([
      [0, 3],
      [MIN, 3],
      [2 * MIN, 3],
      [3 * MIN, 1],
    ]);

    clock.now = new Date(SEND_AT.getTime() + MIN);
    expect(await runDueSteps(deps)).toMatchObject({ claimed: 6 });
    clock.now = new Date(SEND_AT.getTime() + 3 * MIN);
    expect(await runDueSteps(deps)).toMatchObject({ claimed: 4 });

    const entered = await rows("SELECT customer_key, held_out FROM enrollments WHERE flow LIKE 'campaign-%' ORDER BY customer_key");
    const heldOut = entered.filter((e) => e.held_out).map((e) => e.customer_key);
    const expected = emails
      .slice(0, 8)
      .filter((e) => !heldOut.includes(e))
      .sort();
    const reached = (await rows('SELECT recipient FROM outbox WHERE enrollment_id IS NOT NULL ORDER BY recipient')).map((r) => r.recipient);
    expect(entered).toHaveLength(10);
    expect(reached).toEqual(expected);
    // Why the two in the segment got nothing (unless the draw held them out first).
    const why = async (email: string) =>
      (await rows('SELECT l.outcome FROM step_log l JOIN enrollments e ON e.id = l.enrollment_id WHERE e.customer_key = ?', [email])).map(
        (r) => r.outcome,
      );
    expect(await why('c8@example.test')).toEqual(heldOut.includes('c8@example.test') ? ['held_out'] : ['withdrawn', 'exited']);
    expect(await why('c9@example.test')).toEqual(heldOut.includes('c9@example.test') ? ['held_out'] : ['no_consent', 'not_sent']);

    // Still sending while its messages wait in the outbox (unless the draw held out all eight who
    // could be reached: 1 in 256); sent once they went.
    await launchDueCampaigns(pool, clock.now);
    expect((await admin('get', `/api/campaigns/${created.body.id}`).expect(200)).body.status).toBe(
      expected.length > 0 ? 'sending' : 'sent',
    );
    await pool.query("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'", [clock.now]);
    await launchDueCampaigns(pool, clock.now);
    const [listed] = (await admin('get', '/api/campaigns').expect(200)).body.items;
    expect(listed).toMatchObject({
      status: 'sent',
      audience: 10,
      stats: { entered: 10, heldOut: heldOut.length, messaged: expected.length, sent: expected.length },
    });
  });

  it('never sends a waiting campaign message to a customer who bought meanwhile, nor any after a cancel', async () => {
    const created = await admin('post', '/api/campaigns')
      .send({ name: 'Flash', tags: ['newsletter'], sendAt: clock.now.toISOString(), holdOutPercent: 0, sendWindow: null, step })
      .expect(201);
    expect(created.body.status).toBe('sending'); // due now: launched at once
    await runDueSteps(deps);
    const waiting = async () =>
      await rows(
        'SELECT m.recipient, m.status FROM outbox m JOIN enrollments e ON e.id = m.enrollment_id WHERE e.flow = ? ORDER BY m.recipient',
        [`campaign-${created.body.id}`],
      );
    expect((await waiting()).map((m) => m.status)).toEqual(Array(8).fill('pending'));
    // c0 buys before hers went: it is cancelled, the others still wait.
    const orderId = await paid('c0@example.test', new Date(clock.now.getTime() + 1000));
    await orderChanges.changed(pool, shopId, orderId, new Date(clock.now.getTime() + 1000));
    expect((await waiting()).filter((m) => m.status === 'cancelled').map((m) => m.recipient)).toEqual(['c0@example.test']);
    // Cancelled while its messages wait: none of them goes.
    expect((await admin('post', `/api/campaigns/${created.body.id}/cancel`).expect(200)).body.status).toBe('cancelled');
    expect(new Set((await waiting()).map((m) => m.status))).toEqual(new Set(['cancelled']));
  });

  it('refuses to schedule a campaign that reaches nobody, saying which segment and channel; a draft of it is kept', async () => {
    // c9 never agreed to marketing: the segment of just them reaches nobody by email.
    await pool.query('INSERT INTO customer_tags (shop_id, customer_key, tag, manual) VALUES (?, ?, ?, 1)', [
      shopId,
      'c9@example.test',
      'silent',
    ]);
    const campaign = { name: 'To nobody', tags: ['silent'], step };
    const refused = await admin('post', '/api/campaigns')
      .send({ ...campaign, sendAt: SEND_AT.toISOString() })
      .expect(422);
    expect(refused.body.error).toMatchObject({
      code: 'empty_audience',
      message: expect.stringContaining('0 customers in silent agreed to marketing by email'),
      details: [{ field: 'tags' }],
    });
    const draft = await admin('post', '/api/campaigns').send(campaign).expect(201);
    const scheduled = await admin('post', `/api/campaigns/${draft.body.id}/schedule`).send({ sendAt: SEND_AT.toISOString() }).expect(422);
    expect(scheduled.body.error.message).toContain('0 customers in silent agreed to marketing by email (1 customer in all)');
    await admin('put', `/api/campaigns/${draft.body.id}`)
      .send({ ...campaign, sendAt: SEND_AT.toISOString() })
      .expect(422);
    expect((await admin('get', `/api/campaigns/${draft.body.id}`).expect(200)).body).toMatchObject({ status: 'draft', sendAt: null });
    await admin('post', '/api/campaigns/999999/schedule').send({ sendAt: SEND_AT.toISOString() }).expect(404);
  });

  it('cancels a scheduled campaign: it never launches, and cannot be changed after', async () => {
    const created = await admin('post', '/api/campaigns')
      .send({ name: 'Later', tags: [], sendAt: new Date(SEND_AT.getTime() + 86_400_000).toISOString(), step })
      .expect(201);
    const cancelled = await admin('post', `/api/campaigns/${created.body.id}/cancel`).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await launchDueCampaigns(pool, new Date(SEND_AT.getTime() + 2 * 86_400_000))).toBe(0);
    await admin('put', `/api/campaigns/${created.body.id}`).send({ name: 'Later', step }).expect(409);
    await admin('post', `/api/campaigns/${created.body.id}/schedule`).send({ sendAt: SEND_AT.toISOString() }).expect(409);
    await admin('get', '/api/campaigns/999999').expect(404);
  });

  it('keeps its rate inside quiet hours: sends moved to the window keep their spread, and what does not fit goes the next day', async () => {
    // 11:00 in Warsaw, the customers' zone; the window is 10:00–10:02 there, two minutes a day at 3 a minute.
    clock.now = NOW;
    const created = await admin('post', '/api/campaigns')
      .send({
        name: 'Quiet',
        tags: ['newsletter'],
        sendAt: NOW.toISOString(),
        perMinute: 3,
        sendWindow: { start: '10:00', end: '10:02' },
        step,
      })
      .expect(201);
    clock.now = new Date(NOW.getTime() + 3 * MIN); // all ten due (spread over four minutes), all outside the window
    expect(await runDueSteps(deps)).toMatchObject({ deferred: 10 });
    const due = await rows(
      'SELECT next_step_at, COUNT(*) AS n FROM enrollments WHERE flow = ? GROUP BY next_step_at ORDER BY next_step_at',
      [`campaign-${created.body.id}`],
    );
    expect(due.map((r) => [(r.next_step_at as Date).toISOString(), Number(r.n)])).toEqual([
      ['2030-06-04T08:00:00.000Z', 3],
      ['2030-06-04T08:01:00.000Z', 3],
      ['2030-06-05T08:00:00.000Z', 3],
      ['2030-06-05T08:01:00.000Z', 1],
    ]);
  });
});
