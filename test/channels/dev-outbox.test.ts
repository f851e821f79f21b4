import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createDevOutboxChannel } from '../../sidecar/src/channels/dev-outbox.ts';
import { devOutboxRouter } from '../../sidecar/src/channels/dev-outbox-routes.ts';
import { dispatchDue, enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { channelSpec } from './channel-spec.ts';

channelSpec('dev-outbox', async () => ({ channel: createDevOutboxChannel() }), { delivers: false });

describe('dev outbox pages', async () => {
  const { database } = await createTestDatabase('dev_outbox');
  const pool = database.pool;
  const app = express().use(devOutboxRouter(pool));
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
  await dispatchDue(pool, createDevOutboxChannel());

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
