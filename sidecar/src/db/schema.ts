import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  datetime,
  decimal,
  double,
  index,
  int,
  json,
  longtext,
  mysqlTable,
  smallint,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';

// Every time is DATETIME(3) in UTC (the pool sets timezone 'Z').
export const time = (name: string) => datetime(name, { mode: 'date', fsp: 3 });
export const createdAt = () =>
  time('created_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`);
export const id = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey();
export const ref = (name: string) => bigint(name, { mode: 'number', unsigned: true });

/**
 * agenda's jobs. Column names mirror agenda's JobParameters; the scheduler's MySQL
 * backend is the only code that reads or writes this table.
 */
export const agendaJobs = mysqlTable(
  'agenda_jobs',
  {
    id: id(),
    name: varchar('name', { length: 191 }).notNull(),
    priority: int('priority').notNull().default(0),
    nextRunAt: time('next_run_at'),
    type: varchar('type', { length: 16 }).notNull().default('normal'),
    lockedAt: time('locked_at'),
    lastRunAt: time('last_run_at'),
    lastFinishedAt: time('last_finished_at'),
    failedAt: time('failed_at'),
    failCount: int('fail_count'),
    failReason: text('fail_reason'),
    repeatInterval: varchar('repeat_interval', { length: 255 }),
    repeatTimezone: varchar('repeat_timezone', { length: 64 }),
    repeatAt: varchar('repeat_at', { length: 64 }),
    startDate: time('start_date'),
    endDate: time('end_date'),
    skipDays: varchar('skip_days', { length: 32 }),
    data: json('data'),
    disabled: boolean('disabled').notNull().default(false),
    progress: double('progress'),
    fork: boolean('fork').notNull().default(false),
    lastModifiedBy: varchar('last_modified_by', { length: 255 }),
    debounceStartedAt: time('debounce_started_at'),
    // MySQL has no partial unique index: a generated column that is NULL for non-single
    // jobs gives "one row per name for type = single" without blocking normal jobs.
    singleName: varchar('single_name', { length: 191 }).generatedAlwaysAs(sql`(CASE WHEN \`type\` = 'single' THEN \`name\` END)`, {
      mode: 'stored',
    }),
    createdAt: createdAt(),
  },
  (t) => [
    // The claim query: name = ? AND disabled = 0 AND locked_at IS NULL AND next_run_at <= ?
    // ORDER BY next_run_at, priority DESC — served in index order, no filesort, no scan of future jobs.
    index('agenda_jobs_claim').on(t.name, t.disabled, t.lockedAt, t.nextRunAt, sql`\`priority\` DESC`),
    // Stale-lock recovery: name = ? AND locked_at <= deadline.
    index('agenda_jobs_locked').on(t.name, t.lockedAt),
    index('agenda_jobs_next_run').on(t.nextRunAt),
    uniqueIndex('agenda_jobs_single').on(t.singleName),
  ],
);

/** A connected WooCommerce shop. `consumer_secret` and `webhook_secret` (the shared secret) are stored sealed (db/secret-box.ts). */
export const shops = mysqlTable(
  'shops',
  {
    id: id(),
    url: varchar('url', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }),
    consumerKey: varchar('consumer_key', { length: 255 }),
    consumerSecret: varchar('consumer_secret', { length: 255 }),
    webhookSecret: varchar('webhook_secret', { length: 255 }).notNull(),
    timezone: varchar('timezone', { length: 64 }).notNull().default('UTC'),
    currency: char('currency', { length: 3 }),
    lastReconciledAt: time('last_reconciled_at'),
    /** The shop's order webhooks as last seen over REST: [{topic, id, status, action}]. */
    webhooks: json('webhooks'),
    webhooksCheckedAt: time('webhooks_checked_at'),
    /** Why the last REST call for this shop failed (keys revoked, shop down…); null when healthy. */
    connectionError: text('connection_error'),
    /**
     * Where the shop's plugin answers payment links (`<link_base>?comeback=<token>`), so customers
     * click a link on the shop's own domain; null: links point at the sidecar's /r/.
     */
    linkBase: varchar('link_base', { length: 255 }),
    /** A stand-in shop started by `npm run up` for newcomers, never a real store. */
    demo: boolean('demo').notNull().default(false),
    /**
     * 'active'; 'paused': nobody enters, waiting steps and messages are held (not lost), nothing is
     * written into the shop; 'disconnected': webhooks deleted, waiting messages cancelled, key forgotten.
     */
    state: varchar('state', { length: 16, enum: ['active', 'paused', 'disconnected'] })
      .notNull()
      .default('active'),
    /** Who changed the state: 'merchant', 'plugin-deactivated', 'plugin-unreachable', 'plugin-uninstalled'; null while never changed. */
    stateReason: varchar('state_reason', { length: 32 }),
    stateChangedAt: time('state_changed_at'),
    /** Sweeps in a row in which the plugin's signed profile endpoint failed (a deleted plugin is noticed by it). */
    profileFailures: int('profile_failures').notNull().default(0),
    /**
     * A shared-secret rotation (woo/shop-secret-rotation.ts): the new secret (sealed) while it waits
     * for the plugin's confirmation, both it and `webhook_secret` verify meanwhile; after the confirm
     * the old one (sealed) verifies webhooks already on their way until `secret_rotated_at` + a short grace.
     */
    nextSecret: varchar('next_secret', { length: 255 }),
    previousSecret: varchar('previous_secret', { length: 255 }),
    secretRotatedAt: time('secret_rotated_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('shops_url').on(t.url)],
);

/** Per-shop settings, one JSON document per key (e.g. `recovery`), versioned for optimistic writes. */
export const settings = mysqlTable(
  'settings',
  {
    shopId: ref('shop_id').notNull(),
    key: varchar('key', { length: 64 }).notNull(),
    value: json('value').notNull(),
    version: int('version').notNull().default(1),
    updatedAt: time('updated_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [uniqueIndex('settings_shop_key').on(t.shopId, t.key)],
);

/** Every received webhook, stored before it is answered; processed afterwards. */
export const events = mysqlTable(
  'events',
  {
    id: id(),
    shopId: ref('shop_id'),
    source: varchar('source', { length: 32 }).notNull(),
    topic: varchar('topic', { length: 64 }).notNull(),
    resourceId: bigint('resource_id', { mode: 'number', unsigned: true }),
    // sha256 over (webhook id, resource id, date_modified, topic, body hash): repeats collapse here.
    dedupKey: char('dedup_key', { length: 64 }).notNull(),
    bodyHash: char('body_hash', { length: 64 }).notNull(),
    body: longtext('body').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('received'),
    error: text('error'),
    attempts: smallint('attempts').notNull().default(0),
    receivedAt: time('received_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    processedAt: time('processed_at'),
  },
  (t) => [
    uniqueIndex('events_dedup').on(t.dedupKey),
    index('events_pending').on(t.status, t.id),
    index('events_resource').on(t.shopId, t.resourceId, t.receivedAt),
    // Retention: a shop's deliveries older than its limit, oldest first.
    index('events_received').on(t.shopId, t.receivedAt),
  ],
);

/** The latest known state of each order, from webhooks and REST reads. */
export const orders = mysqlTable(
  'orders',
  {
    shopId: ref('shop_id').notNull(),
    orderId: bigint('order_id', { mode: 'number', unsigned: true }).notNull(),
    status: varchar('status', { length: 32 }).notNull(),
    paymentMethod: varchar('payment_method', { length: 64 }),
    total: decimal('total', { precision: 14, scale: 4 }).notNull().default('0'),
    currency: char('currency', { length: 3 }),
    email: varchar('email', { length: 255 }),
    phone: varchar('phone', { length: 32 }),
    customerId: bigint('customer_id', { mode: 'number', unsigned: true }),
    createdVia: varchar('created_via', { length: 32 }),
    datePaid: time('date_paid'),
    dateCreated: time('date_created'),
    dateModified: time('date_modified').notNull(),
    snapshot: json('snapshot').notNull(),
    /** The language the order was placed in (a WordPress locale, or WPML's language code), as the shop's plugin or multilingual plugin says. */
    language: varchar('language', { length: 32 }),
    /** The customer's own WordPress user locale, when they set one (the plugin reports it). */
    customerLocale: varchar('customer_locale', { length: 32 }),
    seenAt: time('seen_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    uniqueIndex('orders_pk').on(t.shopId, t.orderId),
    index('orders_modified').on(t.shopId, t.dateModified),
    index('orders_email').on(t.shopId, t.email),
  ],
);

/**
 * One subject (an order, a cart, a customer) inside one flow. The step runner claims
 * rows whose next_step_at is due; the agenda job only wakes it.
 */
export const enrollments = mysqlTable(
  'enrollments',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    flow: varchar('flow', { length: 64 }).notNull(),
    flowVersion: int('flow_version').notNull().default(1),
    subjectType: varchar('subject_type', { length: 16 }).notNull(),
    subjectId: varchar('subject_id', { length: 64 }).notNull(),
    status: varchar('status', { length: 16 }).notNull().default('active'),
    step: smallint('step').notNull().default(0),
    nextStepAt: time('next_step_at'),
    lockedAt: time('locked_at'),
    lockedBy: varchar('locked_by', { length: 255 }),
    exitReason: varchar('exit_reason', { length: 64 }),
    /** The order whose payment ended it (its own, the purchase that ended a cart or win-back, the same items paid again as a new order). */
    exitOrderId: bigint('exit_order_id', { mode: 'number', unsigned: true }),
    /** Why the last attempt at the current step failed; cleared when a step completes. */
    lastError: text('last_error'),
    /**
     * Until when the order is in recovery (its last reminder plus a day). Written on the order in
     * WooCommerce (meta _comeback_recovery_until) so the plugin spares it the hold-stock
     * auto-cancel; `mark_dirty` says the shop has not been told the latest state yet.
     */
    /** Drawn at entry (the flow's hold-out share): recorded and followed, never messaged, for the uplift report. */
    heldOut: boolean('held_out').notNull().default(false),
    /** What step delays count from: the order placed, the cart abandoned, the order completed. */
    anchorAt: time('anchor_at'),
    /** Who the subject belongs to (lower-cased email, else E.164 phone): frequency caps and exits by customer. */
    customerKey: varchar('customer_key', { length: 255 }),
    /**
     * A campaign send's place in its spread (seconds after the first, at the campaign's rate): a
     * send moved to the window's opening keeps it, so quiet hours do not undo the throttle.
     */
    spreadS: int('spread_s').notNull().default(0),
    markUntil: time('mark_until'),
    markDirty: boolean('mark_dirty').notNull().default(false),
    enteredAt: time('entered_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    exitedAt: time('exited_at'),
  },
  (t) => [
    uniqueIndex('enrollments_subject').on(t.shopId, t.flow, t.subjectType, t.subjectId),
    index('enrollments_due').on(t.status, t.nextStepAt),
    index('enrollments_shop_entered').on(t.shopId, t.enteredAt),
    index('enrollments_mark_dirty').on(t.markDirty, t.shopId),
    index('enrollments_customer').on(t.shopId, t.customerKey, t.status),
  ],
);

/** A message about to be or already sent. The idempotency key makes a repeated step send once. */
export const outbox = mysqlTable(
  'outbox',
  {
    id: id(),
    idempotencyKey: varchar('idempotency_key', { length: 191 }).notNull(),
    shopId: ref('shop_id').notNull(),
    enrollmentId: ref('enrollment_id'),
    step: smallint('step'),
    channel: varchar('channel', { length: 16 }).notNull(),
    recipient: varchar('recipient', { length: 255 }).notNull(),
    subject: varchar('subject', { length: 512 }),
    bodyHtml: longtext('body_html'),
    bodyText: longtext('body_text'),
    headers: json('headers'),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    nextAttemptAt: time('next_attempt_at'),
    lastError: text('last_error'),
    providerMessageId: varchar('provider_message_id', { length: 255 }),
    /** What a non-email channel needs besides the text (a WhatsApp template and its parameters). */
    payload: json('payload'),
    /** The customer (see enrollments.customer_key): the frequency cap counts their messages across flows. */
    customerKey: varchar('customer_key', { length: 255 }),
    /** The provider's last word on delivery (queued, sent, delivered, read, failed, undelivered). */
    deliveryStatus: varchar('delivery_status', { length: 16 }),
    deliveryError: varchar('delivery_error', { length: 255 }),
    deliveryAt: time('delivery_at'),
    // The random reference the message's signed links carry (pay, unsubscribe): no guessable id.
    linkRef: varchar('link_ref', { length: 64 }),
    /** The shop's order has been told of this send (a private order note; woo/order-notes.ts), or needs no note. */
    noted: boolean('noted').notNull().default(false),
    createdAt: createdAt(),
    sentAt: time('sent_at'),
    /**
     * When the row was handed to a provider that cannot tell a repeat (Twilio, WhatsApp): written
     * before the send, cleared when the provider refused it. A row claimed again with it set may have
     * been accepted by a sidecar that died before writing the outcome: it is never handed over again.
     */
    handedAt: time('handed_at'),
    /** The customer's language as chosen for this message (a WordPress locale), and what decided it. */
    language: varchar('language', { length: 32 }),
    languageSource: varchar('language_source', { length: 16 }),
    /** The translation the texts were taken from; null when the step's default text went. */
    textLanguage: varchar('text_language', { length: 32 }),
  },
  (t) => [
    uniqueIndex('outbox_idempotency').on(t.idempotencyKey),
    uniqueIndex('outbox_link_ref').on(t.linkRef),
    index('outbox_status').on(t.status, t.nextAttemptAt),
    index('outbox_enrollment').on(t.enrollmentId),
    index('outbox_shop_created').on(t.shopId, t.createdAt),
    index('outbox_customer').on(t.shopId, t.customerKey, t.createdAt),
    index('outbox_provider_id').on(t.providerMessageId),
    index('outbox_noted').on(t.noted, t.status),
  ],
);

/** A click on a signed link. */
export const clicks = mysqlTable(
  'clicks',
  {
    id: id(),
    outboxId: ref('outbox_id').notNull(),
    enrollmentId: ref('enrollment_id'),
    kind: varchar('kind', { length: 16 }).notNull(),
    userAgent: varchar('user_agent', { length: 512 }),
    clickedAt: time('clicked_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    /** Looked at for an order note (the first click of a message gets one; woo/order-notes.ts). */
    noted: boolean('noted').notNull().default(false),
  },
  // One click per message and instant: a click reported again (the plugin's queue retries) is the same click.
  (t) => [
    uniqueIndex('clicks_outbox_at').on(t.outboxId, t.clickedAt),
    index('clicks_enrollment').on(t.enrollmentId, t.clickedAt),
    index('clicks_noted').on(t.noted),
    // Retention: user agents older than the shop's limit.
    index('clicks_at').on(t.clickedAt),
  ],
);

/**
 * A recovered order: paid while in recovery, credited to the last reminder sent before the
 * payment (and the last click, if any). One row per order.
 */
export const attributions = mysqlTable(
  'attributions',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    orderId: bigint('order_id', { mode: 'number', unsigned: true }).notNull(),
    enrollmentId: ref('enrollment_id').notNull(),
    flow: varchar('flow', { length: 64 }).notNull(),
    outboxId: ref('outbox_id'),
    step: smallint('step'),
    channel: varchar('channel', { length: 16 }),
    clickId: ref('click_id'),
    revenue: decimal('revenue', { precision: 14, scale: 4 }).notNull(),
    currency: char('currency', { length: 3 }),
    paidAt: time('paid_at').notNull(),
    /** The shop's order has been told it was recovered (a private order note; woo/order-notes.ts), or needs no note. */
    noted: boolean('noted').notNull().default(false),
  },
  (t) => [
    uniqueIndex('attributions_order').on(t.shopId, t.orderId),
    index('attributions_shop_paid').on(t.shopId, t.paidAt),
    index('attributions_noted').on(t.noted),
  ],
);

/**
 * A flow as the merchant last saved it. Every save is a new row in flow_versions; running
 * enrollments keep the version they entered with.
 */
export const flows = mysqlTable(
  'flows',
  {
    shopId: ref('shop_id').notNull(),
    flowKey: varchar('flow_key', { length: 64 }).notNull(),
    version: int('version').notNull(),
    enabled: boolean('enabled').notNull().default(false),
    updatedAt: time('updated_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [uniqueIndex('flows_pk').on(t.shopId, t.flowKey)],
);

export const flowVersions = mysqlTable(
  'flow_versions',
  {
    shopId: ref('shop_id').notNull(),
    flowKey: varchar('flow_key', { length: 64 }).notNull(),
    version: int('version').notNull(),
    definition: json('definition').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('flow_versions_pk').on(t.shopId, t.flowKey, t.version)],
);

/** Why a step of an enrollment did or did not send, one row per decision (the admin's "why not sent"). */
export const stepLog = mysqlTable(
  'step_log',
  {
    id: id(),
    enrollmentId: ref('enrollment_id').notNull(),
    step: smallint('step').notNull(),
    channel: varchar('channel', { length: 16 }),
    outcome: varchar('outcome', { length: 32 }).notNull(),
    detail: varchar('detail', { length: 512 }),
    outboxId: ref('outbox_id'),
    at: time('at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  // step_log_at: retention prunes by time.
  (t) => [index('step_log_enrollment').on(t.enrollmentId, t.at), index('step_log_at').on(t.at)],
);

/** The columns a consent change carries, in its log and in the current state it leaves. */
const consentColumns = () => ({
  shopId: ref('shop_id').notNull(),
  /** 'order', 'cart' or 'marketing' (consent/consent.ts): a grant for one never implies another. */
  purpose: varchar('purpose', { length: 16 }).notNull(),
  channel: varchar('channel', { length: 16 }).notNull(),
  address: varchar('address', { length: 255 }).notNull(),
  /** granted, withdrawn, bounced (email: no more marketing), pending (a marketing email grant waiting for its double opt-in click). */
  status: varchar('status', { length: 16 }).notNull(),
  source: varchar('source', { length: 32 }).notNull(),
  /** The wording shown to the customer. */
  text: varchar('text', { length: 1000 }),
  /** Proof: sha256(shop secret + IP), the WordPress user id, the import batch, the message, the admin's reason. */
  ipHash: char('ip_hash', { length: 64 }),
  userId: ref('user_id'),
  importBatch: varchar('import_batch', { length: 36 }),
  outboxId: ref('outbox_id'),
  reason: varchar('reason', { length: 500 }),
  /** When the caller said it happened (the shop's clock, an import's date): shown, never used to order. */
  claimedAt: time('claimed_at'),
  /** When the sidecar received it: everything is ordered by this. */
  changedAt: time('changed_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
});

/**
 * Every consent change received, refused ones included (`applied` false, with why): the history
 * the merchant and the customer are shown, and the proof of each grant. Append-only.
 */
export const consentLog = mysqlTable(
  'consent_log',
  {
    id: id(),
    ...consentColumns(),
    applied: boolean('applied').notNull().default(true),
    refusal: varchar('refusal', { length: 255 }),
  },
  (t) => [index('consent_log_address').on(t.shopId, t.address, t.changedAt)],
);

/**
 * The current consent per customer address, purpose and channel (email lower-cased, phones E.164):
 * the last change of consent_log that was applied. A withdrawal is lifted only by the same
 * person's verified act (consent/consent-rules.ts).
 */
export const consents = mysqlTable(
  'consents',
  {
    id: id(),
    ...consentColumns(),
    logId: ref('log_id'),
  },
  (t) => [uniqueIndex('consents_address').on(t.shopId, t.address, t.channel, t.purpose)],
);

/** A shopper's cart captured at checkout (with consent), restorable by a signed link on any device. */
export const carts = mysqlTable(
  'carts',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    /** The plugin's key for the shopper's session (a hash of WooCommerce's session customer id). */
    sessionKey: varchar('session_key', { length: 64 }).notNull(),
    /** The random reference the restore link carries (never the row id). */
    ref: varchar('ref', { length: 64 }).notNull(),
    email: varchar('email', { length: 255 }),
    phone: varchar('phone', { length: 32 }),
    customerKey: varchar('customer_key', { length: 255 }),
    firstName: varchar('first_name', { length: 128 }),
    country: char('country', { length: 2 }),
    locale: varchar('locale', { length: 16 }),
    contents: json('contents').notNull(),
    total: decimal('total', { precision: 14, scale: 4 }).notNull().default('0'),
    currency: char('currency', { length: 3 }),
    /** open → abandoned (no order after N minutes) → ordered (an order from the same customer). */
    status: varchar('status', { length: 16 }).notNull().default('open'),
    source: varchar('source', { length: 16 }).notNull(),
    orderId: bigint('order_id', { mode: 'number', unsigned: true }),
    lastActivityAt: time('last_activity_at').notNull(),
    abandonedAt: time('abandoned_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('carts_session').on(t.shopId, t.sessionKey),
    uniqueIndex('carts_ref').on(t.ref),
    index('carts_open').on(t.status, t.lastActivityAt),
    index('carts_customer').on(t.shopId, t.customerKey, t.status),
    // Retention: a shop's carts idle longer than its limit.
    index('carts_activity').on(t.shopId, t.lastActivityAt),
  ],
);

/** One conversation per customer and channel: the last inbound message opens WhatsApp's 24-hour window. */
export const conversations = mysqlTable(
  'conversations',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    channel: varchar('channel', { length: 16 }).notNull(),
    address: varchar('address', { length: 255 }).notNull(),
    lastInboundAt: time('last_inbound_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('conversations_address').on(t.shopId, t.channel, t.address)],
);

/** A message a customer sent us (SMS reply, WhatsApp message), kept in their conversation. */
export const inboundMessages = mysqlTable(
  'inbound_messages',
  {
    id: id(),
    conversationId: ref('conversation_id').notNull(),
    providerMessageId: varchar('provider_message_id', { length: 255 }).notNull(),
    body: text('body'),
    kind: varchar('kind', { length: 16 }).notNull(),
    receivedAt: time('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('inbound_provider_id').on(t.providerMessageId),
    index('inbound_conversation').on(t.conversationId, t.receivedAt),
    index('inbound_received').on(t.receivedAt),
  ],
);

/** Every delivery status a provider reported for a message (the outbox row keeps the latest). */
export const messageStatuses = mysqlTable(
  'message_statuses',
  {
    id: id(),
    outboxId: ref('outbox_id').notNull(),
    status: varchar('status', { length: 16 }).notNull(),
    errorCode: varchar('error_code', { length: 32 }),
    at: time('at').notNull(),
  },
  (t) => [uniqueIndex('message_statuses_once').on(t.outboxId, t.status)],
);

/** Something the merchant must act on: a provider failing, the queue stuck, a webhook disabled. */
export const alerts = mysqlTable(
  'alerts',
  {
    id: id(),
    shopId: ref('shop_id'),
    kind: varchar('kind', { length: 32 }).notNull(),
    /** What it is about (a channel, a webhook id); one open alert per shop, kind and subject. */
    subject: varchar('subject', { length: 64 }).notNull().default(''),
    message: varchar('message', { length: 1000 }).notNull(),
    openedAt: time('opened_at').notNull(),
    lastSeenAt: time('last_seen_at').notNull(),
    resolvedAt: time('resolved_at'),
    notifiedAt: time('notified_at'),
    /** NULL once resolved, so a new alert of the same kind can open while old ones stay as history. */
    openKey: varchar('open_key', { length: 140 }),
  },
  (t) => [uniqueIndex('alerts_open').on(t.openKey), index('alerts_shop').on(t.shopId, t.openedAt)],
);

/**
 * Signatures of plugin- and program-signed writes already received (a SHA-256 of each), kept
 * until their five-minute window closes: every sidecar of the database refuses the same request
 * a second time. Pruned by the sidecars as they write (http/signature-replays.ts).
 */
export const signedRequests = mysqlTable(
  'signed_requests',
  {
    signatureHash: char('signature_hash', { length: 64 }).primaryKey(),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('signed_requests_expiry').on(t.expiresAt)],
);

/**
 * Each shop's SMS and WhatsApp messages handed to a provider per UTC day, against its daily
 * budget (channels/send-limits.ts): a slot is taken atomically before the send, so sidecars
 * sharing the database keep one count; `held` counts messages that waited for the next day.
 */
export const sendBudgets = mysqlTable(
  'send_budgets',
  {
    shopId: ref('shop_id').notNull(),
    channel: varchar('channel', { length: 16 }).notNull(),
    day: char('day', { length: 10 }).notNull(),
    used: int('used').notNull().default(0),
    held: int('held').notNull().default(0),
  },
  (t) => [uniqueIndex('send_budgets_shop_channel_day').on(t.shopId, t.channel, t.day)],
);

/**
 * Where a shop's test messages may go when the admin token asks (flows/admin/test-recipients.ts):
 * an address the merchant added, usable once `verified_at` is set: an email by its confirmation
 * link's button, a phone (E.164) by the code texted to it. Emails lower-cased. Erased with the shop and by a privacy request naming the address.
 */
export const testRecipients = mysqlTable(
  'test_recipients',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    channel: varchar('channel', { length: 16 }).notNull(),
    address: varchar('address', { length: 255 }).notNull(),
    verifiedAt: time('verified_at'),
    /** A phone's pending code: an HMAC of the 6 digits texted to it, until when it is good, and wrong tries. */
    codeHash: char('code_hash', { length: 64 }),
    codeExpiresAt: time('code_expires_at'),
    codeAttempts: int('code_attempts').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('test_recipients_address').on(t.shopId, t.address)],
);
