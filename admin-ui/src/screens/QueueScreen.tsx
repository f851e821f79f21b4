import { Button, Card, CardBody, CardHeader, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useRef, useState } from 'react';
import type { CancelledOrder, EnrollmentDetail as Timeline, EnrollmentSummary as Enrollment } from '@comeback/sidecar/api-contracts';
import { ListScreen } from '../components/ListScreen.tsx';
import { api } from '../api.ts';
import { asApiError, AsyncBlock, useLoad, when } from '../components/async.tsx';
import { useConfirm } from '../components/ConfirmDialog.tsx';
import { money, paymentMethod } from '../components/shop-format.ts';
import { type Status, StatusNotice } from '../components/StatusNotice.tsx';
import { StepLog } from './StepLog.tsx';

const STATUS_LABELS: Record<Enrollment['status'], string> = {
  scheduled: __('Scheduled', 'comeback'),
  failing: __('Failing', 'comeback'),
  completed: __('Completed', 'comeback'),
  exited: __('Exited', 'comeback'),
};

/** Who is in recovery and what happens next; one enrollment's timeline; stop it, retry a failing step, or send the next reminder now. */
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
        e.flowName,
        <>
          {e.order.name ?? e.order.email ?? '—'}
          {e.order.name && e.order.email && <div className="comeback-muted">{e.order.email}</div>}
        </>,
        <>
          <span className={`comeback-status comeback-status--${e.status}`}>{STATUS_LABELS[e.status]}</span>
          {e.exitReason && <div className="comeback-muted">{exitLabel(e)}</div>}
        </>,
        e.status === 'scheduled' || e.status === 'failing' ? sprintf(__('#%1$d at %2$s', 'comeback'), e.step + 1, when(e.nextStepAt)) : '—',
        e.messages,
      ]}
      detail={(id, close, listChanged) => <EnrollmentDetail id={id} onChanged={listChanged} onClose={close} />}
    />
  );
}

/** "#1234", "Cart · $24.99", or the customer's email for a win-back, campaign or loyalty message. */
function subjectLabel(e: Enrollment): string {
  if (e.subjectType === 'cart') return sprintf(__('Cart · %s', 'comeback'), money(e.order.total, e.order.currency));
  if (e.subjectType === 'customer' || e.subjectType === 'event') return e.order.email ?? __('a customer', 'comeback');
  return `#${e.order.number}`;
}

/** Who and what an enrollment is about, for its heading: "Anna Schmidt’s order #1003", "anna@example.com’s cart". */
function subjectTitle(e: Enrollment): string {
  const who = e.order.name ?? e.order.email;
  if (e.subjectType === 'customer' || e.subjectType === 'event') return who ?? __('A customer', 'comeback');
  if (e.subjectType === 'cart') return who ? sprintf(__('%s’s cart', 'comeback'), who) : __('A cart', 'comeback');
  return who
    ? sprintf(__('%1$s’s order #%2$s', 'comeback'), who, e.order.number ?? '')
    : sprintf(__('Order #%s', 'comeback'), e.order.number ?? '');
}

/** WooCommerce's order statuses in the words the merchant reads them in here. */
const ORDER_STATUS_WORDS: Record<string, string> = {
  pending: __('waiting for payment', 'comeback'),
  'on-hold': __('on hold, waiting for payment', 'comeback'),
  failed: __('payment failed', 'comeback'),
  processing: __('paid, processing', 'comeback'),
  completed: __('paid, completed', 'comeback'),
  cancelled: __('cancelled', 'comeback'),
  refunded: __('refunded', 'comeback'),
  'checkout-draft': __('checkout not finished', 'comeback'),
  trash: __('in the bin', 'comeback'),
};

/** "Order #1003 · $24.99 · Direct bank transfer · waiting for payment". */
function orderInWords(e: Enrollment): string {
  return [
    sprintf(__('Order #%s', 'comeback'), e.order.number ?? ''),
    money(e.order.total, e.order.currency),
    paymentMethod(e.order.paymentMethod, e.order.paymentMethodTitle),
    ...(e.order.status ? [ORDER_STATUS_WORDS[e.order.status] ?? e.order.status] : []),
  ].join(' · ');
}

