import { Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import { useLastStored, useUnsavedChanges } from '../components/unsaved-changes.tsx';
import type { AlertEmailSettings as AlertEmail, AlertList } from '@comeback/sidecar/api-contracts';
import { api, type FieldError } from '../api.ts';
import { alertKindInWords } from '../components/AlertsBanner.tsx';
import { asApiError, AsyncBlock, useLoad, when } from '../components/async.tsx';
import { focusFirstError, SaveBar } from '../components/SaveBar.tsx';
import type { Status } from '../components/StatusNotice.tsx';
import { helpWith } from './flows/flow-fields.tsx';

/** The address field's name, where a refusal is shown and the focus goes. */
const FIELD = 'alertEmail';

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
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const [stored, answered] = useLastStored(saved);
  useEffect(() => setEmail(saved.email ?? ''), [saved]);
  const dirty = email.trim() !== (stored.email ?? '');
  useUnsavedChanges(dirty);

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const next = await api<AlertEmail>('PUT', '/api/settings/alerts', { email: email.trim() || null });
      setErrors([]);
      answered(next);
      setStatus({
        kind: 'success',
        message: next.email
          ? sprintf(__('Saved. Alerts go to %s.', 'comeback'), next.email)
          : __('Saved. Alerts are shown here only.', 'comeback'),
      });
      onSaved();
    } catch (error) {
      const e = asApiError(error);
      // The sidecar names its field `email`; here it is the one field of the form.
      const refused = e.fieldErrors().map((f) => ({ ...f, field: FIELD }));
      setErrors(refused);
      setStatus({ kind: 'error', message: refused.length ? __('The address cannot be saved. Nothing was saved.', 'comeback') : e.message });
      focusFirstError(refused);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="comeback-alert-email"
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) void save();
      }}
    >
      <TextControl
        __nextHasNoMarginBottom
        type="email"
        name={FIELD}
        label={__('Email alerts to', 'comeback')}
        value={email}
        placeholder={__('you@yourshop.com', 'comeback')}
        aria-invalid={errors.length > 0 || undefined}
        help={helpWith(
          saved.email
            ? __(
                'When a sending channel fails, messages stop going out or WooCommerce stops sending order events, Comeback writes here.',
                'comeback',
              )
            : __(
                'No address yet: alerts are only shown here and above every screen. Enter the address you read, and each new alert is emailed to you once.',
                'comeback',
              ),
          errors,
        )}
        onChange={(next) => (setEmail(next), setErrors([]))}
      />
      <SaveBar
        status={status}
        onDismiss={() => setStatus(null)}
        saveLabel={__('Save the alert address', 'comeback')}
        onSave={() => void save()}
        onDiscard={() => (setEmail(stored.email ?? ''), setErrors([]), setStatus(null))}
        busy={busy}
        dirty={dirty}
        errors={errors}
      />
    </form>
  );
}
