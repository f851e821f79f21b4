import { randomUUID } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDueRows } from '../../sidecar/src/channels/channel-store.ts';
import { dispatchDue, type DispatchOptions } from '../../sidecar/src/channels/dispatch.ts';
import type { ChannelProvider, OutboxRow, ProviderDeps, UndeliverableRow } from '../../sidecar/src/channels/provider.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { enqueueMessage, type OutboxMessage } from '../../sidecar/src/messages/outbox.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { createShop } from './channel-runtime-setup.ts';
import { PUBLIC_URL, type Http } from './webhook-requests.ts';

/**
 * What every channel provider must do, run against each one (smtp.test.ts, dev-outbox.test.ts,
 * twilio.test.ts, whatsapp.test.ts) through the outbox dispatcher on MariaDB, with the provider
 * built from the registry and talking to a real SMTP server or a fake built from the recorded wire
 * formats. A property a provider does not have is declared with the reason, and shows as skipped.
 */

/** Why a property of the spec does not apply to a provider. */
export type NotApplicable = { notApplicable: string };

/** A refusal the harness can cause: `arrange` sets up the server, `message` changes the row. */
export type Refusal = {
  name: string;
  arrange?: () => void;
  message?: Partial<OutboxMessage>;
  /** The ChannelError code the row's last_error names. */
  code: string;
  /** The least wait before the next attempt, whatever the outbox's backoff (a provider's own rate answer). */
  minWaitMs?: number;
};

/** A delivery status the provider reports by webhook, and what it must make of it. */
export type StatusCase = {
  name: string;
  /** Posts the recorded webhook body for the message the provider sent as `providerMessageId`. */
  post(http: Http, providerMessageId: string): Promise<unknown>;
  /** The row's delivery_status and delivery_error afterwards. */
  status: string;
  error: RegExp | null;
  /** Whether the flow hears that the message will not arrive (its next channel may carry it). */
  tellsFlow: boolean;
};

export type ProviderHarness = {
  /** A new instance of the provider, built through the registry; a new one stands for a restarted sidecar. */
  create(): ChannelProvider;
  /** A message of the provider's channel that it delivers. */
  message(): Omit<OutboxMessage, 'shopId' | 'idempotencyKey'>;
  /** The message ids of what reached the provider's server, in order; null when nothing leaves the machine. */
  delivered: (() => string[]) | null;
  /**
   * The same row sent again after a crash (before its outcome was written): `same-id` answers the
   * same message id; `same-message-id` delivers again with the same Message-ID, so the duplicate is
   * recognisable; `delivered-again` is a second message (the provider has no idempotency key,
   * the outbox's lease is the only guard).
   */
  repeatedSend: 'same-id' | 'same-message-id' | 'delivered-again';
  permanent: Refusal[] | NotApplicable;
  retryable: Refusal[] | NotApplicable;
  statuses: StatusCase[] | NotApplicable;
  /** The pace the harness built the provider with. */
  pacing: { perSecond: number } | NotApplicable;
  /** A per-recipient limit the provider keeps itself: the next message to the same number waits. */
  perRecipient: { gapMs: number } | NotApplicable;
  close?(): Promise<void>;
};

function applies<T>(property: T | NotApplicable): property is T {
  return !(typeof property === 'object' && property !== null && 'notApplicable' in property);
}

/**
 * Registers `title` when the property applies. One that does not (SMTP has no status webhooks,
 * the dev outbox no pacing…) is no test at all: the harness says why, where the provider is built.
 */
function itWhen<T>(property: T | NotApplicable, title: string, test: (property: T) => Promise<void>, timeout?: number): void {
  if (applies(property)) it(title, () => test(property), timeout);
}

