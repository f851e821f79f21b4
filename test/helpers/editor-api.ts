import type { Router } from 'express';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import request from 'supertest';
import { beforeAll } from 'vitest';
import { campaignRoutes } from '../../sidecar/src/campaigns/campaign-routes.ts';
import { flowRoutes } from '../../sidecar/src/flows/admin/flow-routes.ts';
import { recoveryRoutes } from '../../sidecar/src/flows/admin/recovery-routes.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { segmentRoutes } from '../../sidecar/src/segments/segment-routes.ts';
import { testApp } from './app.ts';
import { createTestDatabase } from './database.ts';

const TOKEN = 'admin-token-for-editor-tests-0123456789';

/**
 * The editors' save paths (flows, the recovery form, campaigns, segments) over the admin API, for one
 * shop in a database of its own: `admin(method, path, language?)` is a request as the admin UI sends
 * it, with that Accept-Language when given (none by default: English), and `token` instead of
 * the admin token when given. `moreRoutes` mounts other routes about the shop beside the editors'.
 */
export async function editorApi(label: string, moreRoutes: (pool: Pool) => Router[] = () => []) {
  const { database } = await createTestDatabase(label);
  const pool = database.pool;
  const { app } = testApp(database, {
    routers: [
      adminApi({
        pool,
        adminToken: TOKEN,
        shopRoutes: [
          flowRoutes({ pool, channels: () => ({ email: true, sms: true, whatsapp: false }) }),
          recoveryRoutes({ pool }),
          campaignRoutes({ pool }),
          segmentRoutes({ pool }),
          ...moreRoutes(pool),
        ],
      }),
    ],
  });
  const shop = { id: 0 };
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [
      'https://shop.example.test',
      's',
    ]);
    shop.id = r.insertId;
  });
  const admin = (method: 'get' | 'put' | 'post', path: string, language?: string, token = TOKEN) => {
    const req = request(app)[method](path).set('authorization', `Bearer ${token}`).set('x-comeback-shop-id', String(shop.id));
    return language ? req.set('accept-language', language) : req;
  };
  return { pool, app, admin, shopId: () => shop.id, token: TOKEN };
}
