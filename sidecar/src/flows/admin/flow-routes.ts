import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { parse, validate as validateTemplate, type ValidationError } from '../../../../shortcodes/src/index.ts';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validate, validBody } from '../../http/json-body.ts';
import { exitOnCustomEvent } from '../entry/enrollment.ts';
import { checkedFlowDefinitionSchema, subjectTypeOf, type FlowDefinition } from '../definition/flow-definition.ts';
import {
  FLOW_KEY,
  FlowVersionConflict,
  listFlows,
  listFlowVersions,
  loadFlow,
  saveFlow,
  setFlowEnabled,
  type FlowVersion,
  type StoredFlow,
} from '../definition/flow-store.ts';

export type FieldError = ValidationError & { field: string };
export type ChannelsConfigured = { email: boolean; sms: boolean; whatsapp: boolean };
/** GET /api/flows: the shop's flows (campaigns' not among them) and which channels are set up. */
export type FlowList = { flows: StoredFlow[]; channels: ChannelsConfigured };
/** GET /api/flows/:key: the flow and every version saved, newest first. */
export type FlowDetail = StoredFlow & { versions: FlowVersion[] };

type TemplateContext = Parameters<typeof validateTemplate>[1];

/**
 * Every shortcode problem in a flow's texts, each with its field (steps.1.email.body), line,
 * column and reason. The context follows the trigger: an unpaid-order flow has a text for
 * online gateways (payment link) and one for bank transfer (bank details); a cart flow knows
 * the cart and no order; the other order flows speak about an order however it was paid; win-back,
 * campaign and loyalty flows speak to the customer. A coupon shortcode needs a step with a coupon.
 */
export function flowTemplateErrors(flow: FlowDefinition): FieldError[] {
  const event = flow.trigger.event;
  const subjectType = subjectTypeOf(event);
  const subjectContext: TemplateContext = subjectType === 'cart' ? 'cart' : subjectType === 'order' ? 'any' : 'customer';
  const main: TemplateContext = event === 'order.unpaid' ? 'online' : subjectContext;
  const errors: FieldError[] = [];
  let hasCoupon = false;
  const check = (source: string | undefined, context: TemplateContext, field: string) => {
    if (source === undefined) return;
    errors.push(...validateTemplate(source, context).map((e) => ({ ...e, field })));
    if (hasCoupon) return;
    for (const node of parse(source)) {
      if (node.type === 'shortcode' && /^coupon_(code|value|expiry)$/.test(node.name)) {
        errors.push({
          code: 'no_coupon',
          message: `[${node.name}] shows the step's personal coupon, and this step offers none: add a coupon to the step, or remove the shortcode`,
          line: node.line,
          column: node.column,
          shortcode: node.name,
          field,
        } as unknown as FieldError);
      }
    }
  };
  const requireOffline = (text: { offlineBody?: string } | undefined, field: string) => {
    if (event !== 'order.unpaid' || !text) return;
    if (text.offlineBody === undefined) {
      errors.push({
        code: 'missing_text',
        message: 'orders paid by bank transfer or cheque need their own text (bank details instead of a payment link)',
        line: 1,
        column: 1,
        field,
      } as unknown as FieldError);
    } else check(text.offlineBody, 'offline', field);
  };
  flow.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    hasCoupon = step.coupon !== undefined;
    if (step.email) {
      check(step.email.subject, subjectContext, `${at}.email.subject`);
      check(step.email.body, main, `${at}.email.body`);
      requireOffline(step.email, `${at}.email.offlineBody`);
    }
    if (step.sms) {
      check(step.sms.body, main, `${at}.sms.body`);
      requireOffline(step.sms, `${at}.sms.offlineBody`);
    }
    if (step.whatsapp) {
      check(step.whatsapp.text.body, main, `${at}.whatsapp.text.body`);
      requireOffline(step.whatsapp.text, `${at}.whatsapp.text.offlineBody`);
      step.whatsapp.template.parameters.forEach((p, j) => check(p, main, `${at}.whatsapp.template.parameters.${j}`));
    }
  });
  return errors;
}

/** Parses and checks a definition as a save would: 400 naming every field, then every template problem. */
export function validFlowDefinition(input: unknown): FlowDefinition {
  const parsed = validate(checkedFlowDefinitionSchema, input, 'invalid_flow', 'the flow is not valid');
  const errors = flowTemplateErrors(parsed);
  if (errors.length) throw AppError.badRequest('invalid_template', `${errors.length} problem(s) in the flow's texts`, errors);
  return parsed;
}

/** A campaign's flow is made and changed with its campaign (/api/campaigns), never as a flow of its own. */
function notACampaign(flow: FlowDefinition): FlowDefinition {
  if (flow.trigger.event === 'campaign') {
    throw AppError.badRequest('invalid_flow', 'a campaign is made on the Campaigns screen', [
      { field: 'trigger.event', message: 'a flow cannot be started by a campaign; create a campaign instead' },
    ]);
  }
  return flow;
}

const saveBody = z.object({ definition: z.unknown(), enabled: z.boolean(), expectedVersion: z.number().int().min(0).optional() });
const createBody = z.object({
  key: z.string().regex(FLOW_KEY, 'lower-case letters, digits and dashes'),
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
 * whole definition and every text and stores a new version (running enrollments keep theirs).
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
    if (await loadFlow(pool, req.shopId!, body.key)) throw new AppError('flow_exists', `a flow named ${body.key} exists already`, 409);
    const flow = await saveFlow(pool, req.shopId!, body.key, notACampaign(validFlowDefinition(body.definition)), body.enabled);
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
    if (!flow) throw AppError.notFound('no such flow');
    res.json({ ...flow, versions: await listFlowVersions(pool, req.shopId!, flow.key) } satisfies FlowDetail);
  });
  router.put('/flows/:key', async (req: AdminRequest, res) => {
    const key = String(req.params.key);
    const body = validBody(req, saveBody);
    const current = await loadFlow(pool, req.shopId!, key);
    if (!current || current.definition.trigger.event === 'campaign') throw AppError.notFound('no such flow');
    try {
      const flow = await saveFlow(
        pool,
        req.shopId!,
        key,
        notACampaign(validFlowDefinition(body.definition)),
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
    if ((await loadFlow(pool, req.shopId!, String(req.params.key)))?.definition.trigger.event === 'campaign')
      throw AppError.notFound('no such flow');
    const flow = await setFlowEnabled(pool, req.shopId!, String(req.params.key), body.enabled);
    if (!flow) throw AppError.notFound('no such flow');
    await deps.onSaved?.(req.shopId!, flow.key);
    res.json(flow);
  });
  return router;
}
