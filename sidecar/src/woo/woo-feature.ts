import type { MerchantNet } from './merchant-url.ts';
import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import type { OrderChanges } from '../events/order-changes.ts';
import type { Logger } from '../logger.ts';
import { keyCallbackRoutes } from './key-callback.ts';
import { pushOrderMarks } from './order-marks.ts';
import { pushOrderNotes } from './order-notes.ts';
import { refreshProfilesFromPlugins } from './plugin-profile.ts';
import { reconcileAllShops } from './reconcile.ts';
import type { ShopClients } from './shop-clients.ts';
import { secretRotationRoutes } from './secret-rotation-routes.ts';
import { shopRoutes } from './shop-routes.ts';
import { shopLifecycleRoutes } from './shop-lifecycle-routes.ts';
import { WEBHOOK_PATH, webhookHandler } from './webhook-route.ts';
import type { Metrics } from '../metrics/metrics.ts';

/**
 * The WooCommerce side: connecting a shop (its REST key, from the admin or WooCommerce's own
 * key hand-over), the sweep that re-enables webhooks and reads orders a webhook missed, the
 * plugin's profile, the recovery marks pushed to orders, and the private order notes telling the
 * merchant of reminders sent, clicked and recovered. Webhook deliveries themselves come
 * in through http/app.ts (the hot path) and are stored by events/.
 */
export type WooFeature = Feature & { webhook: { path: string; handle: ReturnType<typeof webhookHandler> } };

export function wooFeature(deps: {
  pool: Pool;
  logger: Logger;
  deliveryUrl: () => string;
  orderChanges: OrderChanges;
  wooClient: ShopClients;
  /** A delivery was stored: the events loop processes it now. */
  onStored: () => void;
  /** A shop resumed: the step and send loops take what was held now. */
  kickWork: () => void;
  /** Failed profile sweeps in a row after which a shop whose plugin vanished is paused. */
  pluginUnreachableSweeps: number;
  /** How merchant-given URLs may be reached (COMEBACK_ALLOW_PRIVATE_URLS). */
  net: MerchantNet;
  /** How long customers' links stay valid: the plugin keeps an old secret for them this long after a rotation. */
  linkTtlDays: number;
  metrics?: Metrics;
}): WooFeature {
  const { pool, logger, deliveryUrl } = deps;
  return {
    webhook: { path: WEBHOOK_PATH, handle: webhookHandler({ pool, logger, onStored: deps.onStored, metrics: deps.metrics }) },
    globalApiRoutes: [
      shopRoutes({ pool, deliveryUrl, logger, net: deps.net }),
      secretRotationRoutes({ pool, deliveryUrl, logger, net: deps.net, linkTtlDays: deps.linkTtlDays }),
      shopLifecycleRoutes({ pool, deliveryUrl, logger, kick: deps.kickWork, wooClient: deps.wooClient, net: deps.net }),
    ],
    publicRoutes: [keyCallbackRoutes({ pool, deliveryUrl, logger, net: deps.net })],
    jobs: [
      {
        name: 'woo.reconcile',
        every: '5 minutes',
        async run() {
          await reconcileAllShops(pool, logger, { deliveryUrl, orderChanges: deps.orderChanges, net: deps.net });
          await refreshProfilesFromPlugins(pool, logger, { unreachableAfter: deps.pluginUnreachableSweeps, net: deps.net });
        },
      },
      {
        name: 'woo.order-marks',
        every: '30 seconds',
        async run() {
          while ((await pushOrderMarks(pool, deps.wooClient, logger)) > 0);
        },
      },
      {
        // Private order notes: reminders sent, first clicks, recoveries (woo/order-notes.ts).
        name: 'woo.order-notes',
        every: '1 minute',
        async run() {
          while ((await pushOrderNotes(pool, deps.wooClient, logger)) > 0);
        },
      },
    ],
  };
}
