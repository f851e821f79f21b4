import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { unpaidOrdersFromAnHourAgo, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { deliverWebhook, enableQuickRecovery, startTestSidecar } from '../helpers/sidecar.ts';
import { connectSiteToSidecar, installedWordPressSite, runPhp } from '../php/wordpress-site.ts';
import { grantConsent } from '../helpers/consent.ts';
import { columnsHolding } from '../privacy/address-walk.ts';

const SECRET = 'privacy-tools-shared-secret-0123456789';
const ADA = { email: 'ada.tools@example.test', phone: '+48 500 000 001', last: 'Lovelace-Tools' };

type Page = { key: string; page: number; answer: { success: boolean; data: Record<string, unknown> } };

/**
 * WordPress's own privacy tools reach the real sidecar: WordPress core with Comeback installed from
 * dist/comeback.zip runs Tools → Export and Erase Personal Data for a customer (core's AJAX handlers,
 * test/php/privacy-request.php), the plugin asks the sidecar over HTTP, signed, and afterwards the
 * sidecar's database holds the customer's email and number nowhere, and a new order of theirs
 * enters no flow.
 */
describe('WordPress’s Export and Erase Personal Data reach the sidecar', async () => {
  const { site, home } = await installedWordPressSite('privacy');
  const { database, url } = await createTestDatabase('privacy_tools');
  const pool = database.pool;
  const sidecar = await startTestSidecar(url);
  const shopId = await connectSiteToSidecar(site, pool, { home, name: 'Privacy Shop', secret: SECRET, sidecarUrl: sidecar.url });
  await enableQuickRecovery(pool, shopId);
  afterAll(async () => {
    await sidecar.stop();
    await site.remove();
  });

  const { payu } = unpaidOrdersFromAnHourAgo();
  const orderOf = (id: number): Record<string, unknown> => ({
    ...payu,
    id,
    number: String(id),
    date_created_gmt: wooTime(new Date()),
    date_modified_gmt: wooTime(new Date()),
    billing: { ...(payu.billing as object), first_name: 'Ada', last_name: ADA.last, email: ADA.email, phone: ADA.phone, country: 'PL' },
    shipping: { ...(payu.shipping as object), first_name: 'Ada', last_name: ADA.last },
  });
  const enrolled = async (id: number) =>
    (await pool.query<RowDataPacket[]>('SELECT status FROM enrollments WHERE shop_id = ? AND subject_id = ?', [shopId, String(id)]))[0][0];
  const tools = async (kind: 'export' | 'erase') => {
    const ran = await runPhp(site, 'php', ['privacy-request.php', kind, ADA.email], {
      COMEBACK_TEST_PRIVACY_PHONE: '500 000 001',
      COMEBACK_TEST_PRIVACY_COUNTRY: 'PL',
    });
    expect(ran.code, ran.output).toBe(0);
    const lines = ran.output.split('\n').filter((l) => l.startsWith('{'));
    return {
      pages: lines.slice(0, -1).map((l) => JSON.parse(l) as Page),
      status: (JSON.parse(lines.at(-1)!) as { status: string }).status,
    };
  };
  const whereIsAda = () => columnsHolding(pool, { lower: ADA.email, regexp: '500[ -]?000[ -]?001', exact: ADA.last });

  it('exports what the sidecar holds about the customer, then erases it everywhere', { timeout: 120_000 }, async () => {
    await deliverWebhook(sidecar.url, { shopUrl: home, secret: SECRET, topic: 'order.created', body: orderOf(8101) });
    await waitFor(
      () => enrolled(8101),
      (e) => e?.status === 'active',
      20_000,
      'the order to enter recovery',
    );
    await grantConsent(pool, shopId, { purpose: 'cart', channel: 'sms', address: '+48500000001', source: 'checkout', text: 'Texts, yes' });
    expect(await whereIsAda()).not.toEqual([]);

    const exported = await tools('export');
    const ours = exported.pages.filter((p) => p.key === 'comeback');
    expect(
      ours.every((p) => p.answer.success),
      JSON.stringify(ours),
    ).toBe(true);
    expect(ours.at(-1)!.answer.data.done).toBe(true);
    const items = ours.flatMap((p) => p.answer.data.data as Array<{ group_id: string; data: Array<{ name: string; value: string }> }>);
    const groups = new Set(items.map((i) => i.group_id));
    for (const g of ['comeback-orders', 'comeback-events', 'comeback-consents']) expect(groups).toContain(g);
    expect(JSON.stringify(items)).toContain('Texts, yes');

    const erased = await tools('erase');
    const erasing = erased.pages.filter((p) => p.key === 'comeback');
    expect(
      erasing.every((p) => p.answer.success),
      JSON.stringify(erasing),
    ).toBe(true);
    expect(erasing.at(-1)!.answer.data).toMatchObject({ done: true, items_retained: false });
    expect(erasing[0]!.answer.data.items_removed).toBe(true);
    expect(erased.status).toBe('request-completed');
    expect(await whereIsAda()).toEqual([]);
    expect(await enrolled(8101)).toMatchObject({ status: 'exited' });

    // She orders again: the order is stored, but nothing will remind her.
    await deliverWebhook(sidecar.url, { shopUrl: home, secret: SECRET, topic: 'order.created', body: orderOf(8102) });
    await waitFor(
      async () => (await pool.query<RowDataPacket[]>('SELECT 1 FROM orders WHERE shop_id = ? AND order_id = 8102', [shopId]))[0].length,
      (n) => n === 1,
      20_000,
      'the new order stored',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await enrolled(8102)).toBeUndefined();
  });
});
