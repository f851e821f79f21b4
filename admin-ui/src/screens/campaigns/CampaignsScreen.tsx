import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useState } from 'react';
import type { Campaign, CampaignList, CampaignStatus, FlowList } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { AsyncBlock, RefreshButton, useLoad, when } from '../../components/async.tsx';
import { segmentName } from '../../components/segments.tsx';
import { money } from '../../components/shop-format.ts';
import { CHANNEL_LABELS } from '../flows/flow-words.ts';
import { CampaignForm } from './CampaignForm.tsx';
import { stepOf } from './campaign-draft.ts';

const STATUS_WORDS: Record<CampaignStatus, string> = {
  draft: __('Draft', 'comeback'),
  scheduled: __('Scheduled', 'comeback'),
  sending: __('Sending', 'comeback'),
  sent: __('Sent', 'comeback'),
  cancelled: __('Cancelled', 'comeback'),
};

/** One-off messages to segments: the list with what each brought, and one open in the form. */
export function CampaignsScreen() {
  const list = useLoad(() => api<CampaignList>('GET', '/api/campaigns'), 'campaigns');
  const flows = useLoad(() => api<FlowList>('GET', '/api/flows'), 'flows');
  const [open, setOpen] = useState<Campaign | 'new' | null>(null);
  const channels = flows.data?.channels ?? { email: true, sms: true, whatsapp: true };

  if (open) {
    return (
      <CampaignForm
        key={open === 'new' ? 'new' : open.id}
        campaign={open === 'new' ? null : open}
        channels={channels}
        onSaved={list.reload}
        onClose={() => (setOpen(null), list.reload())}
      />
    );
  }
  return (
    <Card className="comeback-campaigns">
      <CardHeader>
        <strong>{__('Campaigns', 'comeback')}</strong>
        <div className="comeback-row">
          <RefreshButton onClick={list.reload} busy={list.loading} />
          <Button variant="primary" onClick={() => setOpen('new')}>
            {__('New campaign', 'comeback')}
          </Button>
        </div>
      </CardHeader>
      <CardBody>
        <AsyncBlock
          state={list}
          isEmpty={(l) => l.items.length === 0}
          empty={
            <p>
              {__(
                'No campaigns yet. A campaign sends one message to the customers of the segments you pick, at the time you choose.',
                'comeback',
              )}
            </p>
          }
        >
          {({ items }) => (
            <table className="comeback-table widefat striped" data-testid="campaigns">
              <thead>
                <tr>
                  <th>{__('Campaign', 'comeback')}</th>
                  <th>{__('Status', 'comeback')}</th>
                  <th>{__('Sends', 'comeback')}</th>
                  <th>{__('Entered', 'comeback')}</th>
                  <th>{__('Sent', 'comeback')}</th>
                  <th>{__('Held out', 'comeback')}</th>
                  <th>{__('Orders', 'comeback')}</th>
                  <th>{__('Revenue', 'comeback')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} data-campaign={c.id}>
                    <td>
                      <Button variant="link" onClick={() => setOpen(c)}>
                        {c.name}
                      </Button>
                      <div className="comeback-muted">
                        {(c.tags.length ? c.tags.map(segmentName).join(', ') : __('every customer', 'comeback')) +
                          ' · ' +
                          stepOf(c)
                            .channels.map((ch) => CHANNEL_LABELS[ch])
                            .join(' / ')}
                      </div>
                    </td>
                    <td>
                      <span className={`comeback-status comeback-status--${c.status}`}>{STATUS_WORDS[c.status] ?? c.status}</span>
                    </td>
                    <td>{c.sendAt ? when(c.sendAt) : '—'}</td>
                    <td>{c.stats?.entered ?? c.audience ?? '—'}</td>
                    <td>{c.stats?.sent ?? '—'}</td>
                    <td>{c.stats?.heldOut ?? '—'}</td>
                    <td>{c.stats?.orders ?? '—'}</td>
                    <td>{money(c.stats?.revenue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </AsyncBlock>
      </CardBody>
    </Card>
  );
}
