import { execute, selectRows, type Queryable } from '../db/queryable.ts';

/**
 * Erasing a disconnected shop's data when the merchant asks for it: every row of every table that
 * names the shop, then the rows that hang off them without naming it, then the shop itself. In
 * batches of `BATCH` rows, so no statement holds many locks or a long undo log.
 */

const BATCH = 1_000;

/** Tables that name the shop in `shop_id`, children first. test/woo/shop-lifecycle.test.ts fails when a table with a shop_id column is missing here. */
export const SHOP_TABLES = [
  'attributions',
  'nps_responses',
  'coupons',
  'enrollments',
  'outbox',
  'conversations',
  'consents',
  'consent_log',
  'carts',
  'customer_tags',
  'customer_profiles',
  'customers',
  'loyalty_events',
  'campaigns',
  'flow_versions',
  'flows',
  'orders',
  'events',
  'order_imports',
  'alerts',
  'send_budgets',
  'settings',
  'suppressions',
  'privacy_salts',
  'retention_marks',
  'test_recipients',
];

/** Rows that hang off a shop's rows without naming the shop: deleted with their parent's batch. */
const CHILDREN: Record<string, Array<{ table: string; column: string }>> = {
  enrollments: [{ table: 'step_log', column: 'enrollment_id' }],
  outbox: [
    { table: 'clicks', column: 'outbox_id' },
    { table: 'message_statuses', column: 'outbox_id' },
  ],
  conversations: [{ table: 'inbound_messages', column: 'conversation_id' }],
};

/** Deletes every row of the shop and the shop itself; answers how many rows went. */
export async function eraseShopRows(db: Queryable, shopId: number): Promise<number> {
  let erased = 0;
  for (const table of SHOP_TABLES) {
    const children = CHILDREN[table];
    for (;;) {
      if (children) {
        const ids = await selectRows(db, `SELECT id FROM ${table} WHERE shop_id = ? LIMIT ?`, [shopId, BATCH], (r) => r.num('id'));
        if (ids.length === 0) break;
        for (const child of children)
          erased += (await execute(db, `DELETE FROM ${child.table} WHERE ${child.column} IN (?)`, [ids])).affectedRows;
        erased += (await execute(db, `DELETE FROM ${table} WHERE id IN (?)`, [ids])).affectedRows;
        if (ids.length < BATCH) break;
        continue;
      }
      const deleted = (await execute(db, `DELETE FROM ${table} WHERE shop_id = ? LIMIT ?`, [shopId, BATCH])).affectedRows;
      erased += deleted;
      if (deleted < BATCH) break;
    }
  }
  erased += (await execute(db, 'DELETE FROM shops WHERE id = ?', [shopId])).affectedRows;
  return erased;
}