/** Why it ended, naming the order whose payment ended it: "paid again as #1003", "purchased · order #1003". */
function exitLabel(e: Enrollment): string {
  const reason = e.exitReason ?? '';
  if (!e.exitOrder) return reason;
  if (reason === 'paid again') return sprintf(__('paid again as #%s', 'comeback'), e.exitOrder.number);
  if (e.subjectType === 'order' && e.exitOrder.id === e.order.id) return reason;
  return sprintf(__('%1$s · order #%2$s', 'comeback'), reason, e.exitOrder.number);
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

/** After an action the step and send loops work on their own time: the panel and the list read it again a few times. */
const REFRESH_AFTER_MS = [400, 1_200, 2_500, 5_000, 10_000];

type Action = 'cancel' | 'retry' | 'send-now' | 'cancel-order';

function EnrollmentDetail({ id, onChanged, onClose }: { id: number; onChanged: () => void; onClose: () => void }) {
  const detail = useLoad(() => api<Timeline>('GET', `/api/queue/${id}`), String(id));
  const [notice, setNotice] = useState<Status | null>(null);
  const { confirm, dialog } = useConfirm();
  const timers = useRef<number[]>([]);
  useEffect(() => () => timers.current.forEach((t) => window.clearTimeout(t)), []);

  function refresh() {
    timers.current.forEach((t) => window.clearTimeout(t));
    detail.reload();
    onChanged();
    timers.current = REFRESH_AFTER_MS.map((ms) => window.setTimeout(() => (detail.reload(), onChanged()), ms));
  }

  /** Stopping and sending early cannot be taken back: asked first, naming who and what. */
  async function asked(action: Action, d: Timeline): Promise<boolean> {
    const who = d.order.email ?? subjectLabel(d);
    if (action === 'cancel')
      return confirm({
        title: __('Stop the reminders?', 'comeback'),
        message: sprintf(__('%s gets no further messages from this flow. This cannot be undone.', 'comeback'), who),
        confirmLabel: __('Stop reminders', 'comeback'),
        cancelLabel: __('Keep them', 'comeback'),
        destructive: true,
      });
    if (action === 'send-now')
      return confirm({
        title: __('Send the next reminder now?', 'comeback'),
        message: sprintf(
          __('Reminder %1$d goes to %2$s now instead of at %3$s (quiet hours and the message cap still apply).', 'comeback'),
          d.step + 1,
          who,
          when(d.nextStepAt),
        ),
        confirmLabel: sprintf(__('Send reminder %d now', 'comeback'), d.step + 1),
      });
    if (action === 'cancel-order')
      return confirm({
        title: sprintf(__('Cancel order #%s in WooCommerce?', 'comeback'), d.order.number ?? ''),
        message: __(
          'Its stock goes back to the shop, and WooCommerce sends its usual cancelled-order emails. A private order note says why.',
          'comeback',
        ),
        confirmLabel: sprintf(__('Yes, cancel order #%s', 'comeback'), d.order.number ?? ''),
        cancelLabel: __('Keep it', 'comeback'),
        destructive: true,
      });
    return true;
  }

  async function act(action: Action, d: Timeline) {
    if (!(await asked(action, d))) return;
    try {
      const answer = await api<CancelledOrder | { id: number; status: string }>('POST', `/api/queue/${id}/${action}`);
      const done = {
        cancel: __('Reminders stopped for this order.', 'comeback'),
        retry: __('The failing step is being tried again now.', 'comeback'),
        'send-now': sprintf(__('Reminder %d is being sent now.', 'comeback'), d.step + 1),
        'cancel-order': __('The order is cancelled in WooCommerce, with a private note saying why.', 'comeback'),
      }[action];
      // WooCommerce has the last word on the status it gave the order.
      const message =
        'orderId' in answer && answer.status !== 'cancelled'
          ? sprintf(__('WooCommerce set the order to %s.', 'comeback'), answer.status)
          : done;
      setNotice({ kind: 'success', message });
    } catch (error) {
      setNotice({ kind: 'error', message: asApiError(error).message });
    }
    refresh();
  }
  return (
    <Card className="comeback-detail">
      <CardHeader>
        <strong>{detail.data ? subjectTitle(detail.data) : __('Loading…', 'comeback')}</strong>
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
                    ? sprintf(__('Cart · %1$s · %2$s', 'comeback'), money(d.order.total, d.order.currency), d.order.email ?? '—')
                    : orderInWords(d)}
              </p>
              {d.flow && (
                <p className="comeback-muted">
                  {d.flowVersion
                    ? sprintf(__('Flow “%1$s”, version %2$d', 'comeback'), d.flowName, d.flowVersion)
                    : sprintf(__('Flow “%s”', 'comeback'), d.flowName)}
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
                    {t.reason && ` · ${t.event === 'exited' || t.event === 'completed' ? exitLabel(d) : t.reason}`}
                  </li>
                ))}
              </ol>
              {d.log && (
                <>
                  <h3 className="comeback-detail__title">{__('Why a message went or did not', 'comeback')}</h3>
                  <StepLog log={d.log} />
                </>
              )}
              {d.staleOrder && d.exitOrder && (
                <div className="comeback-stale-order">
                  <Notice status="warning" isDismissible={false}>
                    {sprintf(
                      __(
                        'The customer paid for the same items as order #%1$s. Order #%2$s is still unpaid in the shop: cancel it so it does not wait for a payment that will not come.',
                        'comeback',
                      ),
                      d.exitOrder.number,
                      d.order.number ?? '',
                    )}
                  </Notice>
                  <div className="comeback-recovery__buttons">
                    <Button variant="secondary" isDestructive onClick={() => void act('cancel-order', d)}>
                      {sprintf(__('Cancel order #%s in WooCommerce…', 'comeback'), d.order.number ?? '')}
                    </Button>
                  </div>
                </div>
              )}
              {(d.status === 'scheduled' || d.status === 'failing') && (
                <div className="comeback-recovery__buttons">
                  {d.status === 'failing' ? (
                    <Button variant="secondary" onClick={() => void act('retry', d)}>
                      {__('Retry now', 'comeback')}
                    </Button>
                  ) : (
                    <Button variant="secondary" onClick={() => void act('send-now', d)}>
                      {__('Send next reminder now', 'comeback')}
                    </Button>
                  )}
                  <Button variant="secondary" isDestructive onClick={() => void act('cancel', d)}>
                    {__('Stop reminders', 'comeback')}
                  </Button>
                </div>
              )}
            </>
          )}
        </AsyncBlock>
        {dialog}
      </CardBody>
    </Card>
  );
}
