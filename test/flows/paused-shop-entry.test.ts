import { describe, expect, it } from 'vitest';
import { createCampaign, launchDueCampaigns } from '../../sidecar/src/campaigns/campaigns.ts';
import { enterLapsedCustomers } from '../../sidecar/src/flows/entry/customer-entry.ts';
import { saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { rebuildCustomerStats } from '../../sidecar/src/segments/customer-stats.ts';
import { pauseShop, resumeShop } from '../../sidecar/src/woo/shop-lifecycle.ts';
import { customerFlowShop } from './customer-flow-setup.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-06-03T12:00:00Z');

/** A paused shop enters nobody through the customer triggers and launches no campaign; both wait for it to resume. */
describe('customer triggers and campaigns of a paused shop', async () => {
  const { pool, shopId, paid, consent, rows } = await customerFlowShop('paused_shop_entry', NOW);
  const deps = { pool, logger: createLogger('silent'), kick: () => undefined };
  // jan bought once, 80 days ago: lapsed by the default 60 × 1.25 days.
  await paid('jan@example.test', new Date(NOW.getTime() - 80 * DAY));
  await consent('jan@example.test');
  await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });
  await saveFlow(pool, shopId, 'win-back', { ...PRESETS['win-back'], sendWindow: null }, true);
  const campaignId = await createCampaign(pool, shopId, {
    name: 'Summer sale',
    sendAt: new Date(NOW.getTime() - 60_000).toISOString(),
    sendWindow: null,
    step: { delay: { value: 0, unit: 'minutes' }, channels: ['email'], email: { subject: 'Sale', body: 'Hello\n\n[unsubscribe_link]' } },
  });
  const campaignStatus = async () => (await rows('SELECT status FROM campaigns WHERE id = ?', [campaignId]))[0]!.status;

  it('enters nobody and launches nothing while paused, and does both once resumed', async () => {
    await pauseShop(deps, shopId, 'merchant', NOW);
    expect(await enterLapsedCustomers(pool, shopId, NOW)).toBe(0);
    expect(await launchDueCampaigns(pool, NOW)).toBe(0);
    expect(await campaignStatus()).toBe('scheduled');
    expect(await rows('SELECT id FROM enrollments')).toEqual([]);

    await resumeShop(deps, shopId, 'merchant', NOW);
    expect(await enterLapsedCustomers(pool, shopId, NOW)).toBe(1);
    expect(await launchDueCampaigns(pool, NOW)).toBe(1);
    expect(await campaignStatus()).not.toBe('scheduled');
  });
});
