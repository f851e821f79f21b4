/**
 * The admin API's contract: the types of what the admin UI sends and what it gets back, taken
 * from the code that checks a request (the zod schemas) or builds an answer (each route's answer
 * type), so the UI and the sidecar are type-checked against the same definitions.
 *
 * Types only, and the one sidecar file the UI reads: admin-ui imports it with `import type` as
 * `@comeback/sidecar/api-contracts` (a path in admin-ui/tsconfig.json), so the UI bundles none
 * of the sidecar, and a file moved here is fixed in this file alone.
 *
 * A route's answer is typed as it arrives (AsJson): res.json writes each Date as its ISO string.
 * What the UI writes (a flow, the recovery settings, a campaign, the segment rules) is the
 * schema's own output type, which holds no Date: JSON carries it as it is.
 */
import type { z } from 'zod';
import type * as alertRoutes from './alerts/alert-routes.ts';
import type * as campaignRoutes from './campaigns/campaign-routes.ts';
import type * as campaigns from './campaigns/campaigns.ts';
import type * as consentChanges from './consent/consent-changes.ts';
import type * as consentImport from './consent/consent-import.ts';
import type * as consentView from './consent/consent-view.ts';
import type * as flowDefinition from './flows/definition/flow-definition.ts';
import type * as flowRoutes from './flows/admin/flow-routes.ts';
import type * as flowStore from './flows/definition/flow-store.ts';
import type * as messagePreview from './flows/admin/message-preview.ts';
import type * as messageTemplates from './messages/message-templates.ts';
import type * as queueRoutes from './flows/admin/queue-routes.ts';
import type * as previews from './flows/admin/preview-routes.ts';
import type * as testRecipients from './flows/admin/test-recipients.ts';
import type * as loyaltyRoutes from './loyalty/loyalty-routes.ts';
import type * as outboxRoutes from './messages/outbox-routes.ts';
import type * as privacyRoutes from './privacy/privacy-routes.ts';
import type * as reportRoutes from './reports/report-routes.ts';
import type * as segmentRoutes from './segments/segment-routes.ts';
import type * as segments from './segments/segments.ts';
import type * as historyImport from './woo/history-import.ts';
import type * as shopConnection from './woo/shop-connection.ts';
import type * as shopLifecycle from './woo/shop-lifecycle-routes.ts';
import type * as shopRoutes from './woo/shop-routes.ts';

/** A value as it arrives after res.json: every Date in it an ISO 8601 string. */
export type AsJson<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer Item>
    ? AsJson<Item>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;

// Errors: a 400 names its problems in `details` (the error body is { error: { code, message, details } }).
export type { FieldProblem } from './http/json-body.ts';
/** A shortcode problem of a text, at its field, line and column. */
export type TemplateFieldError = flowRoutes.FieldError;

// Lists with pages: ?page=&perPage= (queue, outbox, customers).
export type { Page } from './http/pagination.ts';

// Flows (/api/flows): the definition as the merchant edits it.
export type { Delay, FlowDefinition, FlowStep, StepCondition, Trigger, TriggerEvent } from './flows/definition/flow-definition.ts';
export type { MessageChannel } from './messages/message-channel.ts';
export type DelayUnit = flowDefinition.Delay['unit'];
export type TextTemplate = z.infer<typeof messageTemplates.textTemplateSchema>;
export type WhatsAppTemplate = z.infer<typeof messageTemplates.whatsAppStepSchema>;
export type StepCoupon = NonNullable<flowDefinition.FlowStep['coupon']>;
export type { Offer as CouponOffer, Expiry as CouponExpiry } from './offers/coupons.ts';
/** An unpaid-order flow's gateway patterns. */
export type Gateways = Extract<flowDefinition.Trigger, { event: 'order.unpaid' }>['gateways'];
export type { ChannelsConfigured } from './flows/admin/flow-routes.ts';
/** A step's texts in other languages, by WordPress locale (`pl_PL`): `FlowStep['translations']`. */
export type { Translations, TextTranslation, MessageLanguage } from './messages/message-templates.ts';
export type StoredFlow = AsJson<flowStore.StoredFlow>;
export type FlowList = AsJson<flowRoutes.FlowList>;
export type FlowDetail = AsJson<flowRoutes.FlowDetail>;

// Unpaid-order recovery (/api/settings/recovery, /api/recovery/preview).
export type { RecoverySettings, Reminder, ReminderTranslation } from './flows/definition/recovery-settings.ts';
export type { RecoveryView } from './flows/admin/recovery-routes.ts';
export type { PaymentGateway } from './woo/payment-gateways.ts';
export type ReminderPreview = AsJson<previews.Preview>;
export type StepPreview = AsJson<previews.StepPreview>;
/** What POST /api/previews (and, with `to`, /api/previews/test) takes; `language`: a WordPress locale to preview the step's text in. */
export type StepPreviewRequest = z.input<typeof messagePreview.previewRequestSchema>;
/** A preview's language: asked (null: none), the translation shown (null: the default text), and whether the default was shown for want of one. */
export type { PreviewLanguage } from './flows/admin/message-preview.ts';
export type PreviewSubjects = AsJson<previews.PreviewSubjects>;
/** GET/POST /api/test-recipients: where the admin token may send tests. */
export type TestRecipient = AsJson<testRecipients.TestRecipientView>;
export type TestRecipientList = AsJson<testRecipients.TestRecipientList>;

