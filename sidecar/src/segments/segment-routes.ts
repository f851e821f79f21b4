import { Router } from 'express';
import { CUSTOMER_PHONE_ADDRESS_SQL, type ConsentStatus } from '../consent/consent.ts';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody, validQuery } from '../http/json-body.ts';
import { offsetOf, pagination, type Page } from '../http/pagination.ts';
import { inTransaction } from '../db/transaction.ts';
import { importProgress, startHistoryImport } from '../woo/history-import.ts';
import { COMPUTED_TAGS, loadSegmentRules, saveSegmentRules, segmentRulesSchema, segmentTag } from './segment-tags.ts';
import { recomputeSegments, segmentCounts, type SegmentCount } from './segments.ts';

/** GET /api/segments. */
export type SegmentList = { segments: SegmentCount[] };
/**
 * A customer as /api/customers answers them: their purchase stats and tags, the name and country
 * of their latest order, what loyalty programs told (may be null), and their consent per channel.
 */
export type Customer = {
  email: string;
  phone: string | null;
  orders: number;
  totalSpent: string;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  averageDaysBetweenPurchases: number | null;
  expectedNextPurchaseAt: Date | null;
  tags: string[];
  firstName: string | null;
  lastName: string | null;
  country: string | null;
  language: string | null;
  timeZone: string | null;
  /** "MM-DD". */
  birthday: string | null;
  points: string | null;
  cashback: string | null;
  consent: { email: ConsentStatus | null; sms: ConsentStatus | null; whatsapp: ConsentStatus | null };
};

const manualTagsBody = z.object({
  tags: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .pipe(segmentTag)
        .refine((t) => !(COMPUTED_TAGS as readonly string[]).includes(t), { message: `computed from orders: manual tags may not be named ${COMPUTED_TAGS.join(', ')}` }),
    )
    .max(50),
});
/**
 * A customer with their tags (one line each: tags are never multi-line), the name and country of
 * their latest paid order, what loyalty programs told us (language, zone, birthday, balances) and
 * their consent per channel (the latest change for their email and phone).
 */
const consentOf = (channel: string, address: string) =>
  `(SELECT k.status FROM consents k WHERE k.shop_id = c.shop_id AND k.channel = '${channel}' AND k.address = ${address}) AS consent_${channel}`;
const CUSTOMER_SELECT = `SELECT c.*, (SELECT GROUP_CONCAT(tag ORDER BY tag SEPARATOR '\\n') FROM customer_tags t
  WHERE t.shop_id = c.shop_id AND t.customer_key = c.customer_key) AS tags,
  JSON_VALUE(o.snapshot, '$.billing.first_name') AS first_name, JSON_VALUE(o.snapshot, '$.billing.last_name') AS last_name,
  JSON_VALUE(o.snapshot, '$.billing.country') AS country,
  p.first_name AS profile_first_name, p.language, p.time_zone, p.birth_month, p.birth_day, p.points, p.cashback,
  ${consentOf('email', 'c.customer_key')}, ${consentOf('sms', CUSTOMER_PHONE_ADDRESS_SQL)}, ${consentOf('whatsapp', CUSTOMER_PHONE_ADDRESS_SQL)}
  FROM customers c LEFT JOIN orders o ON o.shop_id = c.shop_id AND o.order_id = c.last_order_id
  LEFT JOIN customer_profiles p ON p.shop_id = c.shop_id AND p.customer_key = c.customer_key WHERE c.shop_id = ?`;
const importBody = z.object({ restart: z.boolean().default(false) });
const customerQuery = pagination.extend({ tag: z.string().max(64).optional() });

/**
 * GET /api/segments: live counts per tag. POST /api/segments/recompute: rebuild now.
 * GET/PUT /api/settings/segments: the thresholds (a save recomputes).
 * GET /api/customers?tag=&page=: customers with their stats and tags.
 * PUT /api/customers/:email/tags: the merchant's manual tags for one customer.
 * GET/POST /api/customers/import: the order history's import, its progress; a start resumes a stopped one.
 */
