import { __, _n, sprintf } from '@wordpress/i18n';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import { enterCustomersFromSql } from '../flows/entry/customer-entry.ts';
import { exitEnrollments } from '../flows/entry/enrollment.ts';
import { cancelPending } from '../messages/outbox.ts';
import { channelName } from '../messages/message-channel.ts';
import { segmentTag } from '../segments/segment-tags.ts';
import {
  rangedNumber,
  sendWindowSchema,
  stepSchema,
  type FlowDefinition,
  type FlowStep,
  type SendWindow,
} from '../flows/definition/flow-definition.ts';
import { NUMBER_RANGES } from '../flows/definition/flow-texts.ts';
import { loadFlow, saveFlow, setFlowEnabled } from '../flows/definition/flow-store.ts';
import { validFlowDefinition } from '../flows/admin/flow-routes.ts';
import { AppError } from '../errors.ts';
import {
  campaignFlowKey,
  campaignStatus,
  campaignsWithStats,
  cancelIfNotDone,
  claimForLaunch,
  countAudience,
  dueCampaigns,
  flowEnrollments,
  insertCampaign,
  launchAudienceSql,
  lockCampaign,
  markFinishedCampaignsSent,
  scheduleIfNotStarted,
  setLaunchAudience,
  updateCampaignFields,
  type CampaignFields,
  type DueCampaign,
  type CampaignStatus,
} from './campaign-store.ts';

/** A campaign as the merchant writes it: who (segments), what (one step's texts and channels), when, how fast. */
export const campaignSchema = z.object({
  name: z.string().trim().min(1).max(120),
  /** Customers with any of these tags; empty = every customer. */
  tags: z.array(segmentTag).max(20).default([]),
  excludeTags: z.array(segmentTag).max(20).default([]),
  /** Null: a draft. */
  sendAt: z.iso.datetime({ offset: true }).nullable().default(null),
  /** Sends spread at most this many a minute (providers' rate limits, the shop's server on the clicks). */
  perMinute: rangedNumber(NUMBER_RANGES.perMinute).default(60),
  holdOutPercent: rangedNumber(NUMBER_RANGES.holdOutPercent).default(0),
  /** In the customer's zone; a send falling outside waits for the next opening. */
  sendWindow: sendWindowSchema.nullable().default({ start: '09:00', end: '20:00' }),
  step: stepSchema,
});
export type CampaignInput = z.input<typeof campaignSchema>;
type CampaignDraft = z.output<typeof campaignSchema>;

/** The flow a campaign's message runs as: marketing (opt-in, caps, quiet hours), one step at once, ended by a purchase. */
function campaignFlow(campaign: CampaignDraft): FlowDefinition {
  try {
    return checkedCampaignFlow(campaign);
  } catch (error) {
    // The texts' problems, named as the campaign's fields (step.email.body) rather than the flow's.
    if (error instanceof AppError && Array.isArray(error.details)) {
      const details = (error.details as Array<{ field?: string; path?: unknown }>).map((d) =>
        d.field ? { ...d, field: d.field.replace(/^steps\.0\./, 'step.') } : d,
      );
      throw new AppError(error.code, error.message, error.status, true, details);
    }
    throw error;
  }
}

