import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { outboxRoutes } from '../messages/outbox-routes.ts';
import { createChannelRuntime, type ChannelRuntime, type UndeliverableRow } from './channel-runtime.ts';
import { channelSettingsRoutes } from './channel-settings-routes.ts';
import { channelStatusRoutes } from './channel-status-routes.ts';
import { devOutboxRoutes, isLoopbackHost } from './dev-outbox/dev-outbox-routes.ts';
import { bounceRoutes } from './smtp/bounce-routes.ts';
import type { Metrics } from '../metrics/metrics.ts';

export type ChannelsFeature = Feature & { runtime: ChannelRuntime };

/**
 * The sending channels behind the one outbox, their provider webhooks, and the outbox as the
 * merchant reads it, and the intake of email delivery status notifications (bounces). Without
 * COMEBACK_SMTP_URL every message goes to the dev outbox (/dev/outbox): open to anyone only with
 * COMEBACK_DEV_OUTBOX=on on a sidecar bound to loopback, else behind the admin token.
 */
export function channelsFeature(deps: {
  pool: Pool;
  config: Config;
  logger: Logger;
  adminToken: string | undefined;
  publicUrl: () => string;
  onUndeliverable(row: UndeliverableRow): Promise<void>;
  metrics?: Metrics;
}): ChannelsFeature {
  const runtime = createChannelRuntime(deps);
  const publicRoutes = [...runtime.routers];
  if (!deps.config.mail.smtpUrl) {
    const open = deps.config.devOutbox && isLoopbackHost(deps.config.http.host);
    publicRoutes.push(devOutboxRoutes({ pool: deps.pool, open, adminToken: deps.adminToken }));
  }
  const bounces = bounceRoutes({ pool: deps.pool, onUndeliverable: runtime.onUndeliverable, logger: deps.logger });
  return {
    runtime,
    publicRoutes,
    apiRoutes: [
      outboxRoutes({ pool: deps.pool }),
      bounces,
      channelStatusRoutes({ senders: runtime.senders }),
      channelSettingsRoutes({ pool: deps.pool }),
    ],
    close: () => runtime.close(),
  };
}
