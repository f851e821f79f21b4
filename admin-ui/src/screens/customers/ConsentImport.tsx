import { Button, Card, CardBody, CardHeader, CheckboxControl, TextareaControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState, type ChangeEvent } from 'react';
import type { ConsentImportResult } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import { asApiError, useLoad } from '../../components/async.tsx';
import { type Status, StatusNotice } from '../../components/StatusNotice.tsx';

/**
 * Import of opt-ins the shop already holds: a CSV pasted or uploaded (email or phone, channel,
 * purpose, date, source), checked by a dry run that counts what it would do, then imported after
 * a confirmation. A customer's own withdrawal is never lifted by it.
 */
export function ConsentImport({ onDone }: { onDone: () => void }) {
  const [csv, setCsv] = useState('');
  const [checked, setChecked] = useState<{ csv: string; result: ConsentImportResult } | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const { confirm, dialog } = useConfirm();
  const current = checked?.csv === csv ? checked.result : null;

  async function run(dryRun: boolean) {
    setBusy(true);
    setStatus(null);
    try {
      const result = await api<ConsentImportResult>('POST', '/api/consents/import', { csv, dryRun });
      if (dryRun) setChecked({ csv, result });
      else {
        setChecked(null);
        setStatus({
          kind: 'success',
          message: sprintf(
            __('Imported: %1$d opt-ins granted, %2$d already there (batch %3$s).', 'comeback'),
            result.counts.grant,
            result.counts.alreadyGranted,
            result.batch ?? '',
          ),
        });
        onDone();
      }
    } catch (error) {
      setStatus({ kind: 'error', message: asApiError(error).message });
    } finally {
      setBusy(false);
    }
  }

  async function importNow() {
    if (!current) return;
    const yes = await confirm({
      title: __('Import these opt-ins?', 'comeback'),
      message: sprintf(
        __(
          '%1$d opt-ins are granted, each kept with its date and source and this import’s batch. %2$d withdrawn by the customer stay withdrawn.',
          'comeback',
        ),
        current.counts.grant,
        current.counts.refusedWithdrawn,
      ),
      confirmLabel: sprintf(__('Import %d opt-ins', 'comeback'), current.counts.grant),
    });
    if (yes) await run(false);
  }

  const upload = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void file.text().then(setCsv);
  };

  return (
    <Card className="comeback-consent-import">
      <CardHeader>
        <h2>{__('Opt-ins', 'comeback')}</h2>
      </CardHeader>
      <CardBody>
        <DoubleOptIn />
        <h3>{__('Import opt-ins', 'comeback')}</h3>
        <TextareaControl
          __nextHasNoMarginBottom
          name="csv"
          label={__('CSV with the columns email or phone, channel, purpose, date, source', 'comeback')}
          help={__(
            'channel: email, sms or whatsapp; purpose: order, cart or marketing; date: when they agreed (2024-03-05); source: where they agreed.',
            'comeback',
          )}
          rows={5}
          value={csv}
          onChange={setCsv}
        />
        <p>
          <label>
            {__('Or upload a CSV file:', 'comeback')} <input type="file" accept=".csv,text/csv" onChange={upload} data-testid="csv-file" />
          </label>
        </p>
        <div className="comeback-row">
          <Button variant="secondary" onClick={() => void run(true)} isBusy={busy} disabled={busy || !csv.trim()} accessibleWhenDisabled>
            {__('Check (nothing is written)', 'comeback')}
          </Button>
          <Button
            variant="primary"
            onClick={() => void importNow()}
            disabled={busy || !current || current.counts.grant === 0}
            accessibleWhenDisabled
          >
            {__('Import', 'comeback')}
          </Button>
        </div>
        {current && (
          <div data-testid="import-counts">
            <p>
              {sprintf(
                __('Would grant %1$d; already granted %2$d; refused because the customer withdrew %3$d; invalid rows %4$d.', 'comeback'),
                current.counts.grant,
                current.counts.alreadyGranted,
                current.counts.refusedWithdrawn,
                current.counts.invalid,
              )}
            </p>
            {current.invalid.length > 0 && (
              <ul>
                {current.invalid.map((i) => (
                  <li key={i.line}>{sprintf(__('Line %1$d: %2$s', 'comeback'), i.line, i.reason)}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <StatusNotice status={status} onRemove={() => setStatus(null)} className="comeback-import-status" />
        {dialog}
      </CardBody>
    </Card>
  );
}

/** Double opt-in for marketing email: on by default; saved as it is ticked. */
function DoubleOptIn() {
  const settings = useLoad(() => api<{ doubleOptIn: boolean }>('GET', '/api/consents/settings'), 'consent-settings');
  const [status, setStatus] = useState<Status | null>(null);
  const [saving, setSaving] = useState(false);
  async function change(doubleOptIn: boolean) {
    setSaving(true);
    try {
      await api('PUT', '/api/consents/settings', { doubleOptIn });
      setStatus({
        kind: 'success',
        message: doubleOptIn
          ? __('Saved: a marketing email opt-in counts once the customer confirms it by email.', 'comeback')
          : __('Saved: a marketing email opt-in counts at once.', 'comeback'),
      });
      settings.reload();
    } catch (error) {
      setStatus({ kind: 'error', message: asApiError(error).message });
    } finally {
      setSaving(false);
    }
  }
  if (!settings.data) return null;
  return (
    <>
      <CheckboxControl
        __nextHasNoMarginBottom
        label={__('Ask for confirmation by email before sending offers and news by email (double opt-in)', 'comeback')}
        help={__('Recommended: the customer clicks a link in a short email, which proves the address is theirs.', 'comeback')}
        checked={settings.data.doubleOptIn}
        disabled={saving}
        onChange={(checked) => void change(checked)}
      />
      <StatusNotice status={status} onRemove={() => setStatus(null)} className="comeback-consent-settings-status" />
    </>
  );
}
