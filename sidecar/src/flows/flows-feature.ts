import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import type { MessageChannel } from '../messages/message-channel.ts';
import type { OrderChanges } from '../events/order-changes.ts';
import type { Logger } from '../logger.ts';
import type { MessageDeps, StepMessage } from '../messages/step-message.ts';
import type { ShopClients } from '../woo/shop-clients.ts';
import { flowRoutes } from './admin/flow-routes.ts';
import { queueRoutes } from './admin/queue-routes.ts';
import { recoveryRoutes } from './admin/recovery-routes.ts';
import { previewRoutes } from './admin/preview-routes.ts';
import { testRecipientConfirmRoutes, testRecipientRoutes } from './admin/test-recipients.ts';
import { shopsWithEnabledFlows } from './definition/flow-store.ts';
import {
  enterBirthdays,
  enterLapsedCustomers,
  enterLoyaltyFlows,
  enterPendingLoyaltyEvents,
  type LoyaltyEventRef,
} from './entry/customer-entry.ts';
import { createChannelFallback, type Undeliverable } from './steps/channel-fallback.ts';
import { messagingSettingsRoutes } from './admin/messaging-settings-routes.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { runDueSteps } from './steps/step-runner.ts';
import { nextStepDueAt } from './steps/step-store.ts';

export type FlowsFeature = Feature & {
  /** One batch of due steps (the step loop's work): how many were claimed, and whether messages were queued. */
  runDueSteps(limit: number): Promise<{ claimed: number; queued: number }>;
  /** When the next step falls due after `after` (null: none waits): the step loop wakes then. */
  nextStepDueAt(after: Date): Promise<Date | null>;
  /** A message a provider can never deliver moves to the next channel of its step. */
  fallback(failed: Undeliverable): Promise<void>;
  /** A loyalty program's event enters the flows it triggers. */
  enterLoyaltyFlows(shopId: number, event: LoyaltyEventRef): Promise<void>;
};

/**
 * Flows: definitions and their admin (editor, recovery form, preview, queue), who enters and
 * leaves (order changes arrive through the order pipe; customers, birthdays and loyalty events
 * here), and the step runner. What it queues, the channels send (the send loop is kicked by the
 * root when the step loop queued something).
 */
export function flowsFeature(deps: {
  pool: Pool;
  logger: Logger;
  clock: () => Date;
  workerName: string;
  /** How long a claimed batch of steps stays this sidecar's without renewal (renewed while it is worked). */
  leaseMs: number;
  orderChanges: OrderChanges;
  wooClient: ShopClients;
  messageDeps: MessageDeps;
  queueMessage: (message: StepMessage) => Promise<{ id: number; created: boolean }>;
  channels: () => Record<MessageChannel, boolean>;
  kickSteps: () => void;
  metrics?: Metrics;
}): FlowsFeature {
  const { pool, clock, kickSteps } = deps;
  const onError = (what: string) => (error: unknown) => deps.logger.error({ err: error }, `${what} failed`);

  // Customers who lapsed (win-back) and whose birthday it is in their zone enter their flows.
  const enterCustomers = async (shopId: number) => {
    const entered = (await enterLapsedCustomers(pool, shopId, clock())) + (await enterBirthdays(pool, shopId, clock()));
    if (entered > 0) kickSteps();
  };
  // A saved or switched-on flow takes in the orders it would have taken, and runs what became due.
  // Its lapsed customers are entered after the answer: switching win-back on for a large shop
  // enters hundreds of thousands (17 s for 828,316 in BENCHMARKS.md), and the 15-minute job would.
  const takeInOrders = async (shopId: number) => {
    await deps.orderChanges.replayRecent(pool, shopId, clock());
    kickSteps();
  };
  const onSaved = async (shopId: number) => {
    await takeInOrders(shopId);
    void enterCustomers(shopId).catch(onError('entering lapsed customers and birthdays'));
  };

  return {
    publicRoutes: [testRecipientConfirmRoutes(deps.messageDeps)],
    apiRoutes: [
      flowRoutes({ pool, channels: deps.channels, onSaved }),
      messagingSettingsRoutes({ pool }),
      // The recovery form saves the unpaid-order flow only: its orders, no customers.
      recoveryRoutes({ pool, onSaved: takeInOrders }),
      previewRoutes({ ...deps.messageDeps, channels: deps.channels }),
      testRecipientRoutes({ ...deps.messageDeps, channels: deps.channels }),
      queueRoutes({ pool, wooClient: deps.wooClient, orderChanges: deps.orderChanges, kickSteps }),
    ],
    jobs: [
      {
        name: 'customers.triggers',
        every: '15 minutes',
        async run() {
          for (const shopId of await shopsWithEnabledFlows(pool)) await enterCustomers(shopId);
        },
      },
      {
        // A loyalty event whose entry into its flows was cut short (the request failed, the process died).
        name: 'loyalty.pending',
        every: '1 minute',
        async run() {
          if ((await enterPendingLoyaltyEvents(pool, clock())) > 0) kickSteps();
        },
      },
    ],
    runDueSteps: (limit) =>
      runDueSteps(
        {
          pool,
          clock,
          workerName: deps.workerName,
          wooClient: deps.wooClient,
          queueMessage: deps.queueMessage,
          channels: deps.channels,
          orderChanges: deps.orderChanges,
          logger: deps.logger,
          metrics: deps.metrics,
        },
        { limit, leaseMs: deps.leaseMs },
      ),
    nextStepDueAt: (after) => nextStepDueAt(pool, after),
    fallback: createChannelFallback({ pool, clock, channels: deps.channels, queueMessage: deps.queueMessage }),
    async enterLoyaltyFlows(shopId, event) {
      if ((await enterLoyaltyFlows(pool, shopId, event, clock())) > 0) kickSteps();
    },
  };
}
