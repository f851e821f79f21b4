import { Button, Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import { useUnsavedChanges } from '../components/unsaved-changes.tsx';
import type { AlertEmailSettings as AlertEmail, AlertList } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { alertKindInWords } from '../components/AlertsBanner.tsx';
import { asApiError, AsyncBlock, useLoad, when } from '../components/async.tsx';
import { type Status, StatusNotice } from '../components/StatusNotice.tsx';

/** Where alerts are emailed (empty: nowhere, they are shown here only), and the recent alerts. */
export function AlertSettings() {
  const settings = useLoad(() => api<AlertEmail>('GET', '/api/settings/alerts'), 'alert-settings');
  const recent = useLoad(() => api<AlertList>('GET', '/api/alerts?state=all'), 'alerts-all');
  return (
    <Card className="comeback-alert-settings">
      <CardHeader>
        <strong>{__('Alerts', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        <AsyncBlock state={settings}>{(saved) => <AlertEmailForm saved={saved} onSaved={settings.reload} />}</AsyncBlock>
        {recent.data && recent.data.alerts.length > 0 && (
          <table className="comeback-table widefat striped" data-testid="recent-alerts">
            <caption className="comeback-muted">{__('Recent alerts', 'comeback')}</caption>
            <thead>
              <tr>
                <th>{__('What', 'comeback')}</th>
                <th>{__('Since', 'comeback')}</th>
                <th>{__('Closed', 'comeback')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.data.alerts.slice(0, 10).map((a) => (
                <tr key={a.id}>
                  <td>
                    <strong>{alertKindInWords(a.kind)}</strong> {a.message}
                  </td>
                  <td>{when(a.openedAt)}</td>
                  <td>{a.resolvedAt ? when(a.resolvedAt) : __('open', 'comeback')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </CardBody>
    </Card>
  );
}

function AlertEmailForm({ saved, onSaved }: { saved: AlertEmail; onSaved: () => void }) {
  const [email, setEmail] = useState(saved.email ?? '');
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setEmail(saved.email ?? ''), [saved]);
  useUnsavedChanges(email.trim() !== (saved.email ?? ''));

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const next = await api<AlertEmail>('PUT', '/api/settings/alerts', { email: email.trim() || null });
      setStatus({
        kind: 'success',
        message: next.email
          ? sprintf(__('Saved. Alerts go to %s.', 'comeback'), next.email)
          : __('Saved. Alerts are shown here only.', 'comeback'),
      });
      onSaved();
    } catch (error) {
      setStatus({ kind: 'error', message: asApiError(error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="comeback-alert-email"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <TextControl
        __nextHasNoMarginBottom
        type="email"
        name="alertEmail"
        label={__('Email alerts to', 'comeback')}
        value={email}
        placeholder={__('you@yourshop.com', 'comeback')}
        help={
          saved.email
            ? __(
                'When a sending channel fails, messages stop going out or WooCommerce stops sending order events, Comeback writes here.',
                'comeback',
              )
            : __(
                'No address yet: alerts are only shown here and above every screen. Enter the address you read, and each new alert is emailed to you once.',
                'comeback',
              )
        }
        onChange={setEmail}
      />
      <Button
        variant="secondary"
        type="submit"
        isBusy={busy}
        disabled={busy || email.trim() === (saved.email ?? '')}
        accessibleWhenDisabled
      >
        {__('Save', 'comeback')}
      </Button>
      <StatusNotice status={status} onRemove={() => setStatus(null)} className="comeback-alert-email__status" />
    </form>
  );
}
