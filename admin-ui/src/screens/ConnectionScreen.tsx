import { Card, CardBody, CardHeader, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ChannelSender, ChannelSenders, OutboxSummary, Page, ShopConnection as Connection } from '@comeback/sidecar/api-contracts';
import { api, currentHost } from '../api.ts';
import { AsyncBlock, RefreshButton, useLoad, when, type Loaded } from '../components/async.tsx';
import { ShopSender } from '../components/ShopSender.tsx';
import { AlertSettings } from './AlertSettings.tsx';
import { RetentionSettings } from './RetentionSettings.tsx';
import { TextLimits } from './TextLimits.tsx';
import { TestRecipients } from './TestRecipients.tsx';
import { ShopLifecycle, stateInWords } from './ShopLifecycle.tsx';

const TOPIC_WORDS: Record<string, string> = {
  'order.created': __('Order created', 'comeback'),
  'order.updated': __('Order updated', 'comeback'),
  'order.deleted': __('Order deleted', 'comeback'),
  'order.restored': __('Order restored', 'comeback'),
};
/** A webhook's topic as WooCommerce's order screens would say it: "Order created", not "order.created". */
const topicInWords = (topic: string) => TOPIC_WORDS[topic] ?? topic;

/** WooCommerce's webhook statuses, as its Webhooks screen names them. */
const WEBHOOK_STATUS_WORDS: Record<string, string> = {
  active: __('Active', 'comeback'),
  paused: __('Paused', 'comeback'),
  disabled: __('Disabled', 'comeback'),
};

/** What needs the merchant, for the banner over every screen; null when all is well. */
export function connectionProblem(c: Connection): string | null {
  const state = stateInWords(c);
  if (state) return state;
  if (c.connectionError) return sprintf(__('Comeback cannot reach your shop: %s', 'comeback'), c.connectionError);
  const off = c.webhooks.filter((w) => w.status !== 'active');
  if (off.length)
    return sprintf(
      __('WooCommerce stopped sending these order events: %s. Comeback turns them back on at its next check.', 'comeback'),
      off.map((w) => topicInWords(w.topic)).join(', '),
    );
  if (!c.connected)
    return __('Your shop is not fully connected yet: reminders cannot start until WooCommerce sends its order events.', 'comeback');
  return null;
}

export function ConnectionBanner({ connection }: { connection: Loaded<Connection> }) {
  const problem = connection.data ? connectionProblem(connection.data) : null;
  if (!problem) return null;
  return (
    <Notice status="warning" isDismissible={false} className="comeback-banner">
      {problem}
    </Notice>
  );
}

const PROVIDER_NAMES: Record<ChannelSender['provider'], string> = {
  smtp: __('your mail server (SMTP)', 'comeback'),
  'dev-outbox': __('the dev outbox', 'comeback'),
  twilio: 'Twilio',
  'whatsapp-cloud': __('WhatsApp Cloud API', 'comeback'),
};

/** Who sends SMS or WhatsApp, in words: set up (and whether customers get it) or not. */
function channelInWords(sender: ChannelSender | null): string {
  if (!sender) return __('not set up: steps on this channel fall back to the step’s next channel', 'comeback');
  if (!sender.reachesCustomers) return __('to the dev outbox on this machine only: no customer receives it', 'comeback');
  return sprintf(__('through %s', 'comeback'), PROVIDER_NAMES[sender.provider]);
}

/** The sending channels: who sends each, the last message that went out, and messages that could not be sent. */
function useSending() {
  return useLoad(async () => {
    const [senders, sent, failed, retrying] = await Promise.all([
      api<ChannelSenders>('GET', '/api/channels'),
      api<Page<OutboxSummary>>('GET', '/api/outbox?status=sent&perPage=1'),
      api<Page<OutboxSummary>>('GET', '/api/outbox?status=failed&perPage=1'),
      api<Page<OutboxSummary>>('GET', '/api/outbox?status=retry&perPage=1'),
    ]);
    return {
      senders,
      lastSentAt: sent.items[0]?.sentAt ?? null,
      failed: failed.total,
      retrying: retrying.total,
      lastError: retrying.items[0]?.lastError ?? failed.items[0]?.lastError ?? null,
    };
  }, 'sending');
}

