import type { ResultSetHeader } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { recordDeliveryStatus } from '../../sidecar/src/channels/channel-store.ts';
import { recordBounce } from '../../sidecar/src/channels/smtp/email-bounces.ts';
import { insertClick } from '../../sidecar/src/links/link-store.ts';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * What happened to a sent message, in Chromium against a real sidecar: the SMS provider's
 * "delivered" (as its status webhook records it) in the Outbox list, on the message and in the
 * queue's timeline; an email that bounced, with the receiving server's words, in the same three
 * places; and a reminder clicked three times as one reminder clicked, three clicks.
 */
describe('delivery statuses and clicks in the admin UI', async () => {
  const ui = await startUi('ui_delivery', orderHistory().orders);
  const { page, tab, shot, shopId, pool } = ui;
  afterAll(() => ui.close());
  const now = Date.now();
  const [enrollment] = await pool.query<ResultSetHeader>(
    "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, status, customer_key, entered_at) VALUES (?, 'win-back', 'customer', 'ann@example.test', 'completed', 'ann@example.test', ?)",
    [shopId, new Date(now - 3_600_000)],
  );
  const message = async (step: number, channel: string, subject: string | null, providerId: string | null, minutesAgo: number) => {
    const [r] = await pool.query<ResultSetHeader>(
      "INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, subject, body_text, status, sent_at, provider_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'Come back', 'sent', ?, ?, ?)",
      [
        `ui:${step}:${channel}`,
        shopId,
        enrollment.insertId,
        step,
        channel,
        channel === 'sms' ? '+4712345678' : 'ann@example.test',
        subject,
        new Date(now - minutesAgo * 60_000),
        providerId,
        new Date(now - minutesAgo * 60_000),
      ],
    );
    return r.insertId;
  };
  const email = await message(0, 'email', 'We miss you', null, 50);
  const sms = await message(1, 'sms', null, 'SM-ui-1', 20);
  await recordDeliveryStatus(pool, {
    channel: 'sms',
    providerMessageId: 'SM-ui-1',
    status: 'delivered',
    errorCode: null,
    error: null,
    at: new Date(now - 19 * 60_000),
  });
  const BOUNCE = '550 5.1.1 <ann@example.test>: Recipient address rejected: User unknown in virtual mailbox table';
  const bounced = await message(2, 'email', 'A last reminder', '<b1@reminders.example.test>', 10);
  await recordBounce(
    pool,
    { outboxId: bounced, shopId, enrollmentId: enrollment.insertId, step: 2, recipient: 'ann@example.test' },
    { reply: BOUNCE, status: '5.1.1', addressFailed: true, at: new Date(now - 9 * 60_000) },
  );
  for (const minutesAgo of [45, 40, 30])
    await insertClick(pool, {
      outboxId: email,
      enrollmentId: enrollment.insertId,
      kind: 'cart',
      userAgent: 'ui',
      at: new Date(now - minutesAgo * 60_000),
    });

  it('shows "Delivered" in the Outbox list and on the message', async () => {
    await ui.signIn();
    await tab('Outbox');
    const row = page.locator('.comeback-table tbody tr', { hasText: '+4712345678' });
    await row.waitFor();
    expect(await row.locator(`[data-delivery]`).textContent()).toBe('Delivered');
    // The email has no provider report: nothing made up.
    expect(await page.locator('.comeback-table tbody tr', { hasText: 'We miss you' }).locator('[data-delivery]').count()).toBe(0);
    await row.getByRole('button').click();
    await expect.poll(() => page.getByTestId('delivery').textContent()).toContain('Delivery: Delivered');
    await shot('outbox-delivery');
    expect(sms).toBeGreaterThan(email);
  });

  it('shows the bounced email with the server’s reason in the Outbox list and on the message', async () => {
    await page.getByRole('button', { name: 'Close' }).click();
    const row = page.locator('.comeback-table tbody tr', { hasText: 'A last reminder' });
    expect(await row.locator('[data-delivery]').textContent()).toBe(`Bounced: ${BOUNCE}`);
    expect(await row.locator('[data-delivery]').getAttribute('class')).toContain('comeback-delivery--bad');
    await row.getByRole('button').click();
    await expect.poll(() => page.getByTestId('delivery').textContent()).toContain(`Delivery: Bounced: ${BOUNCE}`);
    await shot('outbox-bounced');
  });

  it('puts the delivery and the bounce in the queue’s timeline', async () => {
    await tab('Queue');
    await page.getByRole('button', { name: 'ann@example.test' }).click();
    await page.locator('.comeback-timeline').getByText('Delivered to the customer').waitFor();
    await page.locator('.comeback-timeline li', { hasText: 'Bounced' }).filter({ hasText: BOUNCE }).waitFor();
    await shot('queue-bounced');
  });

  it('counts the reminder clicked three times once as clicked and three times in all, in the tiles and the table', async () => {
    await tab('Reports');
    await expect.poll(() => page.getByTestId('stat-unique-clicks').locator('.comeback-stat__value').textContent()).toBe('1');
    expect(await page.getByTestId('stat-clicks').locator('.comeback-stat__value').textContent()).toBe('3');
    const email = await page.getByTestId('by-reminder').locator('tbody tr').first().locator('td').allTextContents();
    expect(email.slice(0, 5)).toEqual(['Reminder 1', 'Email', '1', '1', '3']);
    await shot('reports-clicks');
    expect(ui.pageErrors).toEqual([]);
  });
});
