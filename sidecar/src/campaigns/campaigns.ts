import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { CUSTOMER_PHONE_ADDRESS_SQL } from '../consent/consent.ts';
import { inTransaction } from '../db/transaction.ts';
import { jsonColumn } from '../db/json-column.ts';
import { customerAudienceSql, enterCustomersFromSql } from '../flows/customer-triggers.ts';
import { exitEnrollments } from '../flows/enrollment.ts';
import { cancelPending } from '../messages/outbox.ts';
import { segmentTag } from '../segments/segment-tags.ts';
import { sendWindowSchema, stepSchema, type FlowDefinition, type FlowStep, type SendWindow } from '../flows/flow-definition.ts';
import { loadFlow, saveFlow, setFlowEnabled } from '../flows/flow-store.ts';
import { validFlowDefinition } from '../flows/flow-routes.ts';
import { AppError } from '../errors.ts';

/** A campaign as the merchant writes it: who (segments), what (one step's texts and channels), when, how fast. */
export const campaignSchema = z.object({
  name: z.string().trim().min(1).max(120),
  /** Customers with any of these tags; empty = every customer. */
  tags: z.array(segmentTag).max(20).default([]),
  excludeTags: z.array(segmentTag).max(20).default([]),
  /** Null: a draft. */
  sendAt: z.iso.datetime({ offset: true }).nullable().default(null),
  /** Sends spread at most this many a minute (providers' rate limits, the shop's server on the clicks). */
  perMinute: z.number().int().min(1).max(10_000).default(60),
  holdOutPercent: z.number().int().min(0).max(50).default(0),
  /** In the customer's zone; a send falling outside waits for the next opening. */
  sendWindow: sendWindowSchema.nullable().default({ start: '09:00', end: '20:00' }),
  step: stepSchema,
});
export type CampaignInput = z.input<typeof campaignSchema>;

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The flow a campaign's message runs as: marketing (opt-in, caps, quiet hours), one step at once, ended by a purchase. */
function campaignFlow(campaign: z.output<typeof campaignSchema>): FlowDefinition {
  try {
    return checkedCampaignFlow(campaign);
  } catch (error) {
    // The texts' problems, named as the campaign's fields (step.email.body) rather than the flow's.
    if (error instanceof AppError && Array.isArray(error.details)) {
      const details = (error.details as Array<{ field?: string; path?: unknown }>).map((d) => (d.field ? { ...d, field: d.field.replace(/^steps\.0\./, 'step.') } : d));
      throw new AppError(error.code, error.message, error.status, true, details);
    }
    throw error;
  }
}

function checkedCampaignFlow(campaign: z.output<typeof campaignSchema>): FlowDefinition {
  return validFlowDefinition({
    name: `Campaign: ${campaign.name}`,
    purpose: 'marketing',
    trigger: { event: 'campaign' },
    audience: { countries: [], tags: campaign.tags, excludeTags: campaign.excludeTags },
    steps: [{ ...campaign.step, delay: { value: 0, unit: 'minutes' } }],
    exit: { onPurchase: true, events: [] },
    sendWindow: campaign.sendWindow,
    holdOutPercent: campaign.holdOutPercent,
  });
}

/** Creates a campaign: a draft, or scheduled when it has a send time. Its texts are checked like a flow's (400 with positions). */
export async function createCampaign(pool: Pool, shopId: number, input: unknown): Promise<number> {
  const campaign = campaignSchema.parse(input);
  const definition = campaignFlow(campaign);
  return inTransaction(pool, async (conn) => {
    const [inserted] = await conn.query<ResultSetHeader>(
      "INSERT INTO campaigns (shop_id, name, flow_key, tags, send_at, per_minute, status, updated_at) VALUES (?, ?, CONCAT('campaign-', UUID_SHORT()), ?, ?, ?, ?, NOW(3))",
      [shopId, campaign.name, JSON.stringify({ tags: campaign.tags, excludeTags: campaign.excludeTags }), campaign.sendAt ? new Date(campaign.sendAt) : null, campaign.perMinute, campaign.sendAt ? 'scheduled' : 'draft'],
    );
    const key = `campaign-${inserted.insertId}`;
    await conn.query('UPDATE campaigns SET flow_key = ? WHERE id = ?', [key, inserted.insertId]);
    await saveFlow(conn, shopId, key, definition, false);
    return inserted.insertId;
  });
}

