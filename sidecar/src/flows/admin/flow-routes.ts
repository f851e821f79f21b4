import { __, _n, sprintf } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validate, validBody } from '../../http/json-body.ts';
import { exitOnCustomEvent } from '../entry/enrollment.ts';
import { checkedFlowDefinitionSchema, type FlowDefinition } from '../definition/flow-definition.ts';
import { flowTemplateErrors, type FieldError, type ShopTextFacts } from '../definition/flow-texts.ts';
import { shopTextFacts } from '../definition/shop-text-facts.ts';
import {
  FLOW_KEY,
  FlowVersionConflict,
  listFlows,
  listFlowVersions,
  loadFlow,
  saveFlow,
  setFlowEnabled,
  deleteUnusedFlow,
  isPreset,
  type FlowVersion,
  type StoredFlow,
} from '../definition/flow-store.ts';

export type { FieldError };
export type ChannelsConfigured = { email: boolean; sms: boolean; whatsapp: boolean };
/** GET /api/flows: the shop's flows (campaigns' not among them) and which channels are set up. */
export type FlowList = { flows: StoredFlow[]; channels: ChannelsConfigured };
/** GET /api/flows/:key: the flow and every version saved, newest first. */
export type FlowDetail = StoredFlow & { versions: FlowVersion[] };

/** Parses and checks a definition as a save would: 400 naming every field, then every template problem (with the shop's facts when given). */
export function validFlowDefinition(input: unknown, shop?: ShopTextFacts): FlowDefinition {
  const parsed = validate(checkedFlowDefinitionSchema, input, 'invalid_flow', __('the flow is not valid', 'comeback'));
  const errors = flowTemplateErrors(parsed, shop);
  if (errors.length) {
    // translators: %d: how many problems.
    const message = sprintf(
      _n("%d problem in the flow's texts", "%d problems in the flow's texts", errors.length, 'comeback'),
      errors.length,
    );
    throw AppError.badRequest('invalid_template', message, errors);
  }
  return parsed;
}

/** A campaign's flow is made and changed with its campaign (/api/campaigns), never as a flow of its own. */
function notACampaign(flow: FlowDefinition): FlowDefinition {
  if (flow.trigger.event === 'campaign') {
    throw AppError.badRequest('invalid_flow', __('a campaign is made on the Campaigns screen', 'comeback'), [
      { field: 'trigger.event', message: __('a flow cannot be started by a campaign; create a campaign instead', 'comeback') },
    ]);
  }
  return flow;
}

const saveBody = z.object({ definition: z.unknown(), enabled: z.boolean(), expectedVersion: z.number().int().min(0).optional() });
const createBody = z.object({
  key: z.string().regex(FLOW_KEY, { error: () => __('lower-case letters, digits and dashes', 'comeback') }),
  definition: z.unknown(),
  enabled: z.boolean().default(false),
});
const customEvent = z
  .object({
    event: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
    email: z.string().email().optional(),
    phone: z.string().min(3).max(32).optional(),
  })
  .refine((b) => b.email || b.phone, { message: 'name the customer by email or phone' });

/**
 * /api/flows: the shop's flows (presets and its own) with their versions; a save validates the
 * whole definition and every text and stores a new version (running enrollments keep theirs);
 * POST /flows/:key/delete removes a copy nobody entered.
 */
