import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchDue, type ProvidersByChannel } from '../../sidecar/src/channels/dispatch.ts';
import type { OutboxRow } from '../../sidecar/src/channels/provider.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { runDueSteps, type StepRunnerDeps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { LOCAL_NET, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * Leases of steps and messages are short and renewed while their batch is worked: a batch that
 * takes several leases is not taken over by another sidecar, and is worked once.
 */
describe('work leases renewed while a batch is worked', async () => {
  const { database } = await createTestDatabase('work_leases');
  const pool = database.pool;
  const LEASE_MS = 600;

  it('an outbox batch slower than its lease stays with its dispatcher: each message is sent once', async () => {
    const { id } = await enqueueMessage(pool, {
      idempotencyKey: 'lease:outbox:1',
      shopId: 1,
      to: 'c@example.test',
      from: 'shop@example.test',
      subject: 's',
      html: '<p>h</p>',
      text: 't',
      headers: {},
    });
    const sent: OutboxRow[] = [];
    const slow: ProvidersByChannel = {
      email: {
        async send(row) {
          await sleep(4 * LEASE_MS);
          sent.push(row);
          return { providerMessageId: `p-${row.message.idempotencyKey}` };
        },
      },
    };
    const first = dispatchDue(pool, slow, { leaseMs: LEASE_MS });
    const deadlines: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(LEASE_MS / 2);
      const [[row]] = await pool.query<RowDataPacket[]>('SELECT status, next_attempt_at FROM outbox WHERE id = ?', [id]);
      if (row!.status !== 'sending') break;
      deadlines.push((row!.next_attempt_at as Date).getTime());
      // Another sidecar looking now finds nothing to take: the lease was renewed.
      expect((await dispatchDue(pool, slow, { leaseMs: LEASE_MS })).claimed).toBe(0);
    }
    expect(await first).toMatchObject({ claimed: 1, sent: 1 });
    expect(deadlines.length).toBeGreaterThanOrEqual(3);
    expect(deadlines.at(-1)!).toBeGreaterThan(deadlines[0]!); // moved on while sending
    expect(sent).toHaveLength(1);
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT status, attempts FROM outbox WHERE id = ?', [id]);
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a step batch slower than its lease stays with its runner: the step runs once', async () => {
    const shop = await startFakeShop();
    afterAll(() => shop.close());
    const [inserted] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [shop.url, 'x']);
    const shopId = inserted.insertId;
    const [first] = DEFAULT_RECOVERY.reminders;
    await saveRecoverySettings(pool, shopId, {
      ...DEFAULT_RECOVERY,
      enabled: true,
      reminders: [{ ...first!, delay: { value: 1, unit: 'hours' } }],
    });
    const order = [...shop.orders.values()].find((o) => o.status === 'pending' && o.payment_method === 'payustandard')!;
    const placed = new Date(`${order.date_created_gmt as string}Z`);
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    expect(await orderPipe().changed(pool, shopId, order.id as number, placed)).toBe('entered');

    // The clock is the reminder's due time moved on in real time, as a sidecar's clock would be.
    const dueAt = placed.getTime() + 3_600_000 + 1_000;
    const startedAt = Date.now();
    const clock = () => new Date(dueAt + (Date.now() - startedAt));
    let queued = 0;
    const deps = (slowMs: number): StepRunnerDeps => ({
      pool,
      clock,
      workerName: `runner-${slowMs}`,
      wooClient: async () => {
        const client = createWooClient(
          { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
          { net: LOCAL_NET },
        );
        return { ...client, getOrders: async (ids) => (await sleep(slowMs), client.getOrders(ids)) };
      },
      channels: () => ({ email: true, sms: false, whatsapp: false }),
      orderChanges: orderPipe(),
      queueMessage: async (m) => {
        queued++;
        return enqueueMessage(pool, {
          idempotencyKey: m.idempotencyKey,
          shopId: m.shopId,
          enrollmentId: m.enrollmentId,
          step: m.step,
          to: m.to,
          from: 'shop@example.test',
          subject: 's',
          html: 'h',
          text: 't',
        });
      },
    });
    const running = runDueSteps(deps(4 * LEASE_MS), { leaseMs: LEASE_MS });
    const locks: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(LEASE_MS / 2);
      const [[row]] = await pool.query<RowDataPacket[]>('SELECT locked_at FROM enrollments WHERE subject_id = ?', [String(order.id)]);
      if (!row!.locked_at) break;
      locks.push((row!.locked_at as Date).getTime());
      expect((await runDueSteps(deps(0), { leaseMs: LEASE_MS })).claimed).toBe(0);
    }
    expect(await running).toMatchObject({ claimed: 1, queued: 1 });
    expect(locks.length).toBeGreaterThanOrEqual(3);
    expect(locks.at(-1)!).toBeGreaterThan(locks[0]!);
    expect(queued).toBe(1);
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT status, locked_at FROM enrollments WHERE subject_id = ?', [String(order.id)]);
    expect(row).toMatchObject({ status: 'completed', locked_at: null }); // its only reminder sent
  });
});
