import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailChannel, EmailMessage } from '../../sidecar/src/channels/channel.ts';
import { unsubscribeHeaders } from '../../sidecar/src/channels/unsubscribe-headers.ts';
import { decodedBodies, parseRaw } from './smtp-server.ts';

export type ChannelHarness = {
  channel: EmailChannel;
  /** Raw messages as received, for channels that deliver somewhere this test can read. */
  received?: () => string[];
  close?: () => Promise<void>;
};

const UNSUBSCRIBE = unsubscribeHeaders(
  'https://reminders.example.test/u/7c1e9a52f0b34d6e7c1e9a52f0b34d6e',
  'unsubscribe@reminders.example.test?subject=unsub-7c1e9a52f0b34d6e7c1e9a52f0b34d6e',
);

export function sampleMessage(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    to: 'customer@example.test',
    from: 'Shop <shop@reminders.example.test>',
    replyTo: 'help@shop.example.test',
    subject: 'Your order 1234 is waiting for payment',
    html: '<p>Hello Ana, <a href="https://shop.example.test/pay/1234">pay order 1234</a>.</p>',
    text: 'Hello Ana, pay order 1234: https://shop.example.test/pay/1234',
    headers: { ...UNSUBSCRIBE },
    idempotencyKey: `spec:${randomUUID()}`,
    ...overrides,
  };
}

/** What every email channel must do. */
/** `delivers`: the adapter hands messages to a server the test can read (dev-outbox does not). */
export function channelSpec(name: string, makeHarness: () => Promise<ChannelHarness>, options: { delivers: boolean }): void {
  describe(`email channel spec: ${name}`, () => {
    let harness: ChannelHarness;
    beforeAll(async () => {
      harness = await makeHarness();
    });
    afterAll(async () => {
      await harness.channel.close?.();
      await harness.close?.();
    });

    it('sends and returns a provider message id', async () => {
      const { providerMessageId } = await harness.channel.send(sampleMessage());
      expect(providerMessageId).toMatch(/\S{8,}/);
      expect(harness.channel.id).toBe(name);
    });

    it('gives the same id for the same idempotency key and another for another key', async () => {
      const message = sampleMessage();
      const first = await harness.channel.send(message);
      const again = await harness.channel.send({ ...message });
      const other = await harness.channel.send(sampleMessage());
      expect(again.providerMessageId).toBe(first.providerMessageId);
      expect(other.providerMessageId).not.toBe(first.providerMessageId);
    });

    if (options.delivers) it('delivers what the customer should see, with one-line unsubscribe headers', async () => {
      if (!harness.received) throw new Error(`${name} delivers, but its harness exposes nothing received`);
      const message = sampleMessage();
      const before = harness.received!().length;
      const { providerMessageId } = await harness.channel.send(message);
      await harness.channel.send({ ...message });
      const [first, second] = harness.received!().slice(before);
      const raw = parseRaw(first!);
      expect(raw.headers.get('subject')).toEqual([message.subject]);
      expect(raw.headers.get('to')).toEqual([message.to]);
      expect(raw.headers.get('reply-to')).toEqual([message.replyTo]);
      const bodies = await decodedBodies(first!);
      expect(bodies.text.trim()).toBe(message.text.trim());
      expect(bodies.html).toContain(message.html);
      expect(raw.body).toMatch(/Content-Type: text\/plain/i);
      expect(raw.body).toMatch(/Content-Type: text\/html/i);
      expect(raw.headerLines).toContain(`List-Unsubscribe: ${UNSUBSCRIBE['List-Unsubscribe']}`);
      expect(raw.headerLines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(raw.headers.get('message-id')).toEqual([providerMessageId]);
      // The resend after a "crash" is recognisable as the same message.
      expect(parseRaw(second!).headers.get('message-id')).toEqual([providerMessageId]);
    });
  });
}