function checkedCampaignFlow(campaign: CampaignDraft): FlowDefinition {
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

/** What a create or a change stores: a campaign with a send time is scheduled, one without is a draft. */
function storedFields(campaign: CampaignDraft): CampaignFields {
  return {
    name: campaign.name,
    segments: { tags: campaign.tags, excludeTags: campaign.excludeTags },
    sendAt: campaign.sendAt ? new Date(campaign.sendAt) : null,
    perMinute: campaign.perMinute,
    status: campaign.sendAt ? 'scheduled' : 'draft',
  };
}

/**
 * A campaign is scheduled only if it reaches someone: a segment nobody of which agreed to
 * marketing on the campaign's channels is refused (422), saying which segment, which channels and
 * how many customers it holds, at the segment field.
 */
async function refuseEmptyAudience(
  pool: Pool,
  shopId: number,
  audience: { tags: string[]; excludeTags: string[] },
  channels: string[],
): Promise<void> {
  const { customers, reachable } = await countAudience(pool, shopId, audience, channels);
  if (reachable > 0) return;
  const or = (words: string[]) => words.reduce((all, next) => sprintf(__('%1$s or %2$s', 'comeback'), all, next));
  const and = (words: string[]) => words.reduce((all, next) => sprintf(__('%1$s and %2$s', 'comeback'), all, next));
  const by = or(channels.map((c) => channelName(c, true)));
  const message = audience.tags.length
    ? sprintf(
        // translators: 1: segments, e.g. "vip or loyal", 2: channels, e.g. "email or SMS", 3: how many customers the segments hold.
        _n(
          '0 customers in %1$s agreed to marketing by %2$s (%3$d customer in all): the campaign would reach nobody',
          '0 customers in %1$s agreed to marketing by %2$s (%3$d customers in all): the campaign would reach nobody',
          customers,
          'comeback',
        ),
        or(audience.tags),
        by,
        customers,
      )
    : audience.excludeTags.length
      ? sprintf(
          // translators: 1: segments left out, e.g. "vip and new", 2: channels, e.g. "email or SMS", 3: how many customers are outside them.
          _n(
            '0 customers outside %1$s agreed to marketing by %2$s (%3$d customer in all): the campaign would reach nobody',
            '0 customers outside %1$s agreed to marketing by %2$s (%3$d customers in all): the campaign would reach nobody',
            customers,
            'comeback',
          ),
          and(audience.excludeTags),
          by,
          customers,
        )
      : sprintf(
          // translators: 1: channels, e.g. "email or SMS", 2: how many customers the shop has.
          _n(
            '0 customers of the shop agreed to marketing by %1$s (%2$d customer in all): the campaign would reach nobody',
            '0 customers of the shop agreed to marketing by %1$s (%2$d customers in all): the campaign would reach nobody',
            customers,
            'comeback',
          ),
          by,
          customers,
        );
  throw new AppError('empty_audience', message, 422, true, [
    { field: audience.excludeTags.length && !audience.tags.length ? 'excludeTags' : 'tags', message },
  ]);
}

/** Creates a campaign: a draft, or scheduled when it has a send time. Its texts are checked like a flow's (400 with positions). */
export async function createCampaign(pool: Pool, shopId: number, input: unknown): Promise<number> {
  const campaign = campaignSchema.parse(input);
  const definition = campaignFlow(campaign);
  if (campaign.sendAt) await refuseEmptyAudience(pool, shopId, campaign, campaign.step.channels);
  return inTransaction(pool, async (conn) => {
    const { id, flowKey } = await insertCampaign(conn, shopId, storedFields(campaign));
    await saveFlow(conn, shopId, flowKey, definition, false);
    return id;
  });
}

/** Changes a draft or scheduled campaign (one already sending is not changed under its recipients). */
export async function updateCampaign(pool: Pool, shopId: number, id: number, input: unknown): Promise<void> {
  const campaign = campaignSchema.parse(input);
  const definition = campaignFlow(campaign);
  if (campaign.sendAt) await refuseEmptyAudience(pool, shopId, campaign, campaign.step.channels);
  await inTransaction(pool, async (conn) => {
    const stored = await lockCampaign(conn, shopId, id);
    if (!stored) throw noCampaign(id);
    if (!['draft', 'scheduled'].includes(stored.status)) throw campaignStarted(stored.status);
    await updateCampaignFields(conn, id, storedFields(campaign));
    await saveFlow(conn, shopId, stored.flowKey, definition, false);
  });
}

/** Sets a draft's or scheduled campaign's time; one that would reach nobody is refused (422, why). */
export async function scheduleCampaign(pool: Pool, shopId: number, id: number, sendAt: Date): Promise<void> {
  const [campaign] = await listCampaigns(pool, shopId, id);
  if (!campaign || !['draft', 'scheduled'].includes(campaign.status)) throw await notChangeable(pool, shopId, id);
  await refuseEmptyAudience(pool, shopId, campaign, campaign.step?.channels ?? []);
  if (!(await scheduleIfNotStarted(pool, shopId, id, sendAt))) throw await notChangeable(pool, shopId, id);
}

/** Stops a campaign: not launched yet, it never will be; sending, what has not gone yet does not go. */
export async function cancelCampaign(pool: Pool, shopId: number, id: number, now: Date): Promise<void> {
  if (!(await cancelIfNotDone(pool, shopId, id))) throw await notChangeable(pool, shopId, id);
  const flowKey = (await campaignFlowKey(pool, id))!; // just cancelled, so it is there
  await setFlowEnabled(pool, shopId, flowKey, false);
  const entered = await flowEnrollments(pool, shopId, flowKey);
  await exitEnrollments(
    pool,
    entered.filter((e) => e.status === 'active').map((e) => e.id),
    'campaign cancelled',
    now,
  );
  // Its single step completes as the message is queued: one still waiting to go is stopped too.
  for (const e of entered) await cancelPending(pool, e.id);
}

async function notChangeable(pool: Pool, shopId: number, id: number): Promise<AppError> {
  const status = await campaignStatus(pool, shopId, id);
  return status !== null ? campaignStarted(status) : noCampaign(id);
}

/** 409 for a campaign past its draft or schedule. */
function campaignStarted(status: string): AppError {
  // translators: %s: the campaign's status as the API names it (sending, sent, cancelled).
  return new AppError('campaign_started', sprintf(__('the campaign is %s: it can no longer be changed', 'comeback'), status), 409);
}

/** 404 for a campaign the shop does not have. */
// translators: %d: the campaign's number.
export const noCampaign = (id: number) => AppError.notFound(sprintf(__('no campaign %d', 'comeback'), id));

/**
 * Launches the campaigns whose time came: each is claimed by one sidecar (status scheduled →
 * sending), its flow switched on, and its audience entered in SQL with the sends spread
 * `per_minute` from the send time; the step runner then applies consent, caps, quiet hours and
 * the hold-out to each. A campaign whose last message is done is marked sent.
 */
export async function launchDueCampaigns(pool: Pool, now: Date): Promise<number> {
  let launched = 0;
  let failure: { error: unknown } | undefined;
  for (const campaign of await dueCampaigns(pool, now)) {
    try {
      if (await launch(pool, campaign, now)) launched++;
    } catch (error) {
      failure ??= { error }; // the others still go; the job reports it, and the next minute tries again
    }
  }
  await markFinishedCampaignsSent(pool, now);
  if (failure) throw failure.error;
  return launched;
}

/**
 * One launch, all or nothing: the claim (scheduled → sending, which a second sidecar then finds
 * taken), the flow switched on, the audience entered and counted, in one transaction. A launch
 * that fails or dies leaves the campaign scheduled, to be launched at the next try.
 */
async function launch(pool: Pool, campaign: DueCampaign, now: Date): Promise<boolean> {
  return inTransaction(pool, async (conn) => {
    if (!(await claimForLaunch(conn, campaign.id, now))) return false; // another sidecar has it
    const { shopId, flowKey } = campaign;
    // Saved when the campaign was made, so this is the flag's UPDATE (no nested transaction).
    const flow = await setFlowEnabled(conn, shopId, flowKey, true);
    if (!flow) throw new Error(`campaign ${campaign.id} has lost its flow ${flowKey}`);
    const audience = launchAudienceSql(shopId, flow.definition.audience, campaign.sendAt);
    const entered = await enterCustomersFromSql(conn, shopId, flow, audience, now, campaign.perMinute);
    await setLaunchAudience(conn, campaign.id, entered);
    return true;
  });
}

export type AudienceSize = { customers: number; reachable: number; optedOut: number; heldOutEstimate: number };

/**
 * Who a campaign would reach, before it is sent: the segment's customers; those with an opt-in on
 * one of the channels (a marketing message needs one); those who opted out on them all; and the
 * share the hold-out would keep back.
 */
export async function campaignAudience(
  pool: Pool,
  shopId: number,
  audience: { tags: string[]; excludeTags: string[] },
  channels: string[],
  holdOutPercent: number,
): Promise<AudienceSize> {
  const counted = await countAudience(pool, shopId, audience, channels);
  return { ...counted, heldOutEstimate: Math.round((counted.reachable * holdOutPercent) / 100) };
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
  return Promise.all(
    (await campaignsWithStats(pool, shopId, id)).map(async (c) => {
      const flow = await loadFlow(pool, shopId, c.flowKey);
      return {
        id: c.id,
        name: c.name,
        ...c.segments,
        sendAt: c.sendAt,
        perMinute: c.perMinute,
        status: c.status as CampaignStatus,
        audience: c.launchedTo,
        holdOutPercent: flow?.definition.holdOutPercent ?? 0,
        sendWindow: flow?.definition.sendWindow ?? null,
        step: flow?.definition.steps[0] ?? null,
        stats: { ...c.stats, revenue: c.stats.revenue.toFixed(2) },
      };
    }),
  );
}
