import { Button, Card, CardBody, CardHeader, SelectControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState, type ReactNode } from 'react';
import type { Page } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { AsyncBlock, RefreshButton, useLoad } from './async.tsx';

/**
 * A filtered, paged list of the admin API (queue, outbox) with one item open beside it: the
 * status filter, refresh, loading/empty/error states, the table and the pager in one place.
 */
export function ListScreen<T extends { id: number }>(props: {
  /** The API path with no query, e.g. "/api/queue". */
  path: string;
  filters: Array<{ label: string; value: string }>;
  empty: string;
  columns: string[];
  /** The cells of one row; `open` shows the item beside the list. */
  cells: (item: T, open: () => void) => ReactNode[];
  detail: (id: number, close: () => void, listChanged: () => void) => ReactNode;
}) {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const list = useLoad(
    () => api<Page<T>>('GET', `${props.path}?page=${page}&perPage=25${status ? `&status=${status}` : ''}`),
    `${props.path}|${status}|${page}`,
  );
  return (
    <div className="comeback-split">
      <Card>
        <CardHeader>
          <SelectControl
            __nextHasNoMarginBottom
            label={__('Show', 'comeback')}
            value={status}
            options={props.filters}
            onChange={(v: string) => {
              setStatus(v);
              setPage(1);
            }}
          />
          <RefreshButton onClick={list.reload} busy={list.loading} />
        </CardHeader>
        <CardBody>
          <AsyncBlock state={list} isEmpty={(p) => p.items.length === 0} empty={<p>{props.empty}</p>}>
            {(p) => (
              <>
                <table className="comeback-table widefat striped">
                  <thead>
                    <tr>
                      {props.columns.map((c) => (
                        <th key={c}>{c}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {p.items.map((item) => (
                      <tr key={item.id} className={open === item.id ? 'is-selected' : undefined}>
                        {props
                          .cells(item, () => setOpen(item.id))
                          .map((cell, i) => (
                            <td key={i}>{cell}</td>
                          ))}
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
      {open !== null && props.detail(open, () => setOpen(null), list.reload)}
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
