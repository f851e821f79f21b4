import { setTimeout as sleep } from 'node:timers/promises';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../sidecar/src/channels/smtp/smtp-provider.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { stopWorker, waitFor, workerProcesses, type Worker } from '../helpers/processes.ts';
import { startGatedSmtpServer } from './gated-smtp.ts';

const SIDECAR = new URL('./sidecar-worker.ts', import.meta.url).pathname;
/** Generous for a slow machine; a killed sidecar's agenda locks used to stop sending for 10 minutes. */
const TAKEOVER_BOUND_MS = 20_000;
const FROM = 'Fixture Shop <shop@example.test>';

/**
 * Sidecars started as a deployment runs them (default settings), sending by SMTP to a server that
 * can hold its answer, so a sidecar is provably mid-send (it claimed a batch, its sends wait for
 * their 250) when it gets SIGKILL.
 */
describe('a sidecar killed while it holds work', async () => {
  const { database, url } = await createTestDatabase('takeover');
  const pool = database.pool;
  const smtp = await startGatedSmtpServer();
  const sidecars = workerProcesses(SIDECAR);
  afterAll(() => smtp.stop());
  const env = { COMEBACK_DATABASE_URL: url, COMEBACK_SMTP_URL: `smtp://u:p@127.0.0.1:${smtp.port}`, COMEBACK_MAIL_FROM: FROM };

  /** Queues `count` messages due now; returns their Message-IDs. */
  async function queueDue(prefix: string, count: number): Promise<string[]> {
    const keys = Array.from({ length: count }, (_, i) => `takeover:${prefix}:${i}`);
    await Promise.all(
      keys.map((key, i) =>
        enqueueMessage(pool, {
          shopId: 1,
          to: `customer${i}@example.test`,
          from: FROM,
          subject: `Reminder ${key}`,
          html: `<p>${key}</p>`,
          text: key,
          headers: {},
          idempotencyKey: key,
        }),
      ),
    );
    return keys.map((key) => messageIdFor(key, 'example.test'));
  }

  async function sentRows(prefix: string): Promise<number> {
    const [[row]] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key LIKE ? AND status = 'sent'", [
      `takeover:${prefix}:%`,
    ]);
    return Number(row!.n);
  }

  /** Waits until every message arrived and its row says sent; returns the milliseconds since `since`. */
  async function everythingSent(prefix: string, ids: string[], since: number): Promise<number> {
    const wanted = new Set(ids);
    await waitFor(
      async () => ({ arrived: new Set(smtp.received.filter((id) => wanted.has(id))).size, sent: await sentRows(prefix) }),
      (v) => v.arrived === ids.length && v.sent === ids.length,
      TAKEOVER_BOUND_MS + 10_000,
      `the ${ids.length} messages of ${prefix} to be sent`,
    );
    return Date.now() - since;
  }

  /**
   * SIGKILL while its sends wait for the server's answer. The server then sees the connections
   * close (what the sidecar handed over is cut off: received, never acknowledged) and answers
   * everyone else from now on.
   */
  async function killMidSend(worker: Worker): Promise<number> {
    expect(await stopWorker(worker, 'SIGKILL')).toBe('SIGKILL');
    const killedAt = Date.now();
    await sleep(500);
    smtp.open();
    return killedAt;
  }

  /** A message arrives twice only when it was cut off by the kill: its row stayed 'sending' and was sent again after the lease. */
  function expectOnlyCutOffRepeated(ids: string[]): void {
    const arrivals = new Map<string, number>();
    for (const id of smtp.received) arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
    const repeated = ids.filter((id) => arrivals.get(id)! > 1).sort();
    const cutOff = ids.filter((id) => smtp.cutOff.has(id)).sort();
    expect(repeated).toEqual(cutOff);
    expect(Math.max(...ids.map((id) => arrivals.get(id)!))).toBeLessThanOrEqual(2);
    expect(ids.reduce((n, id) => n + arrivals.get(id)!, 0)).toBe(ids.length + cutOff.length);
  }

  it('the survivor sends everything due within seconds, and so does a sidecar restarted alone', { timeout: 240_000 }, async () => {
    // Two sidecars; the first is mid-send (a claimed batch waiting on SMTP) when it is killed.
    smtp.close();
    const first = await queueDue('two', 250);
    const a = await sidecars.start(env);
    await waitFor(
      async () => smtp.held(),
      (n) => n >= 5,
      30_000,
      'the first sidecar to be sending',
    );
    const b = await sidecars.start(env);
    const killedA = await killMidSend(a);
    const survivorMs = await everythingSent('two', first, killedA);
    console.info(`survivor sent everything ${survivorMs} ms after the kill (${smtp.cutOff.size} cut off)`);
    expect(survivorMs).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
    expect(smtp.cutOff.size).toBeGreaterThan(0); // the kill did land mid-send
    expectOnlyCutOffRepeated(first);

    // The survivor is killed mid-send too, and a new sidecar starts alone.
    smtp.close();
    const cutBefore = smtp.cutOff.size;
    const second = await queueDue('alone', 100);
    await waitFor(
      async () => smtp.held(),
      (n) => n >= 5,
      30_000,
      'the survivor to be sending',
    );
    const killedB = await killMidSend(b);
    const c = await sidecars.start(env);
    const readyAt = Date.now();
    const restartedMs = await everythingSent('alone', second, readyAt);
    console.info(
      `restarted sidecar sent everything ${restartedMs} ms after it was ready, ${Date.now() - killedB} ms after the kill (${smtp.cutOff.size - cutBefore} cut off)`,
    );
    expect(restartedMs).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
    expect(smtp.cutOff.size).toBeGreaterThan(cutBefore);
    expectOnlyCutOffRepeated(second);

    const [statuses] = await pool.query<RowDataPacket[]>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status');
    expect(statuses.map((r) => [r.status, Number(r.n)])).toEqual([['sent', 350]]);
    expect(await stopWorker(c, 'SIGTERM')).toBe(0);
  });

  it(
    'SIGTERM lets the batch in flight finish before the pool closes: nothing is left sending, nothing is sent twice',
    { timeout: 120_000 },
    async () => {
      smtp.close();
      const ids = await queueDue('term', 60);
      const worker = await sidecars.start(env);
      await waitFor(
        async () => smtp.held(),
        (n) => n >= 5,
        30_000,
        'the sidecar to be sending',
      );
      const exited = stopWorker(worker, 'SIGTERM');
      await sleep(500);
      smtp.open(); // the sends it is waiting on are answered while it stops
      expect(await exited).toBe(0);
      const [leftSending] = await pool.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key LIKE 'takeover:term:%' AND status = 'sending'",
      );
      expect(Number(leftSending[0]!.n)).toBe(0); // its whole claimed batch was recorded, none left to a lease
      expect(await sentRows('term')).toBeGreaterThan(0);

      await sidecars.start(env);
      await everythingSent('term', ids, Date.now());
      expect(ids.filter((id) => smtp.cutOff.has(id))).toEqual([]);
      expectOnlyCutOffRepeated(ids); // none cut off, so every message arrived exactly once
    },
  );
});
