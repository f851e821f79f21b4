import { randomUUID } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { beforeEach, describe, expect, it } from 'vitest';
import { dueSql } from '../../sidecar/src/channels/channel-store.ts';
import { dispatchDue, type ProvidersByChannel } from '../../sidecar/src/channels/dispatch.ts';
import { ChannelError } from '../../sidecar/src/channels/provider.ts';
import type { StoredMessage } from '../../sidecar/src/messages/outbox-store.ts';
import { cancelPending, enqueueMessage, type OutboxMessage } from '../../sidecar/src/messages/outbox.ts';
import { createMetrics } from '../../sidecar/src/metrics/metrics.ts';
import { parseExposition } from '../../sidecar/bench/scrape-metrics.ts';
import { createTestDatabase } from '../helpers/database.ts';

/** An email provider that records sends and fails as told (a queue of outcomes, then success). */
function scriptedEmail(outcomes: Array<ChannelError | 'slow'> = []) {
  const sent: StoredMessage[] = [];
  const providers: ProvidersByChannel = {
    email: {
      async send({ message }) {
        const outcome = outcomes.shift();
        if (outcome instanceof ChannelError) throw outcome;
        if (outcome === 'slow') await new Promise((r) => setTimeout(r, 50));
        sent.push(message);
        return { providerMessageId: `p-${message.idempotencyKey}` };
      },
    },
  };
  return { providers, sent };
}

const message = (overrides: Partial<OutboxMessage> = {}): OutboxMessage => ({
  idempotencyKey: `enrollment:1:step:${randomUUID()}`,
  shopId: 1,
  enrollmentId: 1,
  step: 0,
  to: 'customer@example.test',
  from: 'Shop <shop@example.test>',
  replyTo: 'help@example.test',
  subject: 'Your order is waiting',
  html: '<p>Pay</p>',
  text: 'Pay',
  headers: { 'List-Unsubscribe': '<https://x.test/u/a>' },
  ...overrides,
});

