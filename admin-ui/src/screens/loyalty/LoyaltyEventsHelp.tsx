import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useState } from 'react';
import type { LoyaltyEventType, LoyaltySettings } from '@comeback/sidecar/api-contracts';
import { api, currentHost } from '../../api.ts';
import { useLoad } from '../../components/async.tsx';

const EVENT_TYPES: Array<[LoyaltyEventType, string]> = [
  ['points.balance', __('the customer’s points balance changed', 'comeback')],
  ['cashback.balance', __('their cashback balance changed', 'comeback')],
  ['voucher.issued', __('a voucher was issued to them', 'comeback')],
  ['voucher.redeemed', __('they used a voucher (its expiry reminder stops)', 'comeback')],
  ['birthday', __('their birthday, as MM-DD or YYYY-MM-DD', 'comeback')],
  ['nps.request', __('ask them for a satisfaction survey', 'comeback')],
  ['portal.link', __('the link to their loyalty account', 'comeback')],
  ['profile', __('their first name, country, language and time zone (any event may carry these too)', 'comeback')],
];

const EXAMPLE = {
  id: 'evt_2041',
  type: 'voucher.issued',
  email: 'anna@example.com',
  voucher: { code: 'LOYAL-7QX2', value: 20, currency: 'EUR', expiresAt: '2026-09-30T23:59:59Z' },
};

/** How a loyalty program outside WooCommerce tells Comeback about its customers. */
export function LoyaltyEventsHelp() {
  const host = currentHost();
  const base = host?.kind === 'sidecar' ? window.location.origin : 'https://<your-comeback>';
  const settings = useLoad(() => api<LoyaltySettings>('GET', '/api/settings/loyalty'), 'loyalty-settings');
  const [replaced, setReplaced] = useState<LoyaltySettings | null>(null);
  const current = replaced ?? settings.data;
  const replace = async () => {
    if (!window.confirm(__('Replace the events key? Your loyalty program’s events are refused until it uses the new one.', 'comeback')))
      return;
    setReplaced(await api<LoyaltySettings>('POST', '/api/settings/loyalty/events-key'));
  };
  return (
    <Card className="comeback-flow-card comeback-events-help">
      <CardHeader>
        <strong>{__('Connecting your loyalty program', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        <p>
          {__(
            'Your loyalty program can tell Comeback when a customer’s points or cashback change, a voucher is issued or used, a birthday comes, or a survey is due; the loyalty flows above send the messages. Whoever looks after your loyalty program connects it once with the details below.',
            'comeback',
          )}
        </p>
        <details className="comeback-developers">
          <summary>{__('For developers: how your loyalty program sends its events', 'comeback')}</summary>
          <p>
            {__('Your loyalty program sends its events to Comeback with', 'comeback')} <code>POST {base}/api/events</code>{' '}
            {__(
              'as JSON, with X-Comeback-Shop-Id and X-Comeback-Events-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "program-to-sidecar\nPOST\n/api/events\n<t>\n<body>" with the events key>. The key opens this one address and nothing else of your shop: give the program this key, never the admin token. Each event has its own id: one sent twice is stored once.',
              'comeback',
            )}
          </p>
          {current && (
            <p data-testid="events-key">
              {__('Shop', 'comeback')} <code>{current.shopId}</code>, {__('events key', 'comeback')} <code>{current.eventsKey}</code>{' '}
              <Button variant="secondary" size="compact" onClick={() => void replace()}>
                {__('Replace key', 'comeback')}
              </Button>
            </p>
          )}
          <pre className="comeback-preview__text" data-testid="event-example">
            {JSON.stringify(EXAMPLE, null, 2)}
          </pre>
          <p className="comeback-muted">
            {__(
              'Up to 100 at once as {"events": [...]}; a batch with a mistake stores none and the answer names each problem. To try it from a terminal:',
              'comeback',
            )}{' '}
            <code>
              COMEBACK_EVENTS_KEY=… npm run --silent event -- --url {base} --shop-id {current?.shopId ?? '…'} --type voucher.issued --email
              anna@example.com --field voucher.code=LOYAL-7QX2 --field voucher.value=20 --field voucher.expiresAt=2026-09-30T23:59:59Z
            </code>
          </p>
          <p>
            <strong>{__('Event types', 'comeback')}</strong>
          </p>
          <dl className="comeback-facts">
            {EVENT_TYPES.map(([type, words]) => (
              <div key={type} style={{ display: 'contents' }}>
                <dt>
                  <code>{type}</code>
                </dt>
                <dd>{words}</dd>
              </div>
            ))}
          </dl>
        </details>
      </CardBody>
    </Card>
  );
}
