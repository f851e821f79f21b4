import { __ } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody, validQuery } from '../http/json-body.ts';
import { MESSAGE_CHANNELS } from '../messages/message-channel.ts';
import {
  campaignAudience,
  type Campaign,
  campaignSchema,
  cancelCampaign,
  createCampaign,
  launchDueCampaigns,
  listCampaigns,
  noCampaign,
  scheduleCampaign,
  updateCampaign,
} from './campaigns.ts';

/** GET /api/campaigns. */
export type CampaignList = { items: Campaign[] };

const list = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : [],
    )
    .pipe(z.array(z.string().max(64)).max(max));
const audienceQuery = z.object({
  tags: list(20),
  excludeTags: list(20),
  channels: list(3)
    .pipe(z.array(z.enum(MESSAGE_CHANNELS)))
    .transform((c) => (c.length ? c : [...MESSAGE_CHANNELS])),
  holdOutPercent: z.coerce.number().int().min(0).max(50).default(0),
});
const scheduleBody = z.object({ sendAt: z.iso.datetime({ offset: true }) });
const idOf = (req: AdminRequest) => {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0) throw AppError.notFound(__('no such campaign', 'comeback'));
  return id;
};

/**
 * /api/campaigns: one-off broadcasts to segments. GET lists them with what they did; POST and PUT
 * take { name, tags, excludeTags, sendAt, perMinute, holdOutPercent, sendWindow, step } (texts
 * checked like a flow's, 400 naming step.email.body with line and column); GET /audience?tags=
 * &channels= counts who it would reach before it goes; /:id/schedule and /:id/cancel.
 */
export function campaignRoutes(deps: { pool: Pool; clock?: () => Date; onLaunched?: () => void }): Router {
  const { pool } = deps;
  const clock = deps.clock ?? (() => new Date());
  const router = Router();
  // A campaign due now is launched at once rather than at the next minute's job.
  const launchIfDue = async () => {
    if ((await launchDueCampaigns(pool, clock())) > 0) deps.onLaunched?.();
  };
  const one = async (shopId: number, id: number) => {
    const [campaign] = await listCampaigns(pool, shopId, id);
    if (!campaign) throw noCampaign(id);
    return campaign;
  };
  router.get('/campaigns', async (req: AdminRequest, res) => {
    res.json({ items: await listCampaigns(pool, req.shopId!) } satisfies CampaignList);
  });
  router.get('/campaigns/audience', async (req: AdminRequest, res) => {
    const q = validQuery(req, audienceQuery);
    res.json(await campaignAudience(pool, req.shopId!, { tags: q.tags, excludeTags: q.excludeTags }, q.channels, q.holdOutPercent));
  });
  router.post('/campaigns', async (req: AdminRequest, res) => {
    const id = await createCampaign(pool, req.shopId!, validBody(req, campaignSchema, 'invalid_campaign'));
    await launchIfDue();
    res.status(201).json(await one(req.shopId!, id));
  });
  router.get('/campaigns/:id', async (req: AdminRequest, res) => {
    res.json(await one(req.shopId!, idOf(req)));
  });
  router.put('/campaigns/:id', async (req: AdminRequest, res) => {
    const id = idOf(req);
    await updateCampaign(pool, req.shopId!, id, validBody(req, campaignSchema, 'invalid_campaign'));
    await launchIfDue();
    res.json(await one(req.shopId!, id));
  });
  router.post('/campaigns/:id/schedule', async (req: AdminRequest, res) => {
    const id = idOf(req);
    await scheduleCampaign(pool, req.shopId!, id, new Date(validBody(req, scheduleBody, 'invalid_schedule').sendAt));
    await launchIfDue();
    res.json(await one(req.shopId!, id));
  });
  router.post('/campaigns/:id/cancel', async (req: AdminRequest, res) => {
    const id = idOf(req);
    await cancelCampaign(pool, req.shopId!, id, clock());
    res.json(await one(req.shopId!, id));
  });
  return router;
}
