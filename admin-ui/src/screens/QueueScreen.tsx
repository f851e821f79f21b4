import { Button, Card, CardBody, CardHeader, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { EnrollmentDetail as Timeline, EnrollmentSummary as Enrollment } from '@comeback/sidecar/api-contracts';
import { ListScreen } from '../components/ListScreen.tsx';
import { api } from '../api.ts';
import { asApiError, AsyncBlock, useLoad, when } from '../components/async.tsx';
import { type Status, StatusNotice } from '../components/StatusNotice.tsx';
import { StepLog } from './StepLog.tsx';

const STATUS_LABELS: Record<Enrollment['status'], string> = {
  scheduled: __('Scheduled', 'comeback'),
  failing: __('Failing', 'comeback'),
  completed: __('Completed', 'comeback'),
  exited: __('Exited', 'comeback'),
};

/** Who is in recovery and what happens next; one enrollment's timeline; cancel or retry. */
export function QueueScreen() {
  return (
    <ListScreen<Enrollment>
      path="/api/queue"
      filters={[{ label: __('All', 'comeback'), value: '' }, ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))]}
      empty={__('Nobody is in recovery with this status.', 'comeback')}
      columns={[
        __('Order', 'comeback'),
        __('Flow', 'comeback'),
        __('Customer', 'comeback'),
        __('Status', 'comeback'),
        __('Next reminder', 'comeback'),
        __('Messages', 'comeback'),
      ]}
      cells={(e, open) => [
        <Button variant="link" onClick={open}>
          {subjectLabel(e)}
        </Button>,
        e.flow ?? '—',
        e.order.email ?? '—',
        <>
          <span className={`comeback-status comeback-status--${e.status}`}>{STATUS_LABELS[e.status]}</span>
          {e.exitReason && <div className="comeback-muted">{e.exitReason}</div>}
        </>,
        e.status === 'scheduled' || e.status === 'failing' ? sprintf(__('#%1$d at %2$s', 'comeback'), e.step + 1, when(e.nextStepAt)) : '—',
        e.messages,
      ]}
      detail={(id, close, listChanged) => <EnrollmentDetail id={id} onChanged={listChanged} onClose={close} />}
    />
  );
}

/** "#1234", "Cart 17", or the customer's email for a win-back, campaign or loyalty message. */
function subjectLabel(e: Enrollment): string {
  if (e.subjectType === 'cart') return sprintf(__('Cart %s', 'comeback'), String(e.order.id));
  if (e.subjectType === 'customer' || e.subjectType === 'event') return e.order.email ?? __('a customer', 'comeback');
  return `#${e.order.number}`;
}

const EVENT_LABELS: Record<string, string> = {
  entered: __('Entered recovery', 'comeback'),
  'message.queued': __('Reminder queued', 'comeback'),
  'message.sent': __('Reminder sent', 'comeback'),
  'message.failed': __('Reminder failed', 'comeback'),
  'message.delivered': __('Delivered to the customer', 'comeback'),
  'message.read': __('Read by the customer', 'comeback'),
  'message.undelivered': __('Not delivered', 'comeback'),
  'message.bounced': __('Bounced', 'comeback'),
  click: __('Customer clicked the link', 'comeback'),
  completed: __('Completed', 'comeback'),
  exited: __('Left recovery', 'comeback'),
};

function EnrollmentDetail({ id, onChanged, onClose }: { id: number; onChanged: () => void; onClose: () => void }) {
  const detail = useLoad(() => api<Timeline>('GET', `/api/queue/${id}`), String(id));
  const [notice, setNotice] = useState<Status | null>(null);
  async function act(action: 'cancel' | 'retry') {
    try {
      await api('POST', `/api/queue/${id}/${action}`);
      setNotice({
        kind: 'success',
        message:
          action === 'cancel' ? __('Reminders stopped for this order.', 'comeback') : __('The step will be tried again now.', 'comeback'),
      });
      detail.reload();
      onChanged();
    } catch (error) {
      setNotice({ kind: 'error', message: asApiError(error).message });
    }
  }
  return (
    <Card className="comeback-detail">
      <CardHeader>
        <strong>{sprintf(__('Enrollment %d', 'comeback'), id)}</strong>
        <Button variant="tertiary" onClick={onClose} aria-label={__('Close', 'comeback')}>
          ×
        </Button>
      </CardHeader>
      <CardBody>
        <StatusNotice status={notice} onRemove={() => setNotice(null)} />
        <AsyncBlock state={detail}>
          {(d) => (
            <>
              <p>
                {d.subjectType === 'customer' || d.subjectType === 'event'
                  ? sprintf(__('Customer %s', 'comeback'), d.order.email ?? '—')
                  : d.subjectType === 'cart'
                    ? sprintf(__('Cart %1$s, %2$s %3$s', 'comeback'), String(d.order.id), d.order.total ?? '', d.order.currency ?? '')
                    : sprintf(
                        __('Order #%1$s, %2$s %3$s, paid with %4$s', 'comeback'),
                        d.order.number ?? '',
                        d.order.total ?? '',
                        d.order.currency ?? '',
                        d.order.paymentMethod ?? '—',
                      )}
              </p>
              {d.flow && (
                <p className="comeback-muted">
                  {d.flowVersion
                    ? sprintf(__('Flow %1$s, version %2$d', 'comeback'), d.flow, d.flowVersion)
                    : sprintf(__('Flow %s', 'comeback'), d.flow)}
                </p>
              )}
              {d.heldOut && (
                <Notice status="info" isDismissible={false}>
                  {__(
                    'This customer is in the control group (hold-out): the flow records them but sends them nothing, so the reports can show what it brings.',
                    'comeback',
                  )}
                </Notice>
              )}
              {d.lastError && (
                <Notice status="error" isDismissible={false}>
                  {d.lastError}
                </Notice>
              )}
              <ol className="comeback-timeline">
                {d.timeline.map((t, i) => (
                  <li key={i}>
                    <time>{when(t.at)}</time> <strong>{EVENT_LABELS[t.event] ?? t.event}</strong>
                    {t.step !== undefined && ` · ${sprintf(__('reminder %d', 'comeback'), (t.step ?? 0) + 1)}`}
                    {t.subject && ` · “${t.subject}”`}
                    {t.reason && ` · ${t.reason}`}
                  </li>
                ))}
              </ol>
              {d.log && (
                <>
                  <h3 className="comeback-detail__title">{__('Why a message went or did not', 'comeback')}</h3>
                  <StepLog log={d.log} />
                </>
              )}
              {(d.status === 'scheduled' || d.status === 'failing') && (
                <div className="comeback-recovery__buttons">
                  <Button variant="secondary" onClick={() => void act('retry')}>
                    {__('Retry now', 'comeback')}
                  </Button>
                  <Button variant="secondary" isDestructive onClick={() => void act('cancel')}>
                    {__('Stop reminders', 'comeback')}
                  </Button>
                </div>
              )}
            </>
          )}
        </AsyncBlock>
      </CardBody>
    </Card>
  );
}
