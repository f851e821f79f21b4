import { CUSTOMER_PHONE_ADDRESS_SQL } from '../consent/consent.ts';
import { execute, selectOne, selectRows, type Queryable } from '../db/queryable.ts';
import { customerAudienceSql } from '../flows/entry/customer-entry-store.ts';
import type { FlowDefinition } from '../flows/definition/flow-definition.ts';

/** The `campaigns` table, and what a campaign's flow did (its enrollments, messages and attributed orders). */

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What the merchant sets on a campaign, as stored (the message itself is the campaign's flow). */
export type CampaignFields = {
  name: string;
  segments: { tags: string[]; excludeTags: string[] };
  sendAt: Date | null;
  perMinute: number;
  status: CampaignStatus;
};

export type DueCampaign = { id: number; shopId: number; flowKey: string; sendAt: Date; perMinute: number };

export type CampaignWithStats = Omit<CampaignFields, 'status'> & {
  id: number;
  flowKey: string;
  status: string;
  /** How many the launch entered; null before it. */
  launchedTo: number | null;
  stats: { entered: number; heldOut: number; messaged: number; sent: number; orders: number; revenue: number };
};

const segmentsJson = (fields: CampaignFields) => JSON.stringify({ tags: fields.segments.tags, excludeTags: fields.segments.excludeTags });

/** Stores a new campaign, its flow key `campaign-<id>`; answers both. */
export async function insertCampaign(db: Queryable, shopId: number, fields: CampaignFields): Promise<{ id: number; flowKey: string }> {
  // The key is unique: a placeholder until the id it is named after exists.
  const inserted = await execute(
    db,
    "INSERT INTO campaigns (shop_id, name, flow_key, tags, send_at, per_minute, status, updated_at) VALUES (?, ?, CONCAT('campaign-', UUID_SHORT()), ?, ?, ?, ?, NOW(3))",
    [shopId, fields.name, segmentsJson(fields), fields.sendAt, fields.perMinute, fields.status],
  );
  const flowKey = `campaign-${inserted.insertId}`;
  await execute(db, 'UPDATE campaigns SET flow_key = ? WHERE id = ?', [flowKey, inserted.insertId]);
  return { id: inserted.insertId, flowKey };
}

/** The campaign's flow and status, its row locked until the transaction ends; null when the shop has no such campaign. */
export async function lockCampaign(db: Queryable, shopId: number, id: number): Promise<{ flowKey: string; status: string } | null> {
  return selectOne(db, 'SELECT flow_key, status FROM campaigns WHERE shop_id = ? AND id = ? FOR UPDATE', [shopId, id], (r) => ({
    flowKey: r.str('flow_key'),
    status: r.str('status'),
  }));
}

export async function updateCampaignFields(db: Queryable, id: number, fields: CampaignFields): Promise<void> {
  await execute(db, 'UPDATE campaigns SET name = ?, tags = ?, send_at = ?, per_minute = ?, status = ?, updated_at = NOW(3) WHERE id = ?', [
    fields.name,
    segmentsJson(fields),
    fields.sendAt,
    fields.perMinute,
    fields.status,
    id,
  ]);
}

/** Sets the send time of a draft or scheduled campaign (it is then scheduled); false when there is none such. */
export async function scheduleIfNotStarted(db: Queryable, shopId: number, id: number, sendAt: Date): Promise<boolean> {
  const result = await execute(
    db,
    "UPDATE campaigns SET send_at = ?, status = 'scheduled', updated_at = NOW(3) WHERE shop_id = ? AND id = ? AND status IN ('draft', 'scheduled')",
    [sendAt, shopId, id],
  );
  return result.affectedRows > 0;
}

/** Marks a campaign not sent yet, or sending, cancelled; false when there is none such. */
export async function cancelIfNotDone(db: Queryable, shopId: number, id: number): Promise<boolean> {
  const result = await execute(
    db,
    "UPDATE campaigns SET status = 'cancelled', updated_at = NOW(3) WHERE shop_id = ? AND id = ? AND status IN ('draft', 'scheduled', 'sending')",
    [shopId, id],
  );
  return result.affectedRows > 0;
}

export async function campaignFlowKey(db: Queryable, id: number): Promise<string | null> {
  return selectOne(db, 'SELECT flow_key FROM campaigns WHERE id = ?', [id], (r) => r.str('flow_key'));
}

/** The campaign's status; null when the shop has no such campaign. */
export async function campaignStatus(db: Queryable, shopId: number, id: number): Promise<string | null> {
  return selectOne(db, 'SELECT status FROM campaigns WHERE shop_id = ? AND id = ?', [shopId, id], (r) => r.str('status'));
}

/** Everyone a campaign's flow entered, and whether they are still in it. */
export async function flowEnrollments(db: Queryable, shopId: number, flowKey: string): Promise<Array<{ id: number; status: string }>> {
  return selectRows(db, 'SELECT id, status FROM enrollments WHERE shop_id = ? AND flow = ?', [shopId, flowKey], (r) => ({
    id: r.num('id'),
    status: r.str('status'),
  }));
}

/** Scheduled campaigns whose send time has come, every shop's. */
export async function dueCampaigns(db: Queryable, now: Date): Promise<DueCampaign[]> {
  return selectRows(
    db,
    // A paused shop's campaigns wait for it to resume (a disconnected shop's never go).
    `SELECT c.id, c.shop_id, c.flow_key, c.send_at, c.per_minute FROM campaigns c JOIN shops s ON s.id = c.shop_id AND s.state = 'active'
     WHERE c.status = 'scheduled' AND c.send_at <= ?`,
    [now],
    (r) => ({
      id: r.num('id'),
      shopId: r.num('shop_id'),
      flowKey: r.str('flow_key'),
      sendAt: r.date('send_at'),
      perMinute: r.num('per_minute'),
    }),
  );
}

/** Sending → sent for the campaigns with every recipient's step done and no message of theirs still waiting to go. */
export async function markFinishedCampaignsSent(db: Queryable, now: Date): Promise<void> {
  await execute(
    db,
    `UPDATE campaigns c SET status = 'sent', updated_at = ? WHERE status = 'sending' AND audience IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.shop_id = c.shop_id AND e.flow = c.flow_key AND e.status = 'active')
       AND NOT EXISTS (SELECT 1 FROM enrollments e JOIN outbox m ON m.enrollment_id = e.id
                        WHERE e.shop_id = c.shop_id AND e.flow = c.flow_key AND m.status IN ('pending', 'retry', 'sending'))`,
    [now],
  );
}

/** Scheduled → sending, for this caller alone: false when another sidecar took it first. */
export async function claimForLaunch(db: Queryable, id: number, now: Date): Promise<boolean> {
  const claimed = await execute(db, "UPDATE campaigns SET status = 'sending', launched_at = ? WHERE id = ? AND status = 'scheduled'", [
    now,
    id,
  ]);
  return claimed.affectedRows > 0;
}

/** How many the launch entered. */
export async function setLaunchAudience(db: Queryable, id: number, entered: number): Promise<void> {
  await execute(db, 'UPDATE campaigns SET audience = ? WHERE id = ?', [entered, id]);
}

/**
 * The customers a launch enters, as the SELECT enterCustomersFromSql reads: each anchored at the
 * send time and numbered, so the sends can be spread over the minutes.
 */
export function launchAudienceSql(shopId: number, audience: FlowDefinition['audience'], sendAt: Date): { sql: string; params: unknown[] } {
  const filter = customerAudienceSql(audience);
  return {
    sql: `SELECT CAST(c.id AS CHAR) AS subject_id, c.customer_key, ? AS anchor_at, ROW_NUMBER() OVER (ORDER BY c.id) AS position
            FROM customers c ${filter.join} WHERE c.shop_id = ?${filter.where}`,
    params: [sendAt, shopId, ...filter.params],
  };
}

/**
 * Counts the segment's customers; those with a marketing opt-in on one of the channels (a marketing
 * message needs one); those who opted out on them all. Phones as CUSTOMER_PHONE_ADDRESS_SQL matches them.
 */
export async function countAudience(
  db: Queryable,
  shopId: number,
  audience: { tags: string[]; excludeTags: string[] },
  channels: string[],
): Promise<{ customers: number; reachable: number; optedOut: number }> {
  const filter = customerAudienceSql({ countries: [], ...audience });
  const consent = (
    status: string,
  ) => `EXISTS (SELECT 1 FROM consents k WHERE k.shop_id = c.shop_id AND k.purpose = 'marketing' AND k.status = '${status}' AND k.channel IN (?)
      AND k.address = IF(k.channel = 'email', c.customer_key, ${CUSTOMER_PHONE_ADDRESS_SQL}))`;
  const counted = await selectOne(
    db,
    `SELECT COUNT(*) AS customers, COALESCE(SUM(${consent('granted')}), 0) AS reachable, COALESCE(SUM(${consent('withdrawn')} AND NOT ${consent('granted')}), 0) AS opted_out
       FROM customers c ${filter.join} WHERE c.shop_id = ?${filter.where}`,
    [channels, channels, channels, shopId, ...filter.params],
    (r) => ({ customers: r.num('customers'), reachable: r.num('reachable'), optedOut: r.num('opted_out') }),
  );
  return counted!; // an aggregate without GROUP BY always answers one row
}

/** The shop's campaigns (or the one), newest first, with what their flow did so far. */
export async function campaignsWithStats(db: Queryable, shopId: number, id?: number): Promise<CampaignWithStats[]> {
  return selectRows(
    db,
    `SELECT c.*, COUNT(e.id) AS entered, COALESCE(SUM(e.held_out), 0) AS held_out,
            (SELECT COUNT(*) FROM outbox m JOIN enrollments x ON x.id = m.enrollment_id WHERE x.shop_id = c.shop_id AND x.flow = c.flow_key) AS messaged,
            (SELECT COUNT(*) FROM outbox m JOIN enrollments x ON x.id = m.enrollment_id WHERE x.shop_id = c.shop_id AND x.flow = c.flow_key AND m.status = 'sent') AS sent,
            (SELECT COUNT(*) FROM attributions a WHERE a.shop_id = c.shop_id AND a.flow = c.flow_key AND a.outbox_id IS NOT NULL) AS orders,
            (SELECT COALESCE(SUM(a.revenue), 0) FROM attributions a WHERE a.shop_id = c.shop_id AND a.flow = c.flow_key AND a.outbox_id IS NOT NULL) AS revenue
       FROM campaigns c LEFT JOIN enrollments e ON e.shop_id = c.shop_id AND e.flow = c.flow_key
      WHERE c.shop_id = ? ${id ? 'AND c.id = ?' : ''} GROUP BY c.id ORDER BY c.id DESC`,
    id ? [shopId, id] : [shopId],
    (r) => ({
      id: r.num('id'),
      name: r.str('name'),
      flowKey: r.str('flow_key'),
      segments: r.json<{ tags: string[]; excludeTags: string[] }>('tags') ?? { tags: [], excludeTags: [] },
      sendAt: r.dateOrNull('send_at'),
      perMinute: r.num('per_minute'),
      status: r.str('status'),
      launchedTo: r.numOrNull('audience'),
      stats: {
        entered: r.num('entered'),
        heldOut: r.num('held_out'),
        messaged: r.num('messaged'),
        sent: r.num('sent'),
        orders: r.num('orders'),
        revenue: r.num('revenue'),
      },
    }),
  );
}
