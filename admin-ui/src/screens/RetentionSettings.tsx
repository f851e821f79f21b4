import { Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useState } from 'react';
import type { RetentionSettings as Retention } from '@comeback/sidecar/api-contracts';
import { api, type FieldError } from '../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../components/async.tsx';
import { focusFirstError, SaveBar, type SaveStatus } from '../components/SaveBar.tsx';
import { useLastStored, useSavedDraft, useUnsavedChanges } from '../components/unsaved-changes.tsx';

type Period = keyof Retention;

/** Each period as the merchant reads it: what is kept, and what happens after. */
const PERIODS: Array<{ key: Period; label: string; after: string }> = [
  {
    key: 'webhookBodiesDays',
    label: __('Order updates received from the shop', 'comeback'),
    after: __('Then deleted; the order’s latest state is kept.', 'comeback'),
  },
  {
    key: 'messageBodiesDays',
    label: __('Texts of the messages sent', 'comeback'),
    after: __('Then emptied; who, when and what happened are kept for the reports.', 'comeback'),
  },
  {
    key: 'stepLogDays',
    label: __('Why a message was or was not sent', 'comeback'),
    after: __('Then deleted.', 'comeback'),
  },
  {
    key: 'clickDetailsDays',
    label: __('The browser of a click', 'comeback'),
    after: __('Then forgotten; the click is kept for the reports.', 'comeback'),
  },
  {
    key: 'unorderedCartsDays',
    label: __('Carts never ordered', 'comeback'),
    after: __('Counted from the last activity, then deleted.', 'comeback'),
  },
  {
    key: 'inboundMessagesDays',
    label: __('Messages customers sent (SMS, WhatsApp)', 'comeback'),
    after: __('Then deleted.', 'comeback'),
  },
];

/** What personal data Comeback keeps and for how many days (GET/PUT /api/settings/retention), editable. */
export function RetentionSettings() {
  const saved = useLoad(() => api<Retention>('GET', '/api/settings/retention'), 'retention');
  return (
    <Card className="comeback-retention">
      <CardHeader>
        <strong>{__('What is kept, and for how long', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        <AsyncBlock state={saved}>{(s) => <RetentionForm saved={s} onSaved={saved.reload} />}</AsyncBlock>
      </CardBody>
    </Card>
  );
}

function RetentionForm({ saved, onSaved }: { saved: Retention; onSaved: () => void }) {
  const [days, setDays, sending] = useSavedDraft(saved, asText);
  const [status, setStatus] = useState<SaveStatus | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [stored, answered] = useLastStored(saved);
  const dirty = PERIODS.some(({ key }) => days[key] !== String(stored[key]));
  useUnsavedChanges(dirty);

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const body = Object.fromEntries(PERIODS.map(({ key }) => [key, days[key].trim() === '' ? NaN : Number(days[key])]));
      sending(days);
      answered(await api<Retention>('PUT', '/api/settings/retention', body));
      setErrors([]);
      setStatus({ kind: 'success', message: __('Saved. Older data is pruned at the next daily run.', 'comeback') });
      onSaved();
    } catch (error) {
      const refused = asApiError(error);
      setErrors(refused.fieldErrors());
      setStatus({ kind: 'error', message: refused.message });
      focusFirstError(refused.fieldErrors());
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p className="comeback-muted">
        {__(
          'Comeback keeps personal data only as long as you say here. A customer’s own data is exported or erased with WordPress’s Tools → Export / Erase Personal Data.',
          'comeback',
        )}
      </p>
      <table className="comeback-table widefat striped" data-testid="retention">
        <tbody>
          {PERIODS.map(({ key, label, after }) => {
            const problem = errors.find((e) => e.field === key);
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td>
                  <TextControl
                    __nextHasNoMarginBottom
                    type="number"
                    name={key}
                    label={__('Days kept', 'comeback')}
                    min={1}
                    max={3650}
                    value={days[key]}
                    aria-invalid={problem ? true : undefined}
                    help={problem ? problem.message : after}
                    onChange={(value) => setDays((d) => ({ ...d, [key]: value }))}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <SaveBar
        status={status}
        onDismiss={() => setStatus(null)}
        saveLabel={__('Save how long data is kept', 'comeback')}
        onSave={() => void save()}
        onDiscard={() => (setDays(asText(stored)), setErrors([]))}
        busy={busy}
        dirty={dirty}
        errors={errors}
      />
    </>
  );
}

function asText(s: Retention): Record<Period, string> {
  return Object.fromEntries(PERIODS.map(({ key }) => [key, String(s[key])])) as Record<Period, string>;
}
