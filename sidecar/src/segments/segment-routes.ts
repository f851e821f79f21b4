import { __, sprintf } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody, validQuery } from '../http/json-body.ts';
import { offsetOf, pagination } from '../http/pagination.ts';
import { importProgress, startHistoryImport } from '../woo/history-import.ts';
import { countCustomers, listCustomers, loadCustomer, type CustomerView } from './customer-store.ts';
import { COMPUTED_TAGS, loadSegmentRules, saveSegmentRules, segmentRulesSchema, segmentTag, setManualTags } from './segment-tags.ts';
import { manualTagsAmong } from './tag-store.ts';
import { recomputeSegments, segmentCounts, type SegmentCount } from './segments.ts';

/** GET /api/segments. */
export type SegmentList = { segments: SegmentCount[] };

/** A customer as /api/customers answers them. */
export type Customer = CustomerView;

const manualTagsBody = z.object({
  tags: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .pipe(segmentTag)
        .refine((t) => !(COMPUTED_TAGS as readonly string[]).includes(t), {
          message: `computed from orders: manual tags may not be named ${COMPUTED_TAGS.join(', ')}`,
        }),
    )
    .max(50),
});
const importBody = z.object({ restart: z.boolean().default(false) });
const customerQuery = pagination.extend({ tag: z.string().max(64).optional() });

/**
 * GET /api/segments: live counts per tag. POST /api/segments/recompute: rebuild now.
 * GET/PUT /api/settings/segments: the thresholds (a save recomputes).
 * GET /api/customers?tag=&page=: customers with their stats and tags.
 * PUT /api/customers/:email/tags: the merchant's manual tags for one customer.
 * GET/POST /api/customers/import: the order history's import, its progress; a start resumes a stopped one.
 */
export function segmentRoutes(deps: { pool: Pool; clock?: () => Date; runImport?: (shopId: number) => Promise<void> }): Router {
  const { pool } = deps;
  const options = deps;
  const clock = deps.clock ?? (() => new Date());
  const router = Router();
  // The first import of the order history: progress, and a start (or a resume) that runs as a job.
  router.get('/customers/import', async (req: AdminRequest, res) => {
    res.json(await importProgress(pool, req.shopId!));
  });
  router.post('/customers/import', async (req: AdminRequest, res) => {
    const { restart } = validBody(req, importBody, 'invalid_import');
    const progress = await startHistoryImport(pool, req.shopId!, clock(), { restart });
    if (progress.status === 'running') await options.runImport?.(req.shopId!);
    res.status(202).json(progress);
  });
  router.get('/segments', async (req: AdminRequest, res) => {
    res.json({ segments: await segmentCounts(pool, req.shopId!) } satisfies SegmentList);
  });
  router.post('/segments/recompute', async (req: AdminRequest, res) => {
    res.json(await recomputeSegments(pool, req.shopId!, clock()));
  });
  router.get('/settings/segments', async (req: AdminRequest, res) => {
    res.json(await loadSegmentRules(pool, req.shopId!));
  });
  router.put('/settings/segments', async (req: AdminRequest, res) => {
    const rules = validBody(req, segmentRulesSchema, 'invalid_segment_rules');
    // A rule-based segment may not take a name the merchant already gives by hand.
    const inUse = await manualTagsAmong(
      pool,
      req.shopId!,
      rules.custom.map((c) => c.tag),
    );
    const clashes = rules.custom.flatMap((c, i) =>
      // translators: %s: a segment's tag, e.g. "vip".
      inUse.has(c.tag)
        ? [{ field: `custom.${i}.tag`, message: sprintf(__('"%s" is already a manual tag of some customers', 'comeback'), c.tag) }]
        : [],
    );
    if (clashes.length)
      throw AppError.badRequest('invalid_segment_rules', __('a rule-based segment is named like a manual tag', 'comeback'), clashes);
    await saveSegmentRules(pool, req.shopId!, rules);
    await recomputeSegments(pool, req.shopId!, clock());
    res.json(await loadSegmentRules(pool, req.shopId!));
  });

  router.get('/customers', async (req: AdminRequest, res) => {
    const query = validQuery(req, customerQuery);
    const total = await countCustomers(pool, req.shopId!, query.tag);
    const items = await listCustomers(pool, req.shopId!, { tag: query.tag, limit: query.perPage, offset: offsetOf(query) });
    res.json({ items, total, page: query.page, perPage: query.perPage });
  });

  router.put('/customers/:email/tags', async (req: AdminRequest, res) => {
    const key = String(req.params.email).trim().toLowerCase();
    const { tags } = validBody(req, manualTagsBody, 'invalid_tags');
    // A rule-based segment's name is the rules' to give: a manual tag of that name would be hidden by it.
    const ruled = new Set((await loadSegmentRules(pool, req.shopId!)).custom.map((c) => c.tag));
    const taken = tags.flatMap((t, i) =>
      ruled.has(t)
        ? // translators: %s: a segment's tag, e.g. "vip".
          [
            {
              field: `tags.${i}`,
              message: sprintf(__('"%s" is one of your rule-based segments: it is given by its rules, not by hand', 'comeback'), t),
            },
          ]
        : [],
    );
    if (taken.length) throw AppError.badRequest('invalid_tags', __('a tag is named like a rule-based segment', 'comeback'), taken);
    // translators: %s: the customer's email address.
    if (!(await setManualTags(pool, req.shopId!, key, tags)))
      throw AppError.notFound(sprintf(__('no customer %s in this shop', 'comeback'), key));
    res.json(await loadCustomer(pool, req.shopId!, key));
  });
  return router;
}
