import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createDevOutboxProvider } from '../../sidecar/src/channels/dev-outbox/dev-outbox-provider.ts';
import { devOutboxRoutes } from '../../sidecar/src/channels/dev-outbox/dev-outbox-routes.ts';
import { dispatchDue } from '../../sidecar/src/channels/dispatch.ts';
import { createProvider } from '../../sidecar/src/channels/registry.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { providerSpec } from './provider-spec.ts';
import { sampleEmail, sampleSms, sampleWhatsApp } from './sample-messages.ts';

/** Nothing leaves the machine: no server to see a delivery, nothing to refuse for a while, no webhooks. */
const NOTHING_LEAVES = {
  delivered: null,
  repeatedSend: 'same-id',
  retryable: { notApplicable: 'nothing leaves the machine, so nothing is refused for a while' },
  statuses: { notApplicable: 'nothing leaves the machine, so nothing reports back' },
} as const;

providerSpec('dev-outbox email', async (deps) => ({
  ...NOTHING_LEAVES,
  create: () => createProvider({ provider: 'dev-outbox', settings: { channel: 'email' } }, deps),
  message: () => sampleEmail(),
  permanent: { notApplicable: 'the dev outbox takes every email: nothing leaves the machine' },
  pacing: { notApplicable: 'email has no configured pace' },
  perRecipient: { notApplicable: 'email has no per-recipient limit' },
}));

/** The dev outbox keeps the SMS rules: a number that takes no SMS or an empty text fails, at the SMS pace. */
providerSpec('dev-outbox sms', async (deps) => ({
  ...NOTHING_LEAVES,
  create: () => createProvider({ provider: 'dev-outbox', settings: { channel: 'sms', perSecond: 2 } }, deps),
  message: () => sampleSms(),
  permanent: [
    { name: 'not a number that takes SMS', message: { to: '500 000 001' }, code: 'invalid_number' },
    { name: 'no text', message: { text: '  ' }, code: 'rejected' },
  ],
  pacing: { perSecond: 2 },
  perRecipient: { notApplicable: 'SMS has no per-recipient limit' },
}));

/** The dev outbox keeps the WhatsApp rules: the 24-hour window decides text or template, the pair rate postpones. */
providerSpec('dev-outbox whatsapp', async (deps) => ({
  ...NOTHING_LEAVES,
  create: () => createProvider({ provider: 'dev-outbox', settings: { channel: 'whatsapp', perSecond: 2 } }, deps),
  message: () => sampleWhatsApp(),
  permanent: [
    { name: 'outside the 24-hour window with no template', message: { payload: null }, code: 'use_next_channel' },
    { name: 'not a phone number', message: { to: 'call me' }, code: 'invalid_number' },
  ],
  pacing: { perSecond: 2 },
  perRecipient: { gapMs: 6_000 },
}));

describe('dev outbox pages', async () => {
  const { database } = await createTestDatabase('dev_outbox');
  const pool = database.pool;
  const app = express().use(devOutboxRoutes({ pool, open: true, adminToken: undefined }));
  const hostile = `<script>alert("x")</script> & "quotes"`;
  const { id } = await enqueueMessage(pool, {
    idempotencyKey: 'dev-outbox-page',
    shopId: 1,
    to: 'ana+<b>@example.test',
    from: 'Shop <shop@example.test>',
    subject: hostile,
    html: `<p onclick="x">Hello</p>"><script>top.location='https://evil.test'</script>`,
    text: 'Hello </pre><script>1</script>',
    headers: { 'List-Unsubscribe': '<https://x.test/u/a>' },
  });
  await dispatchDue(pool, { email: createDevOutboxProvider({ channel: 'email' }, { pool }) });

  it('lists the row with everything escaped', async () => {
    const res = await request(app).get('/dev/outbox').expect(200);
    expect(res.type).toBe('text/html');
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#34;quotes&#34;');
    expect(res.text).toContain('ana+&#60;b&#62;@example.test');
    expect(res.text).toContain(`href="/dev/outbox/${id}"`);
    expect(res.text).toContain('sent');
  });

  it('shows one message: html in a sandboxed srcdoc iframe, the text, the headers', async () => {
    const res = await request(app).get(`/dev/outbox/${id}`).expect(200);
    expect(res.text).not.toContain('<script>');
    expect(res.text).toMatch(/<iframe sandbox="" [^>]*srcdoc="&#60;p onclick=&#34;x&#34;&#62;Hello&#60;\/p&#62;&#34;&#62;&#60;script&#62;/);
    expect(res.text).toContain('Hello &#60;/pre&#62;&#60;script&#62;1&#60;/script&#62;');
    expect(res.text).toContain('&#60;https://x.test/u/a&#62;');
    expect(res.text).toMatch(/dev-[0-9a-f]{24}/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('answers 404 for an unknown or malformed id', async () => {
    await request(app).get('/dev/outbox/999999').expect(404);
    const res = await request(app).get('/dev/outbox/%3Cb%3E').expect(404);
    expect(res.text).not.toContain('<b>');
  });
});
