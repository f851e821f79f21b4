import { Card, CardBody, CardHeader, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ShopSenderView } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { AsyncBlock, useLoad } from './async.tsx';

const SOURCE: Record<ShopSenderView['source'], string> = {
  plugin: __('your WooCommerce email settings, read by the Comeback plugin', 'comeback'),
  rest: __('your WooCommerce email settings, read over the WooCommerce REST API', 'comeback'),
  woocommerce: __('your WooCommerce email settings', 'comeback'),
  default: __('Comeback’s default sender: no sender address is set in WooCommerce → Settings → Emails', 'comeback'),
  'default-forced': __('Comeback’s default sender: this Comeback server sends every shop’s mail from it', 'comeback'),
};

/** The layout's colours, as WooCommerce → Settings → Emails names them. */
const COLOURS: Array<[keyof ShopSenderView['look'], string]> = [
  ['baseColor', __('Base', 'comeback')],
  ['backgroundColor', __('Background', 'comeback')],
  ['bodyBackgroundColor', __('Body background', 'comeback')],
  ['textColor', __('Body text', 'comeback')],
];

/**
 * Who customers see their email from (From, Reply-To) and where that came from, the envelope
 * sender, the layout's colours and header image, and a hint when the From domain must authorise
 * the relay (SPF, DKIM) for DMARC. Read each time the screen opens (the sweep refreshes the
 * shop's settings; the Connection card's Refresh stays the connection's own).
 */
export function ShopSender() {
  const sender = useLoad(() => api<ShopSenderView>('GET', '/api/shop/sender'), 'shop-sender');
  return (
    <Card className="comeback-sender">
      <CardHeader>
        <strong>{__('Email sender', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        <AsyncBlock state={sender}>
          {(s) => (
            <>
              <dl className="comeback-facts">
                <dt>{__('From', 'comeback')}</dt>
                <dd data-testid="sender-from">{s.fromName ? `${s.fromName} <${s.fromAddress}>` : s.fromAddress}</dd>
                <dt>{__('Reply-To', 'comeback')}</dt>
                <dd data-testid="sender-reply-to">{s.replyTo ?? __('the From address', 'comeback')}</dd>
                <dt>{__('Taken from', 'comeback')}</dt>
                <dd data-testid="sender-source">{SOURCE[s.source]}</dd>
                <dt>{__('Sent by (bounces go here)', 'comeback')}</dt>
                <dd data-testid="sender-envelope">{s.envelopeFrom}</dd>
                <dt>{__('Colours', 'comeback')}</dt>
                <dd data-testid="sender-colours" className="comeback-swatches">
                  {COLOURS.map(([key, label]) => (
                    <span key={key} className="comeback-swatch" data-colour={key}>
                      <span className="comeback-swatch__chip" style={{ background: String(s.look[key]) }} />
                      {label} <code>{String(s.look[key])}</code>
                    </span>
                  ))}
                </dd>
                {s.look.headerImage && (
                  <>
                    <dt>{__('Header image', 'comeback')}</dt>
                    <dd>
                      <a href={s.look.headerImage} target="_blank" rel="noreferrer">
                        {s.look.headerImage}
                      </a>
                    </dd>
                  </>
                )}
              </dl>
              {s.domainMismatch && (
                <Notice status="info" isDismissible={false}>
                  <span data-testid="sender-dmarc">
                    {sprintf(
                      __(
                        'Mail comes From %1$s but is sent by %2$s: publish an SPF include for your mail relay and its DKIM key in %1$s’s DNS, or receivers may reject it (DMARC).',
                        'comeback',
                      ),
                      s.domainMismatch.fromDomain,
                      s.domainMismatch.envelopeDomain,
                    )}
                  </span>
                </Notice>
              )}
            </>
          )}
        </AsyncBlock>
      </CardBody>
    </Card>
  );
}
