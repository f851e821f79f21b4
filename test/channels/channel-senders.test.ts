import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestSidecar } from '../helpers/sidecar.ts';

const TOKEN = 'admin-token-for-channel-senders-tests-0123456789';

/**
 * GET /api/channels tells the merchant who sends each channel and whether customers get it: the
 * dev outbox keeps everything on the machine, a channel without a provider is not set up.
 */
describe('who sends each channel', async () => {
  const { database, url } = await createTestDatabase('channel_senders');
  const [shop] = await database.pool.query<import('mysql2/promise').ResultSetHeader>(
    "INSERT INTO shops (url, webhook_secret, timezone) VALUES ('https://senders.example.test', 's', 'UTC')",
  );
  const channels = async (env: Record<string, string>) => {
    const sidecar = await startTestSidecar(url, { env: { COMEBACK_ADMIN_TOKEN: TOKEN, ...env } });
    try {
      return (
        await request(sidecar.url)
          .get('/api/channels')
          .set('authorization', `Bearer ${TOKEN}`)
          .set('x-comeback-shop-id', String(shop.insertId))
          .expect(200)
      ).body;
    } finally {
      await sidecar.stop();
    }
  };

  it('says the dev outbox reaches no customer', async () => {
    expect(await channels({})).toEqual({
      email: { provider: 'dev-outbox', reachesCustomers: false },
      sms: { provider: 'dev-outbox', reachesCustomers: false },
      whatsapp: { provider: 'dev-outbox', reachesCustomers: false },
    });
  });

  it('names the mail server and says SMS and WhatsApp are not set up without their keys', async () => {
    expect(await channels({ COMEBACK_SMTP_URL: 'smtp://u:p@127.0.0.1:2525', COMEBACK_MAIL_FROM: 'Shop <shop@example.test>' })).toEqual({
      email: { provider: 'smtp', reachesCustomers: true },
      sms: null,
      whatsapp: null,
    });
  });
});
