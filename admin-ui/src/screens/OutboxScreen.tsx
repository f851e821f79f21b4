import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { OutboxDetail as Full, OutboxSummary as Message } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { AsyncBlock, useLoad, when } from '../components/async.tsx';
import { channelLabel } from '../components/channel-words.ts';
import { DeliveryStatus } from '../components/delivery.tsx';
import { ListScreen } from '../components/ListScreen.tsx';

/** An outbox status in words, as the filters name them. */
const STATUS_WORDS: Record<string, string> = {
  sent: __('Sent', 'comeback'),
  pending: __('Waiting', 'comeback'),
  sending: __('Sending', 'comeback'),
  retry: __('Retrying', 'comeback'),
  failed: __('Failed', 'comeback'),
  cancelled: __('Cancelled', 'comeback'),
};

/** A message without a subject (SMS, WhatsApp) by its channel and recipient: "SMS to +48 600 000 000". */
function messageTitle(m: { subject: string | null; channel: string; to: string }): string {
  return m.subject ?? sprintf(__('%1$s to %2$s', 'comeback'), channelLabel(m.channel), m.to);
}

/** Messages queued and sent, and each one as the customer saw it. */
export function OutboxScreen() {
  return (
    <ListScreen<Message>
      path="/api/outbox"
      filters={[
        { label: __('All', 'comeback'), value: '' },
        { label: __('Sent', 'comeback'), value: 'sent' },
        { label: __('Waiting', 'comeback'), value: 'pending' },
        { label: __('Retrying', 'comeback'), value: 'retry' },
        { label: __('Failed', 'comeback'), value: 'failed' },
        { label: __('Cancelled', 'comeback'), value: 'cancelled' },
      ]}
      empty={__('No messages yet.', 'comeback')}
      columns={[
        __('Subject', 'comeback'),
        __('To', 'comeback'),
        __('Status', 'comeback'),
        __('Delivery', 'comeback'),
        __('Sent', 'comeback'),
      ]}
      cells={(m, open) => [
        <Button variant="link" onClick={open}>
          {messageTitle(m)}
        </Button>,
        m.to,
        <>
          <span className={`comeback-status comeback-status--${m.status}`}>{STATUS_WORDS[m.status] ?? m.status}</span>
          {m.lastError && <div className="comeback-muted">{m.lastError}</div>}
        </>,
        m.deliveryStatus ? (
          <>
            <DeliveryStatus status={m.deliveryStatus} error={m.deliveryError} />
            {m.deliveryAt && <div className="comeback-muted">{when(m.deliveryAt)}</div>}
          </>
        ) : (
          // Nothing reported yet: email until it bounces (or a delivery report comes), SMS and WhatsApp until the provider reports.
          <span className="comeback-muted">—</span>
        ),
        when(m.sentAt),
      ]}
      detail={(id, close) => <MessageView id={id} onClose={close} />}
    />
  );
}

function MessageView({ id, onClose }: { id: number; onClose: () => void }) {
  const message = useLoad(() => api<Full>('GET', `/api/outbox/${id}`), String(id));
  return (
    <Card className="comeback-detail">
      <CardHeader>
        <strong>{message.data ? messageTitle(message.data) : __('Message', 'comeback')}</strong>
        <Button variant="tertiary" onClick={onClose} aria-label={__('Close', 'comeback')}>
          ×
        </Button>
      </CardHeader>
      <CardBody>
        <AsyncBlock state={message}>
          {(m) => (
            <>
              <p>
                <strong>{m.subject}</strong>
                <br />
                {sprintf(__('To %1$s · %2$s', 'comeback'), m.to, when(m.sentAt ?? m.createdAt))}
              </p>
              {m.deliveryStatus && (
                <p data-testid="delivery">
                  {__('Delivery:', 'comeback')} <DeliveryStatus status={m.deliveryStatus} error={m.deliveryError} />
                  {m.deliveryAt && <span className="comeback-muted"> · {when(m.deliveryAt)}</span>}
                </p>
              )}
              {m.html && (
                <iframe
                  title={__('The message as the customer saw it', 'comeback')}
                  className="comeback-preview__frame"
                  sandbox="allow-popups"
                  srcDoc={m.html}
                />
              )}
              {m.text && <pre className="comeback-preview__text">{m.text}</pre>}
            </>
          )}
        </AsyncBlock>
      </CardBody>
    </Card>
  );
}