export function providerSpec(label: string, makeHarness: (deps: ProviderDeps) => Promise<ProviderHarness>): void {
  describe(`provider spec: ${label}`, async () => {
    const { database } = await createTestDatabase(`provider_${label}`);
    const pool = database.pool;
    const shopId = await createShop(pool);
    const undeliverable: UndeliverableRow[] = [];
    const deps: ProviderDeps = {
      pool,
      logger: createLogger('silent'),
      publicUrl: () => PUBLIC_URL,
      onUndeliverable: async (row) => void undeliverable.push(row),
    };
    const harness = await makeHarness(deps);
    const provider = harness.create();
    const { app } = testApp(database, { routers: provider.routes ? [provider.routes] : [] });
    const http: Http = () => request(app);
    afterAll(async () => {
      await provider.close();
      await harness.close?.();
    });
    beforeEach(async () => {
      await pool.query('DELETE FROM outbox');
      undeliverable.length = 0;
    });

    const queue = (overrides: Partial<OutboxMessage> = {}) =>
      enqueueMessage(pool, { ...harness.message(), idempotencyKey: `spec:${randomUUID()}`, shopId, ...overrides });
    const dispatch = (options: DispatchOptions = {}) => dispatchDue(pool, { [provider.channel]: provider }, options);
    const row = async (id: number) => (await pool.query<RowDataPacket[]>('SELECT * FROM outbox WHERE id = ?', [id]))[0][0]!;
    const deliveredCount = () => harness.delivered?.().length ?? 0;

    it('sends a row and records the message id the provider gave', async () => {
      const before = deliveredCount();
      const { id } = await queue();
      expect(await dispatch()).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0 });
      const sent = await row(id);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
      expect(String(sent.provider_message_id)).toMatch(/\S{8,}/);
      if (harness.delivered) expect(harness.delivered().slice(before)).toEqual([sent.provider_message_id]);
    });

    it('delivers a row once, however many dispatchers run at the same time and after', async () => {
      const before = deliveredCount();
      const { id } = await queue();
      const results = await Promise.all([dispatch(), dispatch(), dispatch()]);
      await dispatch();
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
      expect((await row(id)).status).toBe('sent');
      if (harness.delivered) expect(deliveredCount() - before).toBe(1);
    });

    const repeated = {
      'same-id': 'answers the same message id when the same row is sent again after a crash',
      'same-message-id': 'delivers a row sent again after a crash with the same Message-ID, so the duplicate is recognisable',
      'delivered-again': 'has no idempotency key: a row sent again after a crash goes out again (only the outbox lease guards)',
    }[harness.repeatedSend];
    it(repeated, async () => {
      await queue();
      const [claimed] = await claimDueRows(pool, { now: new Date(), limit: 1, leaseMs: 60_000, channels: [provider.channel] });
      const before = deliveredCount();
      const restarted = harness.create();
      try {
        const first = await provider.send(claimed!);
        const again = await restarted.send({ ...claimed!, attempts: claimed!.attempts + 1 });
        const ids = [first, again].map((outcome) => ('providerMessageId' in outcome ? outcome.providerMessageId : null));
        if (harness.repeatedSend === 'delivered-again') expect(ids[1]).not.toBe(ids[0]);
        else expect(ids[1]).toBe(ids[0]);
        if (harness.delivered) expect(harness.delivered().slice(before)).toEqual(ids);
      } finally {
        await restarted.close();
      }
    });

    itWhen(harness.permanent, 'fails a row the provider refuses for good, with the reason, and says so once', async (refusals) => {
      for (const refusal of refusals) {
        refusal.arrange?.();
        const { id } = await queue(refusal.message);
        const failed: Array<{ id: number; reason: string }> = [];
        expect(await dispatch({ onFailed: async (r, reason) => void failed.push({ id: r.id, reason }) }), refusal.name).toMatchObject({
          claimed: 1,
          failed: 1,
        });
        const stored = await row(id);
        expect(stored.status, refusal.name).toBe('failed');
        expect(String(stored.last_error), refusal.name).toMatch(new RegExp(`^permanent ${refusal.code}: `));
        expect(failed, refusal.name).toEqual([{ id, reason: stored.last_error }]);
      }
    });

    itWhen(harness.retryable, 'retries a row the provider refuses for now: not before its wait, and again then', async (refusals) => {
      // A short backoff, so that a provider's own longer wait shows.
      const backoff = () => 1_000;
      for (const refusal of refusals) {
        refusal.arrange?.();
        const { id } = await queue(refusal.message);
        const now = new Date();
        expect(await dispatch({ now, backoff }), refusal.name).toMatchObject({ claimed: 1, retried: 1 });
        const waiting = await row(id);
        expect(waiting, refusal.name).toMatchObject({ status: 'retry', attempts: 1 });
        expect(String(waiting.last_error), refusal.name).toMatch(new RegExp(`^retryable ${refusal.code}: `));
        const due = now.getTime() + Math.max(backoff(), refusal.minWaitMs ?? 0);
        expect((waiting.next_attempt_at as Date).getTime(), refusal.name).toBe(due);
        expect(await dispatch({ now: new Date(due - 1) }), refusal.name).toMatchObject({ claimed: 0 });
        expect(await dispatch({ now: new Date(due) }), refusal.name).toMatchObject({ claimed: 1, failed: 0 });
        // The refused attempt counts against a per-recipient gap (the provider cannot tell what
        // reached the customer): within the gap the row waits for it instead of going out.
        expect((await row(id)).status, refusal.name).toBe(applies(harness.perRecipient) ? 'pending' : 'sent');
      }
    });

    itWhen(harness.statuses, 'records the delivery statuses its webhooks report on the row', async (cases) => {
      for (const status of cases) {
        const { id } = await queue({ enrollmentId: 3, step: 1 });
        await dispatch();
        const sent = await row(id);
        await status.post(http, String(sent.provider_message_id));
        const reported = await row(id);
        expect(reported.delivery_status, status.name).toBe(status.status);
        if (status.error) expect(String(reported.delivery_error), status.name).toMatch(status.error);
        else expect(reported.delivery_error, status.name).toBeNull();
        const told = undeliverable.filter((u) => u.outboxId === id);
        expect(
          told.map((u) => [u.channel, u.enrollmentId, u.step]),
          status.name,
        ).toEqual(status.tellsFlow ? [[provider.channel, 3, 1]] : []);
      }
    });

    itWhen(
      harness.pacing,
      'keeps its pace: no more sends start in a second than it allows',
      async ({ perSecond }) => {
        // Past sends of this provider count against the window too; wait them out.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        for (let i = 0; i <= perSecond; i++) await queue();
        const started = Date.now();
        expect(await dispatch()).toMatchObject({ sent: perSecond + 1 });
        // perSecond sends at once, the one more a second after the first.
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      },
      10_000,
    );

    itWhen(
      harness.perRecipient,
      'postpones a second message to the same recipient within its gap: not sent, not failed',
      async ({ gapMs }) => {
        const before = deliveredCount();
        const message = harness.message();
        const first = await queue(message);
        const second = await queue(message);
        expect(await dispatch()).toEqual({ claimed: 2, sent: 1, retried: 1, failed: 0 });
        const rows = [await row(first.id), await row(second.id)];
        const done = rows.find((r) => r.status === 'sent')!;
        const held = rows.find((r) => r.status !== 'sent')!;
        expect(held).toMatchObject({ status: 'pending', attempts: 0, provider_message_id: null });
        expect((held.next_attempt_at as Date).getTime()).toBeGreaterThanOrEqual((done.sent_at as Date).getTime() + gapMs);
        if (harness.delivered) expect(deliveredCount() - before).toBe(1);
      },
    );
  });
}

/** A claimed row of `message`, for tests that call a provider directly. */
export function rowOf(message: Omit<OutboxMessage, 'shopId' | 'idempotencyKey'> & Partial<OutboxMessage>, id = 1): OutboxRow {
  return {
    id,
    shopId: message.shopId ?? 1,
    enrollmentId: null,
    step: null,
    channel: message.channel ?? 'email',
    attempts: 1,
    message: {
      to: message.to,
      from: message.from,
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      subject: message.subject,
      html: message.html,
      text: message.text,
      headers: message.headers ?? {},
      idempotencyKey: message.idempotencyKey ?? `direct:${randomUUID()}`,
    },
    payload: message.payload ?? null,
  };
}