/** Changes a draft or scheduled campaign (one already sending is not changed under its recipients). */
export async function updateCampaign(pool: Pool, shopId: number, id: number, input: unknown): Promise<void> {
  const campaign = campaignSchema.parse(input);
  const definition = campaignFlow(campaign);
  await inTransaction(pool, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT flow_key, status FROM campaigns WHERE shop_id = ? AND id = ? FOR UPDATE', [shopId, id]);
    const row = rows[0];
    if (!row) throw AppError.notFound(`no campaign ${id}`);
    if (!['draft', 'scheduled'].includes(String(row.status))) throw new AppError('campaign_started', `the campaign is ${row.status}: it can no longer be changed`, 409);
    await conn.query('UPDATE campaigns SET name = ?, tags = ?, send_at = ?, per_minute = ?, status = ?, updated_at = NOW(3) WHERE id = ?', [
      campaign.name, JSON.stringify({ tags: campaign.tags, excludeTags: campaign.excludeTags }), campaign.sendAt ? new Date(campaign.sendAt) : null, campaign.perMinute,
      campaign.sendAt ? 'scheduled' : 'draft', id,
    ]);
    await saveFlow(conn, shopId, String(row.flow_key), definition, false);
  });
}

export async function scheduleCampaign(pool: Pool, shopId: number, id: number, sendAt: Date): Promise<void> {
  const [result] = await pool.query<ResultSetHeader>("UPDATE campaigns SET send_at = ?, status = 'scheduled', updated_at = NOW(3) WHERE shop_id = ? AND id = ? AND status IN ('draft', 'scheduled')", [sendAt, shopId, id]);
  if (result.affectedRows === 0) throw await notChangeable(pool, shopId, id);
}

/** Stops a campaign: not launched yet, it never will be; sending, what has not gone yet does not go. */
export async function cancelCampaign(pool: Pool, shopId: number, id: number, now: Date): Promise<void> {
  const [result] = await pool.query<ResultSetHeader>("UPDATE campaigns SET status = 'cancelled', updated_at = NOW(3) WHERE shop_id = ? AND id = ? AND status IN ('draft', 'scheduled', 'sending')", [shopId, id]);
  if (result.affectedRows === 0) throw await notChangeable(pool, shopId, id);
  const [[row]] = (await pool.query('SELECT flow_key FROM campaigns WHERE id = ?', [id])) as unknown as [[{ flow_key: string }]];
  await setFlowEnabled(pool, shopId, row.flow_key, false);
  const [entered] = await pool.query<RowDataPacket[]>('SELECT id, status FROM enrollments WHERE shop_id = ? AND flow = ?', [shopId, row.flow_key]);
  await exitEnrollments(pool, entered.filter((r) => r.status === 'active').map((r) => Number(r.id)), 'campaign cancelled', now);
  // Its single step completes as the message is queued: one still waiting to go is stopped too.
  for (const r of entered) await cancelPending(pool, Number(r.id));
}

async function notChangeable(pool: Pool, shopId: number, id: number): Promise<AppError> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT status FROM campaigns WHERE shop_id = ? AND id = ?', [shopId, id]);
  return rows[0] ? new AppError('campaign_started', `the campaign is ${rows[0].status}`, 409) : AppError.notFound(`no campaign ${id}`);
}

