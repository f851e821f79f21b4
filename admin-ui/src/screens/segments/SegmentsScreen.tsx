import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { SegmentsRecomputed } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { asApiError, AsyncBlock, RefreshButton } from '../../components/async.tsx';
import { segmentInWords, segmentName, useSegments } from '../../components/segments.tsx';
import { type Status, StatusNotice } from '../../components/StatusNotice.tsx';
import { SegmentRulesForm } from './SegmentRulesForm.tsx';

/** Live counts per segment (each opens its customers), the thresholds the computed ones use, and a recompute. */
export function SegmentsScreen({ onOpenSegment }: { onOpenSegment: (tag: string) => void }) {
  const segments = useSegments();
  const [notice, setNotice] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);

  async function recompute() {
    setBusy(true);
    setNotice(null);
    try {
      const result = await api<SegmentsRecomputed>('POST', '/api/segments/recompute');
      setNotice({
        kind: 'success',
        message: sprintf(
          _n('Recomputed from the orders of %d customer.', 'Recomputed from the orders of %d customers.', result.customers, 'comeback'),
          result.customers,
        ),
      });
      segments.reload();
    } catch (error) {
      setNotice({ kind: 'error', message: asApiError(error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="comeback-segments">
      <Card className="comeback-flow-card">
        <CardHeader>
          <strong>{__('Segments', 'comeback')}</strong>
          <div className="comeback-row">
            <RefreshButton onClick={segments.reload} busy={segments.loading} />
            <Button variant="secondary" onClick={() => void recompute()} isBusy={busy} disabled={busy}>
              {__('Recompute now', 'comeback')}
            </Button>
          </div>
        </CardHeader>
        <CardBody>
          <StatusNotice status={notice} onRemove={() => setNotice(null)} className="comeback-save-status" />
          <p className="comeback-muted">
            {__(
              'Computed from paid orders every hour, and after every change of the rules below. Your own tags (set on a customer) are kept.',
              'comeback',
            )}
          </p>
          <AsyncBlock state={segments}>
            {({ segments: list }) => (
              <table className="comeback-table widefat striped" data-testid="segments">
                <thead>
                  <tr>
                    <th>{__('Segment', 'comeback')}</th>
                    <th>{__('Kind', 'comeback')}</th>
                    <th>{__('Customers', 'comeback')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={`${s.tag}|${s.manual}`} data-segment={s.tag}>
                      <td>
                        <Button
                          variant="link"
                          onClick={() => onOpenSegment(s.tag)}
                          aria-label={sprintf(__('Show the customers in %s', 'comeback'), segmentName(s.tag))}
                        >
                          {segmentName(s.tag)}
                        </Button>
                        {!s.manual && !s.rules && <div className="comeback-muted">{segmentInWords(s.tag)}</div>}
                      </td>
                      <td>
                        {s.manual ? __('your tag', 'comeback') : s.rules ? __('your rules', 'comeback') : __('from orders', 'comeback')}
                      </td>
                      <td data-testid={`count-${s.tag}`}>{s.customers}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </AsyncBlock>
        </CardBody>
      </Card>
      <SegmentRulesForm onSaved={segments.reload} />
    </div>
  );
}
