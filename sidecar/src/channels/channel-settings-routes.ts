import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody } from '../http/json-body.ts';
import { sendBudgetsOn } from './send-budget-store.ts';
import { loadSellingCountries, type SellingCountries } from '../woo/selling-countries.ts';
import { budgetDay, loadSendLimits, saveSendLimits, sendLimitsSchema, type SendLimits } from './send-limits.ts';

/** GET /api/settings/channels: the limits, where the shop sells (read only), and today's use. */
export type ChannelSettings = SendLimits & {
  sellingCountries: SellingCountries | null;
  today: { day: string; sms: { used: number; held: number }; whatsapp: { used: number; held: number } };
};

/**
 * GET/PUT /api/settings/channels: the shop's SMS and WhatsApp abuse limits (send-limits.ts) —
 * messages a day per channel and the destination countries (null: where the shop sells) — with
 * what today used and held back.
 */
export function channelSettingsRoutes(deps: { pool: Pool; clock?: () => Date }): Router {
  const { pool } = deps;
  const router = Router();
  const answer = async (shopId: number): Promise<ChannelSettings> => {
    const { day } = budgetDay(deps.clock?.() ?? new Date());
    const used = await sendBudgetsOn(pool, shopId, day);
    const of = (channel: string) => {
      const row = used.find((u) => u.channel === channel);
      return { used: row?.used ?? 0, held: row?.held ?? 0 };
    };
    return {
      ...(await loadSendLimits(pool, shopId)),
      sellingCountries: await loadSellingCountries(pool, shopId),
      today: { day, sms: of('sms'), whatsapp: of('whatsapp') },
    };
  };
  router.get('/settings/channels', async (req: AdminRequest, res) => {
    res.json(await answer(req.shopId!));
  });
  router.put('/settings/channels', async (req: AdminRequest, res) => {
    await saveSendLimits(pool, req.shopId!, validBody(req, sendLimitsSchema, 'invalid_settings'));
    res.json(await answer(req.shopId!));
  });
  return router;
}