describe('the outbox and its dispatcher on MariaDB', async () => {
  const { database } = await createTestDatabase('outbox');
  const pool = database.pool;
  const row = async (id: number) => {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM outbox WHERE id = ?', [id]);
    return rows[0]!;
  };
  beforeEach(async () => {
    await pool.query('DELETE FROM outbox');
  });

  it('enqueues a key once: the second enqueue creates nothing and returns the same id', async () => {
    const m = message();
    const first = await enqueueMessage(pool, m);
    const second = await enqueueMessage(pool, { ...m, subject: 'changed' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const [[count]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox');
    expect(Number(count!.n)).toBe(1);
    expect((await row(first.id)).subject).toBe('Your order is waiting');
  });

  it('sends each due row once even when two dispatchers run at the same time, and records it', async () => {
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push((await enqueueMessage(pool, message())).id);
    const later = await enqueueMessage(pool, message({ sendAt: new Date(Date.now() + 3_600_000) }));
    const { providers, sent } = scriptedEmail(Array(40).fill('slow'));
    const results = await Promise.all([dispatchDue(pool, providers, { limit: 15 }), dispatchDue(pool, providers, { limit: 15 })]);
    expect(results[0].sent + results[1].sent).toBe(20);
    expect(Math.min(results[0].sent, results[1].sent)).toBeGreaterThan(0);
    expect(new Set(sent.map((m) => m.idempotencyKey)).size).toBe(20);
    expect(sent).toHaveLength(20);
    const r = await row(ids[0]!);
    expect(r.status).toBe('sent');
    expect(r.sent_at).toBeInstanceOf(Date);
    expect(r.provider_message_id).toBe(`p-${r.idempotency_key}`);
    expect((await row(later.id)).status).toBe('pending');
    expect(await dispatchDue(pool, providers)).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    // The provider got the whole message back from the row.
    expect(sent[0]).toMatchObject({
      from: 'Shop <shop@example.test>',
      replyTo: 'help@example.test',
      headers: { 'List-Unsubscribe': '<https://x.test/u/a>' },
    });
  });

  it('retries a retryable failure later with growing backoff, then ends sent', async () => {
    const { id } = await enqueueMessage(pool, message());
    const { providers, sent } = scriptedEmail([
      ChannelError.retryable('451 try later', 'EENVELOPE'),
      ChannelError.retryable('timeout', 'ETIMEDOUT'),
    ]);
    const t0 = new Date();
    expect((await dispatchDue(pool, providers, { now: t0 })).retried).toBe(1);
    let r = await row(id);
    expect(r).toMatchObject({ status: 'retry', attempts: 1 });
    expect(r.last_error).toMatch(/retryable EENVELOPE: 451 try later/);
    expect((r.next_attempt_at as Date).getTime()).toBe(t0.getTime() + 60_000);

    expect((await dispatchDue(pool, providers, { now: new Date(t0.getTime() + 30_000) })).claimed).toBe(0); // not yet due
    const t1 = new Date(t0.getTime() + 60_000);
    await dispatchDue(pool, providers, { now: t1 });
    r = await row(id);
    expect(r).toMatchObject({ status: 'retry', attempts: 2 });
    expect((r.next_attempt_at as Date).getTime()).toBe(t1.getTime() + 120_000);

    await dispatchDue(pool, providers, { now: new Date(t1.getTime() + 120_000) });
    r = await row(id);
    expect(r).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(sent).toHaveLength(1);
  });

  it('ends a permanent failure as failed with the reason, and gives up after maxAttempts', async () => {
    const metrics = createMetrics();
    const permanent = await enqueueMessage(pool, message());
    const { providers } = scriptedEmail([ChannelError.permanent('RCPT TO: 550 no such user', 'EENVELOPE')]);
    expect((await dispatchDue(pool, providers, { metrics })).failed).toBe(1);
    expect(await row(permanent.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'permanent EENVELOPE: RCPT TO: 550 no such user',
    });

    const flaky = await enqueueMessage(pool, message());
    const always: ProvidersByChannel = { email: { send: async () => Promise.reject(new Error('boom')) } };
    let now = Date.now();
    for (let i = 0; i < 3; i++) {
      await dispatchDue(pool, always, { now: new Date(now), maxAttempts: 3, backoff: () => 1_000, metrics });
      now += 1_000;
    }
    const r = await row(flaky.id);
    expect(r.status).toBe('failed');
    expect(r.last_error).toMatch(/^gave up after 3 attempts; retryable unknown: boom/);
    // /metrics: each ending by its reason, the two retries before the last, every send timed; nothing counted sent.
    const samples = parseExposition(await metrics.registry.metrics());
    expect(samples.get('comeback_steps_failed_total{channel="email",reason="permanent"}')).toBe(1);
    expect(samples.get('comeback_steps_failed_total{channel="email",reason="attempts"}')).toBe(1);
    expect(samples.get('comeback_send_retries_total{channel="email"}')).toBe(2);
    expect(samples.get('comeback_send_seconds_count{channel="email"}')).toBe(4);
    expect(samples.has('comeback_steps_sent_total{channel="email"}')).toBe(false);
  });

  it('picks up a row whose sending lease expired (its dispatcher died mid-send)', async () => {
    const { id } = await enqueueMessage(pool, message());
    const t0 = Date.now();
    // A dispatcher claims the row and dies before recording anything.
    await pool.query(`UPDATE outbox SET status = 'sending', attempts = 1, next_attempt_at = ? WHERE id = ?`, [new Date(t0 + 60_000), id]);
    const { providers, sent } = scriptedEmail();
    expect((await dispatchDue(pool, providers, { now: new Date(t0 + 30_000) })).claimed).toBe(0); // lease still held
    expect((await dispatchDue(pool, providers, { now: new Date(t0 + 61_000) })).sent).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sent).toHaveLength(1);
  });

  it('cancels what an enrollment still has waiting, and leaves sent rows alone', async () => {
    const sentRow = await enqueueMessage(pool, message({ enrollmentId: 7 }));
    await dispatchDue(pool, scriptedEmail().providers);
    const waiting = await enqueueMessage(pool, message({ enrollmentId: 7, sendAt: new Date(Date.now() + 60_000) }));
    const other = await enqueueMessage(pool, message({ enrollmentId: 8 }));
    expect(await cancelPending(pool, 7)).toBe(1);
    expect((await row(waiting.id)).status).toBe('cancelled');
    expect((await row(sentRow.id)).status).toBe('sent');
    expect((await row(other.id)).status).toBe('pending');
  });

  it('claims through the outbox_status index without sorting, with or without paused shops to skip', async () => {
    const plans: Array<[string, unknown[]]> = [
      [dueSql(false), ['pending', new Date(), 'email', 10]],
      [dueSql(true), ['pending', new Date(), 'email', [3, 9], 10]],
    ];
    for (const [sql, params] of plans) {
      const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${sql.replace(' FOR UPDATE SKIP LOCKED', '')}`, params);
      expect(plan).toHaveLength(1); // one table: the held shops are a list, no join
      expect(plan[0]!.key).toBe('outbox_status');
      expect(String(plan[0]!.Extra)).not.toMatch(/filesort/i);
    }
  });
});