/**
 * Launches the campaigns whose time came: each is claimed by one sidecar (status scheduled →
 * sending), its flow switched on, and its audience entered in SQL with the sends spread
 * `per_minute` from the send time; the step runner then applies consent, caps, quiet hours and
 * the hold-out to each. A campaign whose last message is done is marked sent.
 */
export async function launchDueCampaigns(pool: Pool, now: Date): Promise<number> {
  const [due] = await pool.query<RowDataPacket[]>("SELECT id, shop_id, flow_key, send_at, per_minute FROM campaigns WHERE status = 'scheduled' AND send_at <= ?", [now]);
  let launched = 0;
  let failure: unknown;
  for (const c of due) {
    try {
      if (await launch(pool, c, now)) launched++;
    } catch (error) {
      failure ??= error; // the others still go; the job reports it, and the next minute tries again
    }
  }
  // Sent: every recipient's step done and no message of it still waiting to go.
  await pool.query(
    `UPDATE campaigns c SET status = 'sent', updated_at = ? WHERE status = 'sending' AND audience IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.shop_id = c.shop_id AND e.flow = c.flow_key AND e.status = 'active')
       AND NOT EXISTS (SELECT 1 FROM enrollments e JOIN outbox m ON m.enrollment_id = e.id
                        WHERE e.shop_id = c.shop_id AND e.flow = c.flow_key AND m.status IN ('pending', 'retry', 'sending'))`,
    [now],
  );
  if (failure) throw failure;
  return launched;
}

/**
 * One launch, all or nothing: the claim (scheduled → sending, which a second sidecar then finds
 * taken), the flow switched on, the audience entered and counted, in one transaction. A launch
 * that fails or dies leaves the campaign scheduled, to be launched at the next try.
 */
async function launch(pool: Pool, c: RowDataPacket, now: Date): Promise<boolean> {
  return inTransaction(pool, async (conn) => {
    const [claimed] = await conn.query<ResultSetHeader>("UPDATE campaigns SET status = 'sending', launched_at = ? WHERE id = ? AND status = 'scheduled'", [now, c.id]);
    if (claimed.affectedRows === 0) return false; // another sidecar has it
    const shopId = Number(c.shop_id);
    // Saved when the campaign was made, so this is the flag's UPDATE (no nested transaction).
    const flow = await setFlowEnabled(conn, shopId, String(c.flow_key), true);
    if (!flow) throw new Error(`campaign ${c.id} has lost its flow ${c.flow_key}`);
    const audience = customerAudienceSql(flow.definition.audience);
    const entered = await enterCustomersFromSql(
      conn,
      shopId,
      flow,
      {
        sql: `SELECT CAST(c.id AS CHAR) AS subject_id, c.customer_key, ? AS anchor_at, ROW_NUMBER() OVER (ORDER BY c.id) AS position
                FROM customers c ${audience.join} WHERE c.shop_id = ?${audience.where}`,
        params: [c.send_at, shopId, ...audience.params],
      },
      now,
      Number(c.per_minute),
    );
    await conn.query('UPDATE campaigns SET audience = ? WHERE id = ?', [entered, c.id]);
    return true;
  });
}

export type AudienceSize = { customers: number; reachable: number; optedOut: number; heldOutEstimate: number };

/**
 * Who a campaign would reach, before it is sent: the segment's customers; those with an opt-in on
 * one of the channels (a marketing message needs one); those who opted out on them all; and the
 * share the hold-out would keep back. Counted in SQL (phones as CUSTOMER_PHONE_ADDRESS_SQL matches them).
 */
