import { execute, sealed, selectOne, type Queryable, type Row } from '../db/queryable.ts';
import { secretBoxOf } from '../db/secret-box.ts';
import { shopDisplayName } from '../woo/shop-store.ts';

// The rows behind customers' links: the message a link reference names, the order a payment link
// leads to, the clicks on them, and the key that signs them.

/** The message a link reference belongs to (link_ref is unique across shops), with its shop's name. */
export type LinkedMessage = {
  outboxId: number;
  shopId: number;
  /** Null for a "send a test to me" message: it belongs to no customer's enrollment. */
  enrollmentId: number | null;
  customerKey: string | null;
  recipient: string;
  shopName: string;
  /** The definition of the flow version the message was sent by (null for a test message). */
  flowDefinition: unknown;
} & MessageLocales;

/** The languages a page about the message may speak: the message's own (outbox.language), and the shop's locale. */
export type MessageLocales = { language: string | null; shopLocale: string | null };

// The shop's locale is in its reported formats (settings `formats`, written from the plugin's profile).
const LOCALES_SQL = `m.language, f.value AS formats`;
const FORMATS_JOIN = "LEFT JOIN settings f ON f.shop_id = m.shop_id AND f.`key` = 'formats'";
const localesOf = (r: Row): MessageLocales => {
  const locale = r.json<{ locale?: unknown }>('formats')?.locale;
  return { language: r.strOrNull('language'), shopLocale: typeof locale === 'string' ? locale : null };
};

export async function messageByLinkRef(db: Queryable, ref: string): Promise<LinkedMessage | null> {
  return selectOne(
    db,
    `SELECT m.id, m.shop_id, m.enrollment_id, m.customer_key, m.recipient, s.name, s.url, v.definition, ${LOCALES_SQL}
     FROM outbox m JOIN shops s ON s.id = m.shop_id ${FORMATS_JOIN}
     LEFT JOIN enrollments e ON e.id = m.enrollment_id
     LEFT JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     WHERE m.link_ref = ?`,
    [ref],
    (r) => ({
      outboxId: r.num('id'),
      shopId: r.num('shop_id'),
      enrollmentId: r.numOrNull('enrollment_id'),
      customerKey: r.strOrNull('customer_key'),
      recipient: r.str('recipient'),
      shopName: shopDisplayName({ name: r.strOrNull('name'), url: r.str('url') }),
      flowDefinition: r.json('definition'),
      ...localesOf(r),
    }),
  );
}

/** What a payment link leads to: its message, and the order of the message's enrollment (null fields when there is none). */
export type PayLinkTarget = {
  outboxId: number;
  enrollmentId: number | null;
  order: { id: number; order_key?: string } | null;
  orderStatus: string | null;
  datePaid: Date | null;
  shopUrl: string;
} & MessageLocales;

export async function payLinkTarget(db: Queryable, ref: string): Promise<PayLinkTarget | null> {
  return selectOne(
    db,
    `SELECT m.id AS outbox_id, m.enrollment_id, o.status, o.date_paid, o.snapshot, s.url AS shop_url, ${LOCALES_SQL}
     FROM outbox m ${FORMATS_JOIN} LEFT JOIN enrollments e ON e.id = m.enrollment_id
     LEFT JOIN orders o ON o.shop_id = e.shop_id AND o.order_id = CAST(e.subject_id AS UNSIGNED)
     LEFT JOIN shops s ON s.id = e.shop_id
     WHERE m.link_ref = ?`,
    [ref],
    (r) => ({
      outboxId: r.num('outbox_id'),
      enrollmentId: r.numOrNull('enrollment_id'),
      order: r.json<{ id: number; order_key?: string }>('snapshot'),
      orderStatus: r.strOrNull('status'),
      datePaid: r.dateOrNull('date_paid'),
      shopUrl: r.str('shop_url'),
      ...localesOf(r),
    }),
  );
}

export type Click = { outboxId: number; enrollmentId: number | null; kind: 'pay' | 'cart'; userAgent: string; at: Date };

/** Stores a click once: the same message clicked at the same instant is the same click (a retried report). False for a repeat. */
export async function insertClick(db: Queryable, click: Click): Promise<boolean> {
  const result = await execute(
    db,
    'INSERT IGNORE INTO clicks (outbox_id, enrollment_id, kind, user_agent, clicked_at) VALUES (?, ?, ?, ?, ?)',
    [click.outboxId, click.enrollmentId, click.kind, click.userAgent.slice(0, 512), click.at],
  );
  return result.affectedRows === 1;
}

/** Stores the link-signing key (settings row of shop 0) unless one is there already: the first sidecar's key wins. */
export async function insertLinkSecretIfAbsent(db: Queryable, value: { secret: string }): Promise<void> {
  await execute(db, "INSERT IGNORE INTO settings (shop_id, `key`, value) VALUES (0, 'link_secret', ?)", [
    JSON.stringify({ secret: sealed(db, value.secret) }),
  ]);
}

/** The stored link-signing setting as written (checked by the caller), or null before there is one. */
export async function storedLinkSecret(db: Queryable): Promise<{ secret?: unknown } | null> {
  const row = await selectOne(db, "SELECT value FROM settings WHERE shop_id = 0 AND `key` = 'link_secret'", [], (r) =>
    r.json<{ secret?: unknown }>('value'),
  );
  if (typeof row?.secret === 'string') return { secret: secretBoxOf(db).open(row.secret) };
  return row ?? null;
}
