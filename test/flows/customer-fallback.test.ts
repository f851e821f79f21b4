import { describe, expect, it } from 'vitest';
import { createCampaign, launchDueCampaigns } from '../../sidecar/src/campaigns/campaigns.ts';
import { grantConsent } from '../helpers/consent.ts';
import { createChannelFallback } from '../../sidecar/src/flows/steps/channel-fallback.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import type { StepMessage } from '../../sidecar/src/messages/step-message.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { rebuildCustomerStats } from '../../sidecar/src/segments/customer-stats.ts';
import { customerFlowShop } from './customer-flow-setup.ts';

const orderChanges = orderPipe();

const NOW = new Date('2030-06-03T09:00:00Z');
const channels = () => ({ email: true, sms: true, whatsapp: false });

/**
 * A message to a customer that bounces falls back to the step's next channel, after the same
 * re-check a first send gets: not once the customer bought (a campaign ends on a purchase).
 */
describe('channel fallback for messages to customers', async () => {
  const { pool, shopId, clock, deps, paid, rows } = await customerFlowShop('customer_fallback', NOW);
  deps.channels = channels;
  for (const [email, phone] of [
    ['buyer@example.test', '+48601234567'],
    ['still@example.test', '+48601234568'],
  ] as const) {
    await paid(email, new Date(NOW.getTime() - 10 * 86_400_000), { phone });
    for (const [channel, address] of [
      ['email', email],
      ['sms', phone],
    ] as const) {
      await grantConsent(pool, shopId, { purpose: 'marketing', channel, address, claimedAt: new Date(NOW.getTime() - 86_400_000) });
    }
  }
  await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });
  const step = {
    delay: { value: 0, unit: 'minutes' },
    channels: ['email', 'sms'],
    email: { subject: 'Sale', body: 'Sale at [shop_name]. [unsubscribe_link]' },
    sms: { body: 'Sale at [shop_name]' },
  };
  const id = await createCampaign(pool, shopId, { name: 'Sale', sendAt: NOW.toISOString(), sendWindow: null, step });
  await launchDueCampaigns(pool, NOW);
  await runDueSteps(deps);
  await pool.query("UPDATE outbox SET status = 'sent', sent_at = ?", [NOW]);
  const queued: StepMessage[] = [];
  const fallback = createChannelFallback({
    pool,
    clock: () => clock.now,
    channels,
    queueMessage: async (m) => (queued.push(m), { id: 0, created: true }),
  });
  const bounced = async (email: string) => {
    const [m] = await rows('SELECT id, enrollment_id FROM outbox WHERE recipient = ?', [email]);
    await fallback({
      outboxId: Number(m!.id),
      shopId,
      enrollmentId: Number(m!.enrollment_id),
      step: 0,
      channel: 'email',
      reason: 'mailbox does not exist',
    });
  };

  it('moves a bounced email to SMS for a customer who has not bought, and to nothing once they bought', async () => {
    expect(id).toBeGreaterThan(0);
    // A loyalty program told us the customer reads Polish: the text goes in it on the next channel too.
    await pool.query(
      "INSERT INTO customer_profiles (shop_id, customer_key, language, updated_at) VALUES (?, 'still@example.test', 'pl', NOW(3))",
      [shopId],
    );
    await bounced('still@example.test');
    expect(queued.map((m) => [m.channel, m.to])).toEqual([['sms', '+48601234568']]);
    expect(queued[0]!.language).toEqual({ locale: 'pl_PL', source: 'profile' });

    const orderId = await paid('buyer@example.test', new Date(NOW.getTime() + 60_000), { phone: '+48601234567' });
    await orderChanges.changed(pool, shopId, orderId, new Date(NOW.getTime() + 60_000));
    await bounced('buyer@example.test');
    expect(queued).toHaveLength(1);
  });
});