export function segmentRoutes(pool: Pool, options: { clock?: () => Date; runImport?: (shopId: number) => Promise<void> } = {}): Router {
  const clock = options.clock ?? (() => new Date());
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
    const [manual] = await pool.query<RowDataPacket[]>('SELECT DISTINCT tag FROM customer_tags WHERE shop_id = ? AND manual AND tag IN (?)', [req.shopId, ['', ...rules.custom.map((c) => c.tag)]]);
    const inUse = new Set(manual.map((r) => String(r.tag)));
    const clashes = rules.custom.flatMap((c, i) => (inUse.has(c.tag) ? [{ field: `custom.${i}.tag`, message: `"${c.tag}" is already a manual tag of some customers` }] : []));
    if (clashes.length) throw AppError.badRequest('invalid_segment_rules', 'a rule-based segment is named like a manual tag', clashes);
    await saveSegmentRules(pool, req.shopId!, rules);
    await recomputeSegments(pool, req.shopId!, clock());
    res.json(await loadSegmentRules(pool, req.shopId!));
  });

  router.get('/customers', async (req: AdminRequest, res) => {
    const query = validQuery(req, customerQuery);
    const filter = query.tag ? ' AND c.customer_key IN (SELECT customer_key FROM customer_tags WHERE shop_id = c.shop_id AND tag = ?)' : '';
    const params = query.tag ? [req.shopId, query.tag] : [req.shopId];
    const [[counted]] = (await pool.query(`SELECT COUNT(*) AS n FROM customers c WHERE c.shop_id = ?${filter}`, params)) as unknown as [[{ n: number }]];
    const [rows] = await pool.query<RowDataPacket[]>(
      `${CUSTOMER_SELECT}${filter} ORDER BY c.last_purchase_at DESC, c.customer_key LIMIT ? OFFSET ?`,
      [...params, query.perPage, offsetOf(query)],
    );
    res.json({ items: rows.map(customerBody), total: Number(counted.n), page: query.page, perPage: query.perPage } satisfies Page<Customer>);
  });

  router.put('/customers/:email/tags', async (req: AdminRequest, res) => {
    const key = String(req.params.email).trim().toLowerCase();
    const { tags } = validBody(req, manualTagsBody, 'invalid_tags');
    // A rule-based segment's name is the rules' to give: a manual tag of that name would be hidden by it.
    const ruled = new Set((await loadSegmentRules(pool, req.shopId!)).custom.map((c) => c.tag));
    const taken = tags.flatMap((t, i) => (ruled.has(t) ? [{ field: `tags.${i}`, message: `"${t}" is one of your rule-based segments: it is given by its rules, not by hand` }] : []));
    if (taken.length) throw AppError.badRequest('invalid_tags', 'a tag is named like a rule-based segment', taken);
    const customer = await inTransaction(pool, async (conn) => {
      const [found] = await conn.query<RowDataPacket[]>('SELECT customer_key FROM customers WHERE shop_id = ? AND customer_key = ? FOR UPDATE', [req.shopId, key]);
      if (!found[0]) return null;
      await conn.query('DELETE FROM customer_tags WHERE shop_id = ? AND customer_key = ? AND manual', [req.shopId, key]);
      // A computed tag never shares a name with a manual one (refused above), so nothing collides.
      if (tags.length) await conn.query('INSERT INTO customer_tags (shop_id, customer_key, tag, manual) VALUES ?', [[...new Set(tags)].map((t) => [req.shopId, key, t, true])]);
      return key;
    });
    if (!customer) throw AppError.notFound(`no customer ${key} in this shop`);
    const [rows] = await pool.query<RowDataPacket[]>(
      `${CUSTOMER_SELECT} AND c.customer_key = ?`,
      [req.shopId, key],
    );
    res.json(customerBody(rows[0]!));
  });
  return router;
}

function customerBody(r: RowDataPacket): Customer {
  return {
    email: String(r.email ?? r.customer_key),
    phone: r.phone ?? null,
    orders: Number(r.orders_count),
    totalSpent: String(r.total_spent),
    firstPurchaseAt: r.first_purchase_at,
    lastPurchaseAt: r.last_purchase_at,
    averageDaysBetweenPurchases: r.avg_gap_days === null ? null : Number(r.avg_gap_days),
    expectedNextPurchaseAt: r.expected_next_at,
    tags: r.tags ? String(r.tags).split('\n') : [],
    firstName: r.profile_first_name ?? r.first_name ?? null,
    lastName: r.last_name ?? null,
    country: r.country ?? null,
    language: r.language ?? null,
    timeZone: r.time_zone ?? null,
    birthday: r.birth_month ? `${String(r.birth_month).padStart(2, '0')}-${String(r.birth_day).padStart(2, '0')}` : null,
    points: r.points === null ? null : String(r.points),
    cashback: r.cashback === null ? null : String(r.cashback),
    consent: { email: r.consent_email ?? null, sms: r.consent_sms ?? null, whatsapp: r.consent_whatsapp ?? null },
  };
}