export function flowRoutes(deps: {
  pool: Pool;
  channels: () => ChannelsConfigured;
  onSaved?: (shopId: number, key: string) => Promise<void>;
}): Router {
  const { pool } = deps;
  const router = Router();
  router.get('/flows', async (req: AdminRequest, res) => {
    // A campaign's message is a flow too, shown with its campaign (/api/campaigns), not here.
    const flows = (await listFlows(pool, req.shopId!)).filter((f) => f.definition.trigger.event !== 'campaign');
    res.json({ flows, channels: deps.channels() } satisfies FlowList);
  });
  router.post('/flows', async (req: AdminRequest, res) => {
    const body = validBody(req, createBody);
    // translators: %s: the flow's key, e.g. "spring-sale".
    if (await loadFlow(pool, req.shopId!, body.key))
      throw new AppError('flow_exists', sprintf(__('a flow named %s exists already', 'comeback'), body.key), 409);
    const flow = await saveFlow(
      pool,
      req.shopId!,
      body.key,
      notACampaign(validFlowDefinition(body.definition, await shopTextFacts(pool, req.shopId!))),
      body.enabled,
    );
    await deps.onSaved?.(req.shopId!, body.key);
    res.status(201).json(flow);
  });
  // Before /flows/:key, which would take "events" for a key.
  router.post('/flows/events', async (req: AdminRequest, res) => {
    const body = validBody(req, customEvent);
    res.json({ exited: await exitOnCustomEvent(pool, req.shopId!, body.event, { email: body.email, phone: body.phone }) });
  });
  router.get('/flows/:key', async (req: AdminRequest, res) => {
    const flow = await loadFlow(pool, req.shopId!, String(req.params.key));
    if (!flow) throw noSuchFlow();
    res.json({ ...flow, versions: await listFlowVersions(pool, req.shopId!, flow.key) } satisfies FlowDetail);
  });
  router.put('/flows/:key', async (req: AdminRequest, res) => {
    const key = String(req.params.key);
    const body = validBody(req, saveBody);
    const current = await loadFlow(pool, req.shopId!, key);
    if (!current || current.definition.trigger.event === 'campaign') throw noSuchFlow();
    try {
      const flow = await saveFlow(
        pool,
        req.shopId!,
        key,
        notACampaign(validFlowDefinition(body.definition, await shopTextFacts(pool, req.shopId!))),
        body.enabled,
        body.expectedVersion,
      );
      await deps.onSaved?.(req.shopId!, key);
      res.json(flow);
    } catch (error) {
      if (error instanceof FlowVersionConflict)
        throw new AppError('version_conflict', error.message, 409, true, { currentVersion: error.currentVersion });
      throw error;
    }
  });
  router.patch('/flows/:key', async (req: AdminRequest, res) => {
    const body = validBody(req, z.object({ enabled: z.boolean() }));
    if ((await loadFlow(pool, req.shopId!, String(req.params.key)))?.definition.trigger.event === 'campaign') throw noSuchFlow();
    const flow = await setFlowEnabled(pool, req.shopId!, String(req.params.key), body.enabled);
    if (!flow) throw noSuchFlow();
    await deps.onSaved?.(req.shopId!, flow.key);
    res.json(flow);
  });
  // A copy the shop made and nobody entered goes; a preset, or a flow with a history, is switched off
  // instead. A POST, as the plugin's admin proxy forwards (like /queue/:id/cancel).
  router.post('/flows/:key/delete', async (req: AdminRequest, res) => {
    const key = String(req.params.key);
    const flow = await loadFlow(pool, req.shopId!, key);
    if (!flow || flow.definition.trigger.event === 'campaign') throw noSuchFlow();
    // translators: %s: the flow's key, e.g. "unpaid-order".
    if (isPreset(key))
      throw new AppError(
        'preset',
        sprintf(__('%s comes with Comeback and cannot be deleted: switch it off instead', 'comeback'), key),
        409,
      );
    const outcome = await deleteUnusedFlow(pool, req.shopId!, key);
    if (outcome === 'missing') throw noSuchFlow();
    if (outcome === 'used')
      throw new AppError(
        'flow_used',
        // translators: %s: the flow's key, e.g. "spring-sale".
        sprintf(__('customers have entered %s: its history stays in the queue and the reports, so switch it off instead', 'comeback'), key),
        409,
      );
    res.status(204).end();
  });
  return router;
}

/** No flow of that key in the shop, in the merchant's words. */
const noSuchFlow = () => AppError.notFound(__('no such flow', 'comeback'));
