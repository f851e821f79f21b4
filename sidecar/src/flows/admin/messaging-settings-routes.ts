import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validBody } from '../../http/json-body.ts';
import { saveDocument } from '../../woo/shop-profile.ts';
import { loadMessagingSettings, messagingSettingsSchema } from '../steps/messaging-settings.ts';

/** GET/PUT /api/settings/messaging: the frequency cap across a shop's flows. */
export function messagingSettingsRoutes(deps: { pool: Pool }): Router {
  const { pool } = deps;
  const router = Router();
  router.get('/settings/messaging', async (req: AdminRequest, res) => {
    res.json(await loadMessagingSettings(pool, req.shopId!));
  });
  router.put('/settings/messaging', async (req: AdminRequest, res) => {
    await saveDocument(
      pool,
      req.shopId!,
      'messaging',
      messagingSettingsSchema,
      validBody(req, messagingSettingsSchema, 'invalid_settings'),
    );
    res.json(await loadMessagingSettings(pool, req.shopId!));
  });
  return router;
}
