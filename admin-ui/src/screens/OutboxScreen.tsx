import { Button, Card, CardBody, CardHeader, SelectControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import { api } from '../api.ts';
import { AsyncBlock, RefreshButton, useLoad, when } from '../components/async.tsx';
import { Pager } from './QueueScreen.tsx';

type Message = { id: number; to: string; subject: string | null; status: string; channel: string; step: number | null; createdAt: string; sentAt: string | null; lastError: string | null };
type Full = Message & { html: string | null; text: string | null; headers: Record<string, string> };

/** Messages queued and sent, and each one as the customer saw it. */
export function OutboxScreen() {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const list = useLoad(() => api<{ items: Message[]; total: number; page: number; perPage: number }>('GET', `/api/outbox?page=${page}&perPage=25${status ? `&status=${status}` : ''}`), `${status}|${page}`);
  return (
    <div className="comeback-split">
      <Card>
        <CardHeader>
          <SelectControl
            __nextHasNoMarginBottom
            label={__('Show', 'comeback')}
            value={status}
            options={([
              { label: __('All', 'comeback'), value: '' },
              { label: __('Sent', 'comeback'), value: 'sent' },
              { label: __('Waiting', 'comeback'), value: 'pending' },
              { label: __('Retrying', 'comeback'), value: 'retry' },
              { label: __('Failed', 'comeback'), value: 'failed' },
              { label: __('Cancelled', 'comeback'), value: 'cancelled' },
            ] as Array<{ label: string; value: string }>)}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
          />
          <RefreshButton onClick={list.reload} busy={list.loading} />
        </CardHeader>
        <CardBody>
          <AsyncBlock state={list} isEmpty={(p) => p.items.length === 0} empty={<p>{__('No messages yet.', 'comeback')}</p>}>
            {(p) => (
              <>
                <table className="comeback-table widefat striped">
                  <thead>
                    <tr>
                      <th>{__('Subject', 'comeback')}</th>
                      <th>{__('To', 'comeback')}</th>
                      <th>{__('Status', 'comeback')}</th>
                      <th>{__('Sent', 'comeback')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.items.map((m) => (
                      <tr key={m.id} className={open === m.id ? 'is-selected' : undefined}>
                        <td>
                          <Button variant="link" onClick={() => setOpen(m.id)}>
                            {m.subject ?? sprintf(__('Message %d', 'comeback'), m.id)}
                          </Button>
                        </td>
                        <td>{m.to}</td>
                        <td>
                          <span className={`comeback-status comeback-status--${m.status}`}>{m.status}</span>
                          {m.lastError && <div className="comeback-muted">{m.lastError}</div>}
                        </td>
                        <td>{when(m.sentAt)}</td>
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
      {open !== null && <MessageView id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

function MessageView({ id, onClose }: { id: number; onClose: () => void }) {
  const message = useLoad(() => api<Full>('GET', `/api/outbox/${id}`), String(id));
  return (
    <Card className="comeback-detail">
      <CardHeader>
        <strong>{sprintf(__('Message %d', 'comeback'), id)}</strong>
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
              {m.html && <iframe title={__('The message as the customer saw it', 'comeback')} className="comeback-preview__frame" sandbox="allow-popups" srcDoc={m.html} />}
              {m.text && <pre className="comeback-preview__text">{m.text}</pre>}
            </>
          )}
        </AsyncBlock>
      </CardBody>
    </Card>
  );
}
