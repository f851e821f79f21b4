import { Button, Card, CardBody, CardHeader, Notice, SelectControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import { api } from '../api.ts';
import { asApiError, AsyncBlock, RefreshButton, useLoad, when } from '../components/async.tsx';

type Enrollment = {
  id: number;
  status: 'scheduled' | 'failing' | 'completed' | 'exited';
  step: number;
  nextStepAt: string | null;
  exitReason: string | null;
  lastError: string | null;
  enteredAt: string;
  messages: number;
  order: { id: number; number: string; email: string | null; total: string | null; currency: string | null; paymentMethod: string | null };
};
type Page<T> = { items: T[]; total: number; page: number; perPage: number };
type Timeline = Enrollment & { timeline: Array<{ at: string; event: string; step?: number; subject?: string; reason?: string; kind?: string }> };

const STATUS_LABELS: Record<Enrollment['status'], string> = {
  scheduled: __('Scheduled', 'comeback'),
  failing: __('Failing', 'comeback'),
  completed: __('Completed', 'comeback'),
  exited: __('Exited', 'comeback'),
};

/** Who is in recovery and what happens next; one enrollment's timeline; cancel or retry. */
export function QueueScreen() {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const list = useLoad(() => api<Page<Enrollment>>('GET', `/api/queue?page=${page}&perPage=25${status ? `&status=${status}` : ''}`), `${status}|${page}`);
  return (
    <div className="comeback-split">
      <Card>
        <CardHeader>
          <SelectControl
            __nextHasNoMarginBottom
            label={__('Show', 'comeback')}
            value={status}
            options={[{ label: __('All', 'comeback'), value: '' }, ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))]}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
          />
          <RefreshButton onClick={list.reload} busy={list.loading} />
        </CardHeader>
        <CardBody>
          <AsyncBlock state={list} isEmpty={(p) => p.items.length === 0} empty={<p>{__('Nobody is in recovery with this status.', 'comeback')}</p>}>
            {(p) => (
              <>
                <table className="comeback-table widefat striped">
                  <thead>
                    <tr>
                      <th>{__('Order', 'comeback')}</th>
                      <th>{__('Customer', 'comeback')}</th>
                      <th>{__('Status', 'comeback')}</th>
                      <th>{__('Next reminder', 'comeback')}</th>
                      <th>{__('Messages', 'comeback')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.items.map((e) => (
                      <tr key={e.id} className={open === e.id ? 'is-selected' : undefined}>
                        <td>
                          <Button variant="link" onClick={() => setOpen(e.id)} aria-expanded={open === e.id}>
                            #{e.order.number}
                          </Button>
                        </td>
                        <td>{e.order.email ?? '—'}</td>
                        <td>
                          <span className={`comeback-status comeback-status--${e.status}`}>{STATUS_LABELS[e.status]}</span>
                          {e.exitReason && <div className="comeback-muted">{e.exitReason}</div>}
                        </td>
                        <td>{e.status === 'scheduled' || e.status === 'failing' ? sprintf(__('#%1$d at %2$s', 'comeback'), e.step + 1, when(e.nextStepAt)) : '—'}</td>
                        <td>{e.messages}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager page={p.page} perPage={p.perPage} total={p.total} onPage={setPage} />
              </>
            )}
          </AsyncBlock>
        </CardBody>
      </Card>
      {open !== null && <EnrollmentDetail id={open} onChanged={list.reload} onClose={() => setOpen(null)} />}
    </div>
  );
}

export function Pager({ page, perPage, total, onPage }: { page: number; perPage: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages === 1) return null;
  return (
    <div className="comeback-pager">
      <Button variant="secondary" size="small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {__('Previous', 'comeback')}
      </Button>
      <span>{sprintf(__('Page %1$d of %2$d', 'comeback'), page, pages)}</span>
      <Button variant="secondary" size="small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {__('Next', 'comeback')}
      </Button>
    </div>
  );
}

const EVENT_LABELS: Record<string, string> = {
  entered: __('Entered recovery', 'comeback'),
  'message.queued': __('Reminder queued', 'comeback'),
  'message.sent': __('Reminder sent', 'comeback'),
  'message.failed': __('Reminder failed', 'comeback'),
  click: __('Customer clicked the link', 'comeback'),
  completed: __('Completed', 'comeback'),
  exited: __('Left recovery', 'comeback'),
};

function EnrollmentDetail({ id, onChanged, onClose }: { id: number; onChanged: () => void; onClose: () => void }) {
  const detail = useLoad(() => api<Timeline>('GET', `/api/queue/${id}`), String(id));
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; message: string } | null>(null);
  async function act(action: 'cancel' | 'retry') {
    try {
      await api('POST', `/api/queue/${id}/${action}`);
      setNotice({ kind: 'success', message: action === 'cancel' ? __('Reminders stopped for this order.', 'comeback') : __('The step will be tried again now.', 'comeback') });
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
        {notice && (
          <Notice status={notice.kind} onRemove={() => setNotice(null)}>
            {notice.message}
          </Notice>
        )}
        <AsyncBlock state={detail}>
          {(d) => (
            <>
              <p>
                {sprintf(__('Order #%1$s, %2$s %3$s, paid with %4$s', 'comeback'), d.order.number, d.order.total ?? '', d.order.currency ?? '', d.order.paymentMethod ?? '—')}
              </p>
              {d.lastError && (
                <Notice status="error" isDismissible={false}>
                  {d.lastError}
                </Notice>
              )}
              <ol className="comeback-timeline">
                {d.timeline.map((t, i) => (
                  <li key={i}>
                    <time>{when(t.at)}</time> <strong>{EVENT_LABELS[t.event] ?? t.event}</strong>
                    {t.step !== undefined && ` · ${sprintf(__('reminder %d', 'comeback'), t.step + 1)}`}
                    {t.subject && ` · “${t.subject}”`}
                    {t.reason && ` · ${t.reason}`}
                  </li>
                ))}
              </ol>
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
