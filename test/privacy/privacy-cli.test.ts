import { fileURLToPath } from 'node:url';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { privacyRoutes } from '../../sidecar/src/privacy/privacy-routes.ts';
import { shopClients } from '../../sidecar/src/woo/shop-clients.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { runCommand } from '../helpers/processes.ts';
import { LOCAL_NET } from '../fakes/fake-woo-shop.ts';
import { grantConsent } from '../helpers/consent.ts';
import { listening } from '../loyalty/nps-fixtures.ts';

const TOKEN = 'admin-token-for-privacy-cli-tests-0123456789';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../sidecar/src/privacy/privacy-cli.ts', import.meta.url));
const tsxLoader = fileURLToPath(import.meta.resolve('tsx'));

const cli = (args: string[], env: Record<string, string>) =>
  runCommand(process.execPath, ['--import', tsxLoader, CLI, ...args], { cwd: ROOT, env });

/** `npm run privacy -- export|erase` for a shop without WordPress, against a listening sidecar app. */
describe('the privacy CLI', async () => {
  const { database } = await createTestDatabase('privacy_cli');
  const pool = database.pool;
  const { app } = testApp(database, {
    routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [privacyRoutes({ pool, wooClient: shopClients(pool, LOCAL_NET) })] })],
  });
  const server = await listening(app);
  afterAll(() => server.close());
  const [shop] = await pool.query<ResultSetHeader>("INSERT INTO shops (url, webhook_secret) VALUES ('https://cli.example.test', 's')");
  const shopId = String(shop.insertId);
  await grantConsent(pool, shop.insertId, {
    purpose: 'cart',
    channel: 'sms',
    address: '+48500000001',
    source: 'checkout',
    text: 'Texts, yes',
  });
  const env = { COMEBACK_ADMIN_TOKEN: TOKEN };

  it('exports the person as one JSON document, then erases them', async () => {
    const exported = await cli(['export', '--shop', shopId, '--phone', '500 000 001', '--country', 'PL', '--url', server.url], env);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const { groups } = JSON.parse(exported.stdout) as { groups: Record<string, Array<{ fields: Array<{ name: string; value: string }> }>> };
    expect(groups.Consents![0]!.fields).toEqual(expect.arrayContaining([{ name: 'Wording agreed to', value: 'Texts, yes' }]));

    const erased = await cli(['erase', '--shop', shopId, '--phone', '+48500000001', '--url', server.url], env);
    expect(erased.code).toBe(0);
    // The consent and its one history line.
    expect(JSON.parse(erased.stdout)).toEqual({ itemsRemoved: 2, itemsRetained: 0, messages: [] });
    for (const table of ['consents', 'consent_log'])
      expect((await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0][0]!.n, table).toBe(0);
  });

  it('says what is wrong: usage (2), a refusal or no token (1 / 2)', async () => {
    expect((await cli(['forget', '--shop', shopId, '--email', 'a@b.test'], env)).code).toBe(2);
    expect((await cli(['export', '--shop', shopId, '--email', 'a@b.test', '--url', server.url], {})).stderr).toContain(
      'COMEBACK_ADMIN_TOKEN',
    );
    const refused = await cli(['export', '--shop', shopId, '--email', 'no address', '--url', server.url], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('400 invalid_privacy_request: Name the person by an email address or a phone number.');
  });
});
