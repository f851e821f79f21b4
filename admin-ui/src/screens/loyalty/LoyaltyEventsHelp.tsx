import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { currentHost } from '../../api.ts';

const EVENT_TYPES: Array<[string, string]> = [
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
  return (
    <Card className="comeback-flow-card comeback-events-help">
      <CardHeader>
        <strong>{__('Connecting your loyalty program', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        <p>
          {__('Your loyalty program sends its events to Comeback with', 'comeback')} <code>POST {base}/api/events</code>{' '}
          {__('as JSON, signed like the plugin’s requests (X-Comeback-Shop and X-Comeback-Signature) or with the admin token (Authorization: Bearer … and X-Comeback-Shop-Id). Each event has its own id: one sent twice is stored once.', 'comeback')}
        </p>
        <pre className="comeback-preview__text" data-testid="event-example">{JSON.stringify(EXAMPLE, null, 2)}</pre>
        <p className="comeback-muted">
          {__('Up to 100 at once as {"events": [...]}; a batch with a mistake stores none and the answer names each problem. To try it from a terminal:', 'comeback')}{' '}
          <code>npm run event -- --url {base} --shop-id … --token … --type voucher.issued --email anna@example.com --field voucher.code=LOYAL-7QX2 --field voucher.value=20 --field voucher.expiresAt=2026-09-30T23:59:59Z</code>
        </p>
        <h4>{__('Event types', 'comeback')}</h4>
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
      </CardBody>
    </Card>
  );
}