// Queue (/api/queue) and outbox (/api/outbox).
export type EnrollmentSummary = AsJson<queueRoutes.EnrollmentSummary>;
export type EnrollmentDetail = AsJson<queueRoutes.EnrollmentDetail>;
export type StepLogEntry = AsJson<queueRoutes.StepLogEntry>;
export type CancelledOrder = queueRoutes.CancelledOrder;
export type OutboxSummary = AsJson<outboxRoutes.OutboxSummary>;
export type OutboxDetail = AsJson<outboxRoutes.OutboxDetail>;
/** GET /api/shop/sender: who customers see their email from, and the layout's colours. */
export type { ShopSenderView } from './messages/sender-routes.ts';
/** POST /api/email/bounces: a delivery status notification (RFC 3464) taken in. */
export type { BounceIntake } from './channels/smtp/bounce-routes.ts';

// Campaigns (/api/campaigns).
export type { CampaignStatus } from './campaigns/campaign-store.ts';
export type AudienceSize = AsJson<campaigns.AudienceSize>;
export type Campaign = AsJson<campaigns.Campaign>;
export type CampaignList = AsJson<campaignRoutes.CampaignList>;
/** What POST /api/campaigns and PUT /api/campaigns/:id take, every default filled in. */
export type CampaignFields = z.output<typeof campaigns.campaignSchema>;

// Customers and segments (/api/customers, /api/segments, /api/settings/segments).
export type { ConsentStatus } from './consent/consent.ts';
// Consents (/api/consents): one customer's state and history, a change, an import.
export type ConsentState = AsJson<consentView.ConsentState>;
export type ConsentHistoryEntry = AsJson<consentView.ConsentHistoryEntry>;
export type ConsentView = { current: ConsentState[]; history: ConsentHistoryEntry[] };
/** What POST /api/consents takes, one change. */
export type ConsentChangeRequest = z.input<typeof consentChanges.consentChangeSchema>;
export type ConsentChangeResults = { results: consentChanges.ChangeResult[] };
export type ConsentImportResult = AsJson<consentImport.ImportResult>;
export type Customer = AsJson<segmentRoutes.Customer>;
export type ImportProgress = AsJson<historyImport.ImportProgress>;
export type SegmentCount = AsJson<segments.SegmentCount>;
export type SegmentsRecomputed = AsJson<segments.SegmentsRecomputed>;
export type SegmentList = AsJson<segmentRoutes.SegmentList>;
export type { ComputedTag, CustomSegment, SegmentRules } from './segments/segment-tags.ts';

// Loyalty (POST /api/events, /api/settings/loyalty, /api/nps, /api/customers/:email/profile).
export type { LoyaltyEventType } from './loyalty/loyalty-events.ts';
export type LoyaltySettings = AsJson<loyaltyRoutes.LoyaltySettings>;
export type NpsAnswers = AsJson<loyaltyRoutes.NpsAnswers>;
export type CustomerProfile = AsJson<loyaltyRoutes.CustomerProfile>;

// Alerts (/api/alerts, /api/settings/alerts).
export type { AlertKind } from './alerts/alert-checks.ts';
export type Alert = AsJson<alertRoutes.Alert>;
export type AlertList = AsJson<alertRoutes.AlertList>;
export type AlertEmailSettings = AsJson<alertRoutes.AlertEmailSettings>;

// The shop (/api/shops, /api/shop/connection).
export type ShopList = AsJson<shopRoutes.ShopList>;
export type ShopConnection = AsJson<shopConnection.ShopConnection>;
// Pausing, resuming and disconnecting the shop (POST /api/shop/pause, /resume, /disconnect).
export type ShopStateAnswer = AsJson<shopLifecycle.ShopStateAnswer>;
export type ShopDisconnect = AsJson<shopLifecycle.ShopDisconnect>;

// Reports: what GET /api/reports/recovery and /api/reports/customers answer.
export type RecoveryReport = AsJson<reportRoutes.RecoveryReportResponse>;
export type CustomerReport = AsJson<reportRoutes.CustomerReportResponse>;

export type { FirstRunChecklist, FirstRunItem } from './setup/first-run.ts';
export type { ChannelSenders } from './channels/channel-status-routes.ts';
export type { ChannelSender } from './channels/channel-runtime.ts';

// Privacy (POST /api/privacy/export and /erase) and retention (GET/PUT /api/settings/retention).
export type PrivacyExportPage = AsJson<privacyRoutes.PrivacyExportPage>;
export type PrivacyEraseResult = AsJson<privacyRoutes.PrivacyEraseResult>;
export type RetentionSettings = AsJson<privacyRoutes.RetentionSettings>;
export type { ChannelSettings } from './channels/channel-settings-routes.ts';
