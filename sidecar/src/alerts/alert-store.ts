import { execute, selectOne, selectRows, type Queryable, type Row } from '../db/queryable.ts';

/** The `alerts` table (open alerts by their unique open_key, and their history), and the shop's `alerts` settings document. */

export type OpenAlert = { id: number; shopId: number; kind: string; subject: string; openKey: string };

/** What a check found wrong, with its open key (one open alert per shop, kind and subject). */
export type AlertFinding = { shopId: number; kind: string; subject: string; message: string; key: string };

/** An alert as the admin UI shows it. */
export type AlertView = {
  id: number;
  kind: string;
  subject: string;
  message: string;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  notifiedAt: Date | null;
};

/** An open alert not emailed yet, with its shop and the shop's stored `alerts` settings (null: none). */
export type AlertToNotify = {
  id: number;
  shopId: number;
  kind: string;
  subject: string;
  message: string;
  openedAt: Date;
  shopName: string;
  shopUrl: string;
  settings: unknown;
};

/** The column holds this much; a longer message is cut. */
const MESSAGE_CHARS = 1000;

export async function openAlerts(db: Queryable): Promise<OpenAlert[]> {
  return selectRows(db, 'SELECT id, shop_id, kind, subject, open_key FROM alerts WHERE open_key IS NOT NULL', [], (r) => ({
    id: r.num('id'),
    shopId: r.num('shop_id'),
    kind: r.str('kind'),
    subject: r.str('subject'),
    openKey: r.str('open_key'),
  }));
}

/**
 * Opens an alert for each finding, or refreshes the open one with its key: seen at `now`, and its
 * message unless a later check has written one since. Rows go in the order given (see the caller).
 */
export async function openOrRefreshAlerts(db: Queryable, findings: AlertFinding[], now: Date): Promise<void> {
  const rows = findings.map((f) => [f.shopId, f.kind, f.subject, f.message.slice(0, MESSAGE_CHARS), now, now, f.key]);
  // `message` before `last_seen_at`: MySQL assigns left to right, so it still compares with the stored time.
  await execute(
    db,
    `INSERT INTO alerts (shop_id, kind, subject, message, opened_at, last_seen_at, open_key) VALUES ?
     ON DUPLICATE KEY UPDATE message = IF(VALUES(last_seen_at) >= last_seen_at, VALUES(message), message),
       last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))`,
    [rows],
  );
}

/** Resolves these open alerts at `now`, except one a later check has seen; answers how many. */
export async function resolveAlertsUnseenSince(db: Queryable, ids: number[], now: Date): Promise<number> {
  const result = await execute(
    db,
    'UPDATE alerts SET resolved_at = ?, open_key = NULL WHERE id IN (?) AND open_key IS NOT NULL AND last_seen_at <= ?',
    [now, ids, now],
  );
  return result.affectedRows;
}

const ALERT_VIEW_COLUMNS = 'id, kind, subject, message, opened_at, last_seen_at, resolved_at, notified_at';

/** The shop's alerts (the open ones, or all), newest first. */
export async function listAlerts(db: Queryable, shopId: number, options: { openOnly: boolean; limit: number }): Promise<AlertView[]> {
  return selectRows(
    db,
    `SELECT ${ALERT_VIEW_COLUMNS} FROM alerts WHERE shop_id = ?${options.openOnly ? ' AND resolved_at IS NULL' : ''} ORDER BY opened_at DESC, id DESC LIMIT ?`,
    [shopId, options.limit],
    alertView,
  );
}

/** `id` as the request gave it (digits): an id past 2^53 is compared by the database, not rounded. */
export async function loadAlert(db: Queryable, shopId: number, id: string): Promise<AlertView | null> {
  return selectOne(db, `SELECT ${ALERT_VIEW_COLUMNS} FROM alerts WHERE id = ? AND shop_id = ?`, [id, shopId], alertView);
}

/** Resolves one of the shop's alerts by hand; false when it is not open (or not the shop's). */
export async function resolveAlertByHand(db: Queryable, shopId: number, id: string, now: Date): Promise<boolean> {
  const result = await execute(
    db,
    'UPDATE alerts SET resolved_at = ?, open_key = NULL WHERE id = ? AND shop_id = ? AND resolved_at IS NULL',
    [now, id, shopId],
  );
  return result.affectedRows > 0;
}

function alertView(r: Row): AlertView {
  return {
    id: r.num('id'),
    kind: r.str('kind'),
    subject: r.str('subject'),
    message: r.str('message'),
    openedAt: r.date('opened_at'),
    lastSeenAt: r.date('last_seen_at'),
    resolvedAt: r.dateOrNull('resolved_at'),
    notifiedAt: r.dateOrNull('notified_at'),
  };
}

/** Every shop's open alerts not emailed yet. */
export async function alertsToNotify(db: Queryable): Promise<AlertToNotify[]> {
  return selectRows(
    db,
    `SELECT a.id, a.shop_id, a.kind, a.subject, a.message, a.opened_at, s.name, s.url, st.value AS settings
     FROM alerts a JOIN shops s ON s.id = a.shop_id
     LEFT JOIN settings st ON st.shop_id = a.shop_id AND st.\`key\` = 'alerts'
     WHERE a.open_key IS NOT NULL AND a.notified_at IS NULL`,
    [],
    (r) => ({
      id: r.num('id'),
      shopId: r.num('shop_id'),
      kind: r.str('kind'),
      subject: r.str('subject'),
      message: r.str('message'),
      openedAt: r.date('opened_at'),
      shopName: r.str('name'),
      shopUrl: r.str('url'),
      settings: r.json<unknown>('settings'),
    }),
  );
}

/** Marks these alerts emailed (an alert already marked keeps its first time). */
export async function markAlertsNotified(db: Queryable, ids: number[], now: Date): Promise<void> {
  await execute(db, 'UPDATE alerts SET notified_at = ? WHERE id IN (?) AND notified_at IS NULL', [now, ids]);
}

/** The shop's stored `alerts` settings document, as stored (null: never saved). */
export async function alertSettingsDocument(db: Queryable, shopId: number): Promise<unknown> {
  return selectOne(db, "SELECT value FROM settings WHERE shop_id = ? AND `key` = 'alerts'", [shopId], (r) => r.json<unknown>('value'));
}
