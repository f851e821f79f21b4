import { Button, Card, CardBody, CardHeader, SelectControl } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { Customer, Page } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { AsyncBlock, RefreshButton, useLoad } from '../../components/async.tsx';
import { Pager } from '../../components/ListScreen.tsx';
import { segmentName, useSegments } from '../../components/segments.tsx';
import { day, money } from '../../components/shop-format.ts';
import { CustomerDetail } from './CustomerDetail.tsx';
import { fullName } from './customer-format.ts';
import { ConsentImport } from './ConsentImport.tsx';
import { HistoryImport } from './HistoryImport.tsx';

/** The shop's customers from their paid orders, filtered by segment; one open beside the list with its tags. */
export function CustomersScreen({ initialTag = '' }: { initialTag?: string }) {
  const [tag, setTag] = useState(initialTag);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [changed, setChanged] = useState<Record<string, Customer>>({});
  const segments = useSegments();
  const list = useLoad(
    () => api<Page<Customer>>('GET', `/api/customers?page=${page}&perPage=25${tag ? `&tag=${encodeURIComponent(tag)}` : ''}`),
    `${tag}|${page}`,
  );
  const reloadAll = () => (list.reload(), segments.reload(), setChanged({}));
  const shown = (c: Customer) => changed[c.email] ?? c;
  const current = list.data?.items.find((c) => c.email === open);
  const tags = segments.data?.segments ?? [];
  const options = [
    { label: __('All customers', 'comeback'), value: '' },
    ...tags.map((s) => ({ label: `${segmentName(s.tag)} (${s.customers})`, value: s.tag })),
  ];
  if (tag && !tags.some((s) => s.tag === tag)) options.push({ label: tag, value: tag });

  return (
    <div className="comeback-customers">
      <HistoryImport onDone={reloadAll} />
      <ConsentImport onDone={reloadAll} />
      <div className="comeback-split">
        <Card>
          <CardHeader>
            <SelectControl
              __nextHasNoMarginBottom
              label={__('Segment', 'comeback')}
              value={tag}
              options={options}
              onChange={(v: string) => {
                setTag(v);
                setPage(1);
              }}
            />
            <RefreshButton onClick={reloadAll} busy={list.loading} />
          </CardHeader>
          <CardBody>
            <AsyncBlock
              state={list}
              isEmpty={(p) => p.items.length === 0}
              empty={
                <p>
                  {tag
                    ? __('No customer is in this segment now.', 'comeback')
                    : __('No customers yet: they are built from paid orders (import the order history above).', 'comeback')}
                </p>
              }
            >
              {(p) => (
                <>
                  <p className="comeback-muted" data-testid="customers-total">
                    {sprintf(_n('%d customer', '%d customers', p.total, 'comeback'), p.total)}
                  </p>
                  <table className="comeback-table widefat striped" data-testid="customers">
                    <thead>
                      <tr>
                        <th>{__('Customer', 'comeback')}</th>
                        <th>{__('Orders', 'comeback')}</th>
                        <th>{__('Spent', 'comeback')}</th>
                        <th>{__('Last purchase', 'comeback')}</th>
                        <th>{__('Next expected', 'comeback')}</th>
                        <th>{__('Segments', 'comeback')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.items.map(shown).map((c) => (
                        <tr key={c.email} data-customer={c.email} className={open === c.email ? 'is-selected' : undefined}>
                          <td>
                            <Button variant="link" onClick={() => setOpen(c.email)}>
                              {c.email}
                            </Button>
                            {fullName(c) && <div className="comeback-muted">{fullName(c)}</div>}
                          </td>
                          <td>{c.orders}</td>
                          <td>{money(c.totalSpent)}</td>
                          <td>{day(c.lastPurchaseAt)}</td>
                          <td>{day(c.expectedNextPurchaseAt)}</td>
                          <td>
                            <TagList tags={c.tags} />
                          </td>
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
        {current && (
          <CustomerDetail
            key={current.email}
            customer={shown(current)}
            ruleTags={tags.filter((t) => t.rules).map((t) => t.tag)}
            onClose={() => setOpen(null)}
            onSaved={(saved) => {
              setChanged((all) => ({ ...all, [saved.email]: saved }));
              segments.reload();
            }}
          />
        )}
      </div>
    </div>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <span className="comeback-muted">—</span>;
  return (
    <span className="comeback-tags">
      {tags.map((t) => (
        <span key={t} className="comeback-tag" data-tag={t}>
          {segmentName(t)}
        </span>
      ))}
    </span>
  );
}