/** Shop connected (or paused, disconnected: its state and the buttons to change it), webhooks active, last reconciliation, sending healthy, where payment links are answered; where alerts go. */
export function ConnectionScreen({ connection }: { connection: Loaded<Connection> }) {
  const sending = useSending();
  return (
    <div className="comeback-connection">
      <Card>
        <CardHeader>
          <strong>{__('Connection', 'comeback')}</strong>
          <RefreshButton
            onClick={() => {
              connection.reload();
              sending.reload();
            }}
            busy={connection.loading || sending.loading}
          />
        </CardHeader>
        <CardBody>
          <AsyncBlock state={connection}>
            {(c) => (
              <>
                {c.state === 'active' && (
                  <Notice status={connectionProblem(c) ? 'warning' : 'success'} isDismissible={false}>
                    {connectionProblem(c) ?? __('Your shop is connected and sending its order events.', 'comeback')}
                  </Notice>
                )}
                <ShopLifecycle connection={c} onChanged={connection.reload} />
                <dl className="comeback-facts">
                  <dt>{__('Shop', 'comeback')}</dt>
                  <dd>
                    {c.shop.name ?? c.shop.url} <span className="comeback-muted">{c.shop.url}</span>
                    {c.shop.demo && ` · ${__('demo shop', 'comeback')}`}
                  </dd>
                  <dt>{__('Last check of your orders', 'comeback')}</dt>
                  <dd>{when(c.lastReconciledAt)}</dd>
                  <dt>{__('Sending', 'comeback')}</dt>
                  <dd data-testid="sending">
                    {sending.data === undefined
                      ? '…'
                      : !sending.data.senders.email?.reachesCustomers
                        ? __(
                            'Email goes to the dev outbox on this machine only: no customer receives it. Set COMEBACK_SMTP_URL to your mail server to send for real.',
                            'comeback',
                          )
                        : sending.data.retrying + sending.data.failed === 0
                          ? sprintf(__('healthy · last message sent %s', 'comeback'), when(sending.data.lastSentAt))
                          : sprintf(
                              __('%1$d message(s) waiting for a retry, %2$d failed · last error: %3$s', 'comeback'),
                              sending.data.retrying,
                              sending.data.failed,
                              sending.data.lastError ?? '—',
                            )}
                  </dd>
                  <dt>{__('SMS', 'comeback')}</dt>
                  <dd data-testid="sending-sms">{sending.data ? channelInWords(sending.data.senders.sms) : '…'}</dd>
                  <dt>{__('WhatsApp', 'comeback')}</dt>
                  <dd data-testid="sending-whatsapp">{sending.data ? channelInWords(sending.data.senders.whatsapp) : '…'}</dd>
                  <dt>{__('Payment links', 'comeback')}</dt>
                  <dd>
                    {c.linkBase
                      ? sprintf(__('on your shop’s own domain (%s)', 'comeback'), c.linkBase)
                      : __('through Comeback', 'comeback')}
                  </dd>
                </dl>
                <table className="comeback-table widefat striped">
                  <thead>
                    <tr>
                      <th>{__('Order event', 'comeback')}</th>
                      <th>{__('Status', 'comeback')}</th>
                      <th>{__('Last repaired', 'comeback')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.webhooks.length === 0 ? (
                      <tr>
                        <td colSpan={3}>{__('No webhooks yet: connect WooCommerce from the plugin, or with a REST key.', 'comeback')}</td>
                      </tr>
                    ) : (
                      c.webhooks.map((w) => (
                        <tr key={w.id}>
                          <td>{topicInWords(w.topic)}</td>
                          <td>
                            <span className={`comeback-status comeback-status--${w.status === 'active' ? 'completed' : 'failing'}`}>
                              {WEBHOOK_STATUS_WORDS[w.status] ?? w.status}
                            </span>
                          </td>
                          <td>{w.repairedAt ? `${when(w.repairedAt)} (${w.lastRepair ?? ''})` : '—'}</td>
                        </tr>
                      ))
                    )}
                  </tbody>
                  <caption className="comeback-muted">{sprintf(__('Checked %s', 'comeback'), when(c.webhooksCheckedAt))}</caption>
                </table>
              </>
            )}
          </AsyncBlock>
        </CardBody>
      </Card>
      <ShopSender />
      {currentHost()?.kind !== 'wordpress' && <TestRecipients />}
      <TextLimits />
      <AlertSettings />
      <RetentionSettings />
    </div>
  );
}
