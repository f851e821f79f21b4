import request from 'supertest';
import { fileURLToPath } from 'node:url';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { loyaltyRoutes } from '../../sidecar/src/loyalty/loyalty-routes.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { runCommand } from '../helpers/processes.ts';
import { listening } from './nps-fixtures.ts';

const TOKEN = 'admin-token-for-event-cli-tests-0123456789';
const SECRET = 'shared-secret-for-event-cli-tests-0123456789';
const SHOP_URL = 'https://cli.example.test';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../sidecar/src/loyalty/event-cli.ts', import.meta.url));
const tsxLoader = fileURLToPath(import.meta.resolve('tsx'));

/** The command as a child process, with `stdin` piped in when given. */
const run = (command: string, args: string[], stdin?: string, env: Record<string, string> = {}) =>
  runCommand(command, args, { cwd: ROOT, stdin, env });
const cli = (args: string[], stdin?: string, env?: Record<string, string>) =>
  run(process.execPath, ['--import', tsxLoader, CLI, ...args], stdin, env);

/** `npm run event` against a real listening sidecar app, by admin token and signed as the plugin signs. */
describe('the event CLI', async () => {
  const { database } = await createTestDatabase('event_cli');
  const pool = database.pool;
  const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [loyaltyRoutes({ pool })] })] });
  const sidecar = await listening(app);
  let shopId = 0;
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
      SHOP_URL,
      'CLI Shop',
      SECRET,
    ]);
    shopId = r.insertId;
  });
  afterAll(() => sidecar.close());
  const byToken = () => ['--url', sidecar.url, '--shop-id', String(shopId), '--token', TOKEN];
  const stored = async (sourceId: string) =>
    (
      await pool.query<RowDataPacket[]>('SELECT type, customer_key, payload FROM loyalty_events WHERE shop_id = ? AND source_id = ?', [
        shopId,
        sourceId,
      ])
    )[0];

  it('sends an event built from flags with the admin token; numbers only where the event wants one', async () => {
    const fields = ['voucher.code=2024', 'voucher.value=20', 'voucher.expiresAt=2027-01-01T00:00:00Z'];
    const sent = await cli([
      ...byToken(),
      '--type',
      'voucher.issued',
      '--email',
      'A@B.example',
      '--id',
      'cli-1',
      ...fields.flatMap((f) => ['--field', f]),
    ]);
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(sent.stdout).results).toEqual([{ id: 'cli-1', status: 'created', eventId: expect.any(Number) }]);
    const [row] = await stored('cli-1');
    expect(row).toMatchObject({ type: 'voucher.issued', customer_key: 'a@b.example' });
    expect(JSON.parse(row!.payload).voucher).toEqual({ code: '2024', value: 20, kind: 'amount', expiresAt: '2027-01-01T00:00:00Z' });
    const again = await cli([
      ...byToken(),
      '--type',
      'voucher.redeemed',
      '--email',
      'a@b.example',
      '--id',
      'cli-1',
      '--field',
      'voucher.code=2024',
    ]);
    expect(JSON.parse(again.stdout).results[0].status).toBe('duplicate');
  });

  it('signs the request as the plugin does, reading a batch from stdin with --json -', async () => {
    const body = {
      events: [
        { id: 'cli-2', type: 'points.balance', email: 'c@d.example', points: 42 },
        { id: 'cli-3', type: 'birthday', phone: '+48500000003', birthday: '12-24' },
      ],
    };
    const sent = await cli(['--url', sidecar.url, '--shop-url', SHOP_URL, '--secret', SECRET, '--json', '-'], JSON.stringify(body));
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(sent.stdout).results.map((r: { status: string }) => r.status)).toEqual(['created', 'created']);
    expect((await stored('cli-3'))[0]).toMatchObject({ type: 'birthday', customer_key: '+48500000003' });
    const [[profile]] = (await pool.query('SELECT points FROM customer_profiles WHERE shop_id = ? AND customer_key = ?', [
      shopId,
      'c@d.example',
    ])) as unknown as [[RowDataPacket]];
    expect(profile.points).toBe('42.00');
  });

  it('takes the token or the secret from the environment, so they stay out of the process list', async () => {
    const byEnvToken = await cli(
      ['--url', sidecar.url, '--shop-id', String(shopId), '--type', 'nps.request', '--email', 'env@example.test', '--id', 'cli-env-1'],
      undefined,
      { COMEBACK_ADMIN_TOKEN: TOKEN },
    );
    expect(byEnvToken).toMatchObject({ code: 0, stderr: '' });
    const byEnvSecret = await cli(
      ['--url', sidecar.url, '--shop-url', SHOP_URL, '--type', 'nps.request', '--email', 'env@example.test', '--id', 'cli-env-2'],
      undefined,
      { COMEBACK_SHARED_SECRET: SECRET },
    );
    expect(byEnvSecret).toMatchObject({ code: 0, stderr: '' });
    expect((await stored('cli-env-2'))[0]).toMatchObject({ type: 'nps.request' });
    const none = await cli(
      ['--url', sidecar.url, '--shop-id', String(shopId), '--type', 'nps.request', '--email', 'env@example.test'],
      undefined,
      { COMEBACK_ADMIN_TOKEN: '' },
    );
    expect(none.code).toBe(2);
  });

  it('signs with the shop’s events key from the environment, the least a program needs', async () => {
    const { eventsKey } = (
      await request(sidecar.url)
        .get('/api/settings/loyalty')
        .set('authorization', `Bearer ${TOKEN}`)
        .set('x-comeback-shop-id', String(shopId))
        .expect(200)
    ).body;
    const sent = await cli(
      ['--url', sidecar.url, '--shop-id', String(shopId), '--type', 'nps.request', '--email', 'key@example.test', '--id', 'cli-key-1'],
      undefined,
      { COMEBACK_EVENTS_KEY: eventsKey, COMEBACK_ADMIN_TOKEN: '' },
    );
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect((await stored('cli-key-1'))[0]).toMatchObject({ type: 'nps.request' });
  });

  it('exits 1 with the server’s reason on stderr: a wrong secret, an invalid event', async () => {
    const wrong = await cli([
      '--url',
      sidecar.url,
      '--shop-url',
      SHOP_URL,
      '--secret',
      'not-the-secret',
      '--type',
      'nps.request',
      '--email',
      'e@f.example',
    ]);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toContain('401 unauthorized: signature does not match');
    const invalid = await cli([...byToken(), '--type', 'birthday', '--email', 'e@f.example', '--id', 'cli-4', '--field', 'birthday=02-30']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^400 invalid_event: .*\n {2}0: birthday: a real date/);
    expect(await stored('cli-4')).toEqual([]);
  });

  it.each([
    [[], '--url is required'],
    [
      ['--url', 'http://127.0.0.1:9', '--token', 't', '--type', 'nps.request', '--email', 'a@b.example'],
      '--shop-id (a number) needs the events key',
    ],
    [
      [
        '--url',
        'http://127.0.0.1:9',
        '--shop-id',
        '1',
        '--token',
        't',
        '--shop-url',
        SHOP_URL,
        '--secret',
        's',
        '--type',
        'profile',
        '--email',
        'a@b.example',
      ],
      'either --shop-id and the events key (or the admin token) or',
    ],
    [
      ['--url', 'http://127.0.0.1:9', '--shop-id', '1', '--token', 't', '--type', 'stamps', '--email', 'a@b.example'],
      'unknown --type stamps',
    ],
    [
      [
        '--url',
        'http://127.0.0.1:9',
        '--shop-id',
        '1',
        '--token',
        't',
        '--type',
        'points.balance',
        '--email',
        'a@b.example',
        '--field',
        'points=lots',
      ],
      '--field points wants a number',
    ],
    [
      [
        '--url',
        'http://127.0.0.1:9',
        '--shop-id',
        '1',
        '--token',
        't',
        '--type',
        'profile',
        '--email',
        'a@b.example',
        '--field',
        'firstName',
      ],
      '--field wants PATH=VALUE',
    ],
    [['--url', 'http://127.0.0.1:9', '--shop-id', '1', '--token', 't', '--json', '{nope'], '--json is not valid JSON'],
    [['--url', 'http://127.0.0.1:9', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 with the usage for %j', async (args, reason) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('usage: npm run --silent event --');
  });

  it('runs as `npm run event`', async () => {
    const result = await run('npm', [
      'run',
      '--silent',
      'event',
      '--',
      ...byToken(),
      '--type',
      'portal.link',
      '--email',
      'g@h.example',
      '--id',
      'cli-5',
      '--field',
      'url=https://club.example.test/g',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect((await stored('cli-5'))[0]).toMatchObject({ type: 'portal.link', customer_key: 'g@h.example' });
  });
});
