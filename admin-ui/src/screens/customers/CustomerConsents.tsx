import { Button, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { ConsentChangeResults, ConsentState, ConsentView } from '@comeback/sidecar/api-contracts';
import { api, type FieldError } from '../../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../../components/async.tsx';
import { SaveBar, type SaveStatus } from '../../components/SaveBar.tsx';
import { useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import { day } from '../../components/shop-format.ts';
import { helpWith } from '../flows/flow-fields.tsx';

const PURPOSE: Record<string, string> = {
  order: __('About their orders', 'comeback'),
  cart: __('Cart reminders', 'comeback'),
  marketing: __('Offers and news', 'comeback'),
};
const CHANNEL: Record<string, string> = {
  email: __('Email', 'comeback'),
  sms: __('SMS', 'comeback'),
  whatsapp: __('WhatsApp', 'comeback'),
};
const STATE: Record<string, string> = {
  granted: __('agreed', 'comeback'),
  withdrawn: __('withdrawn', 'comeback'),
  pending: __('waiting for their confirmation', 'comeback'),
  bounced: __('bounced', 'comeback'),
  none: __('not asked', 'comeback'),
};
const SOURCE: Record<string, string> = {
  checkout: __('checkout', 'comeback'),
  'my-account': __('My Account', 'comeback'),
  import: __('import', 'comeback'),
  admin: __('the shop', 'comeback'),
  'double-opt-in': __('confirmation link', 'comeback'),
  keyword: __('SMS/WhatsApp keyword', 'comeback'),
  unsubscribe: __('unsubscribe link', 'comeback'),
  'provider-opt-out': __('SMS provider', 'comeback'),
  bounce: __('bounce', 'comeback'),
};

type Edit = { row: ConsentState; granted: boolean };

/**
 * One customer's consent per purpose and channel with where it came from, its history, and the
 * shop's own edit: grant or withdraw with a reason. A withdrawal the customer made shows why the
 * shop cannot grant it again (only the customer can).
 */
export function CustomerConsents({ email, phone, country }: { email: string; phone: string | null; country: string | null }) {
  const query = [
    `email=${encodeURIComponent(email)}`,
    phone ? `phone=${encodeURIComponent(phone)}` : '',
    country ? `country=${country}` : '',
  ]
    .filter(Boolean)
    .join('&');
  const view = useLoad(() => api<ConsentView>('GET', `/api/consents?${query}`), query);
  const [edit, setEdit] = useState<Edit | null>(null);
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<SaveStatus | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  useUnsavedChanges(edit !== null);

  const start = (row: ConsentState, granted: boolean) => (setEdit({ row, granted }), setReason(''), setErrors([]), setStatus(null));
  async function save() {
    if (!edit) return;
    setBusy(true);
    try {
      const { row, granted } = edit;
      const change = { purpose: row.purpose, channel: row.channel, address: row.address, granted, source: 'admin' as const, reason };
      const [result] = (await api<ConsentChangeResults>('POST', '/api/consents', { changes: [change] })).results;
      setErrors([]);
      if (result?.outcome === 'refused') setStatus({ kind: 'error', message: result.reason ?? __('Refused.', 'comeback') });
      else {
        setStatus({
          kind: 'success',
          message:
            result?.outcome === 'pending-confirmation'
              ? sprintf(__('A confirmation email went to %s: it counts once they confirm.', 'comeback'), row.address)
              : __('Consent saved.', 'comeback'),
        });
        setEdit(null);
      }
      view.reload();
    } catch (error) {
      const e = asApiError(error);
      // "changes.0.reason": the field on this form is "reason".
      setErrors(e.fieldErrors().map((f) => ({ ...f, field: f.field?.replace(/^changes\.\d+\./, '') })));
      setStatus({ kind: 'error', message: e.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <AsyncBlock state={view}>
      {(v) => (
        <>
          <table className="comeback-table widefat striped" data-testid="consents">
            <thead>
              <tr>
                <th>{__('Purpose', 'comeback')}</th>
                <th>{__('Channel', 'comeback')}</th>
                <th>{__('State', 'comeback')}</th>
                <th>{__('Source', 'comeback')}</th>
                <th>{__('Date', 'comeback')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {v.current.map((row) => (
                <tr key={`${row.purpose}:${row.channel}`} data-consent={`${row.purpose}:${row.channel}`}>
                  <td>{PURPOSE[row.purpose]}</td>
                  <td>{CHANNEL[row.channel]}</td>
                  <td data-state={row.state}>{STATE[row.state] ?? row.state}</td>
                  <td>{row.source ? (SOURCE[row.source] ?? row.source) : '—'}</td>
                  <td>{row.at ? day(row.at) : '—'}</td>
                  <td>
                    {row.state === 'granted' || row.state === 'pending' ? (
                      <Button variant="link" onClick={() => start(row, false)}>
                        {__('Withdraw', 'comeback')}
                      </Button>
                    ) : row.canGrant ? (
                      <Button variant="link" onClick={() => start(row, true)}>
                        {__('Grant', 'comeback')}
                      </Button>
                    ) : (
                      <span className="comeback-muted" data-testid="cannot-grant">
                        {row.why}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {edit && (
            <div className="comeback-consent-edit" data-testid="consent-edit">
              <p>
                {sprintf(
                  edit.granted ? __('Grant “%1$s” by %2$s for %3$s.', 'comeback') : __('Withdraw “%1$s” by %2$s for %3$s.', 'comeback'),
                  PURPOSE[edit.row.purpose] ?? edit.row.purpose,
                  CHANNEL[edit.row.channel] ?? edit.row.channel,
                  edit.row.address,
                )}
              </p>
              <TextControl
                __nextHasNoMarginBottom
                name="reason"
                label={__('Why (kept with the change)', 'comeback')}
                value={reason}
                aria-invalid={errors.some((e) => e.field === 'reason') || undefined}
                help={helpWith(
                  __('For example: “asked by phone on 3 May”.', 'comeback'),
                  errors.filter((e) => e.field === 'reason'),
                )}
                onChange={(next) => (setReason(next), setErrors([]))}
              />
            </div>
          )}
          {(edit || status) && (
            <SaveBar
              status={status}
              onDismiss={() => setStatus(null)}
              saveLabel={__('Save consent', 'comeback')}
              onSave={() => void save()}
              onDiscard={() => (setEdit(null), setErrors([]))}
              busy={busy}
              dirty={edit !== null}
              errors={errors}
            />
          )}
          <details className="comeback-consent-history">
            <summary>{sprintf(__('History (%d changes)', 'comeback'), v.history.length)}</summary>
            <ul data-testid="consent-history">
              {v.history.map((h, i) => (
                <li key={i}>
                  {day(h.at)}: {h.words}
                  {h.reason ? ` — ${h.reason}` : ''}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </AsyncBlock>
  );
}