export async function campaignAudience(pool: Pool, shopId: number, audience: { tags: string[]; excludeTags: string[] }, channels: string[], holdOutPercent: number): Promise<AudienceSize> {
  const filter = customerAudienceSql({ countries: [], ...audience });
  const phone = CUSTOMER_PHONE_ADDRESS_SQL;
  const consent = (status: string) => `EXISTS (SELECT 1 FROM consents k WHERE k.shop_id = c.shop_id AND k.status = '${status}' AND k.channel IN (?)
      AND k.address = IF(k.channel = 'email', c.customer_key, ${phone}))`;
  const [[row]] = (await pool.query(
    `SELECT COUNT(*) AS customers, COALESCE(SUM(${consent('granted')}), 0) AS reachable, COALESCE(SUM(${consent('withdrawn')} AND NOT ${consent('granted')}), 0) AS opted_out
       FROM customers c ${filter.join} WHERE c.shop_id = ?${filter.where}`,
    [channels, channels, channels, shopId, ...filter.params],
  )) as unknown as [[{ customers: number; reachable: number; opted_out: number }]];
  const reachable = Number(row.reachable);
  return { customers: Number(row.customers), reachable, optedOut: Number(row.opted_out), heldOutEstimate: Math.round((reachable * holdOutPercent) / 100) };
}

/** What a campaign did so far; `revenue` in the shop's currency, two decimals. */
export type CampaignStats = { entered: number; heldOut: number; messaged: number; sent: number; orders: number; revenue: string };
/** A campaign as /api/campaigns answers it: `audience` is how many entered at the launch (null before); `step` is its flow's one step. */
export type Campaign = {
  id: number;
  name: string;
  tags: string[];
  excludeTags: string[];
  sendAt: Date | null;
  perMinute: number;
  status: CampaignStatus;
  audience: number | null;
  holdOutPercent: number;
  sendWindow: SendWindow | null;
  step: FlowStep | null;
  stats: CampaignStats;
};

/** The shop's campaigns, newest first, each with its message and what it did so far. */
export async function listCampaigns(pool: Pool, shopId: number, id?: number): Promise<Campaign[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT c.*, COUNT(e.id) AS entered, COALESCE(SUM(e.held_out), 0) AS held_out,
            (SELECT COUNT(*) FROM outbox m JOIN enrollments x ON x.id = m.enrollment_id WHERE x.shop_id = c.shop_id AND x.flow = c.flow_key) AS messaged,
            (SELECT COUNT(*) FROM outbox m JOIN enrollments x ON x.id = m.enrollment_id WHERE x.shop_id = c.shop_id AND x.flow = c.flow_key AND m.status = 'sent') AS sent,
            (SELECT COUNT(*) FROM attributions a WHERE a.shop_id = c.shop_id AND a.flow = c.flow_key AND a.outbox_id IS NOT NULL) AS orders,
            (SELECT COALESCE(SUM(a.revenue), 0) FROM attributions a WHERE a.shop_id = c.shop_id AND a.flow = c.flow_key AND a.outbox_id IS NOT NULL) AS revenue
       FROM campaigns c LEFT JOIN enrollments e ON e.shop_id = c.shop_id AND e.flow = c.flow_key
      WHERE c.shop_id = ? ${id ? 'AND c.id = ?' : ''} GROUP BY c.id ORDER BY c.id DESC`,
    id ? [shopId, id] : [shopId],
  );
  return Promise.all(
    rows.map(async (r) => {
      const flow = await loadFlow(pool, shopId, String(r.flow_key));
      const audience = jsonColumn<{ tags: string[]; excludeTags: string[] }>(r.tags) ?? { tags: [], excludeTags: [] };
      return {
        id: Number(r.id),
        name: String(r.name),
        ...audience,
        sendAt: r.send_at,
        perMinute: Number(r.per_minute),
        status: String(r.status) as CampaignStatus,
        audience: r.audience === null ? null : Number(r.audience),
        holdOutPercent: flow?.definition.holdOutPercent ?? 0,
        sendWindow: flow?.definition.sendWindow ?? null,
        step: flow?.definition.steps[0] ?? null,
        stats: { entered: Number(r.entered), heldOut: Number(r.held_out), messaged: Number(r.messaged), sent: Number(r.sent), orders: Number(r.orders), revenue: Number(r.revenue).toFixed(2) },
      };
    }),
  );
}
