import { execute, selectRows, type Queryable } from '../db/queryable.ts';

// Customers' consents per channel and address (consents): the latest change of each.

export type ConsentRow = {
  shopId: number;
  channel: string;
  /** Normalised as consents are kept (see consentAddress). */
  address: string;
  status: 'granted' | 'withdrawn' | 'bounced';
  source: string;
  text: string | null;
  outboxId: number | null;
  changedAt: Date;
};

/**
 * The change takes the row over when it is later, or at the same instant and a withdrawal; a bounce
 * never replaces a withdrawal. (MySQL applies the assignments below in order: `status` is still the
 * row's own when source, text and outbox_id are decided, and the new one when changed_at is.)
 */
const CHANGE_WINS =
  "(VALUES(changed_at) > changed_at OR (VALUES(changed_at) = changed_at AND VALUES(status) = 'withdrawn')) AND NOT (VALUES(status) = 'bounced' AND status = 'withdrawn')";

/** Writes a change unless the row already holds a later one; false when nothing changed. */
export async function upsertConsentIfLater(db: Queryable, change: ConsentRow): Promise<boolean> {
  const result = await execute(
    db,
    `INSERT INTO consents (shop_id, channel, address, status, source, text, outbox_id, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE
       source = IF(${CHANGE_WINS}, VALUES(source), source),
       text = IF(${CHANGE_WINS}, VALUES(text), text),
       outbox_id = IF(${CHANGE_WINS}, VALUES(outbox_id), outbox_id),
       status = IF(${CHANGE_WINS}, VALUES(status), status),
       changed_at = IF(${CHANGE_WINS}, VALUES(changed_at), changed_at)`,
    [change.shopId, change.channel, change.address, change.status, change.source, change.text, change.outboxId, change.changedAt],
  );
  return result.affectedRows > 0;
}

/** The consents held for these (normalised) addresses on one channel. */
export async function consentsByAddress(db: Queryable, shopId: number, channel: string, addresses: string[]) {
  return selectRows(
    db,
    'SELECT address, status, source, changed_at FROM consents WHERE shop_id = ? AND channel = ? AND address IN (?)',
    [shopId, channel, addresses],
    (r) => ({
      address: r.str('address'),
      status: r.str('status') as ConsentRow['status'],
      source: r.str('source'),
      changedAt: r.date('changed_at'),
    }),
  );
}
