import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import { useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import type { SegmentRules } from '@comeback/sidecar/api-contracts';
import { api, type FieldError } from '../../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../../components/async.tsx';
import { type Status, StatusNotice } from '../../components/StatusNotice.tsx';
import { errorsUnder } from '../flows/field-errors.ts';
import { FieldErrors, NumberField } from '../flows/flow-fields.tsx';
import { CustomSegments } from './CustomSegments.tsx';

const FIELDS: Array<{
  key: Exclude<keyof SegmentRules, 'custom'>;
  label: string;
  help: string;
  step?: number;
  min?: number;
  max?: number;
}> = [
  {
    key: 'newDays',
    label: __('New: a single purchase within (days)', 'comeback'),
    help: __('Customers with one order placed this recently.', 'comeback'),
    min: 1,
  },
  {
    key: 'recentDays',
    label: __('Recent buyer: a purchase within (days)', 'comeback'),
    help: __('Any order this recently.', 'comeback'),
    min: 1,
  },
  {
    key: 'atRiskFactor',
    label: __('At risk: later than their interval times', 'comeback'),
    help: __('A customer who buys every 20 days is at risk after 30 days with 1.5.', 'comeback'),
    step: 0.1,
    min: 1,
  },
  {
    key: 'inactiveDays',
    label: __('Inactive: no purchase for (days)', 'comeback'),
    help: __('Past this, a customer is inactive rather than at risk.', 'comeback'),
    min: 1,
  },
  {
    key: 'vipTopPercent',
    label: __('VIP: the top spenders (% of customers)', 'comeback'),
    help: __('0 to 100.', 'comeback'),
    step: 1,
    min: 0,
    max: 100,
  },
  {
    key: 'defaultIntervalDays',
    label: __('Interval for a single purchase (days)', 'comeback'),
    help: __('The rhythm assumed for a customer who bought once.', 'comeback'),
    min: 1,
  },
];

export function SegmentRulesForm({ onSaved }: { onSaved: () => void }) {
  const loaded = useLoad(() => api<SegmentRules>('GET', '/api/settings/segments'), 'segment-rules');
  return (
    <Card className="comeback-flow-card comeback-segment-rules">
      <CardHeader>
        <h3>{__('Rules of the computed segments', 'comeback')}</h3>
      </CardHeader>
      <CardBody>
        <AsyncBlock state={loaded}>{(rules) => <RulesForm saved={rules} onSaved={() => (loaded.reload(), onSaved())} />}</AsyncBlock>
      </CardBody>
    </Card>
  );
}

function RulesForm({ saved, onSaved }: { saved: SegmentRules; onSaved: () => void }) {
  const [draft, setDraft] = useState<SegmentRules>(saved);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(saved), [saved]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  useUnsavedChanges(dirty);

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const stored = await api<SegmentRules>('PUT', '/api/settings/segments', draft);
      setErrors([]);
      setStatus({ kind: 'success', message: __('Saved; the segments were recomputed with these rules.', 'comeback') });
      setDraft(stored);
      onSaved();
    } catch (error) {
      const e = asApiError(error);
      setErrors(e.fieldErrors());
      setStatus({
        kind: 'error',
        message: e.fieldErrors().length
          ? __('Some rules cannot be saved; each problem is shown at its field. Nothing was saved.', 'comeback')
          : e.message,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className="comeback-form-grid">
        {FIELDS.map((f) => (
          <NumberField
            key={f.key}
            name={f.key}
            label={f.label}
            help={f.help}
            min={f.min}
            max={f.max}
            step={f.step}
            value={draft[f.key]}
            errors={errorsUnder(errors, f.key)}
            onChange={(value) => {
              setDraft((d) => ({ ...d, [f.key]: value ?? 0 }));
              setErrors((all) => all.filter((e) => e.field !== f.key));
            }}
          />
        ))}
      </div>
      {draft.custom && (
        <CustomSegments
          segments={draft.custom}
          errors={errors}
          onChange={(custom, path) => {
            setDraft((d) => ({ ...d, custom }));
            setErrors((all) => all.filter((e) => !errorsUnder([e], path).length));
          }}
        />
      )}
      <FieldErrors errors={errors.filter((e) => !FIELDS.some((f) => e.field === f.key) && !e.field?.startsWith('custom'))} />
      <StatusNotice status={status} onRemove={() => setStatus(null)} className="comeback-save-status" />
      <div className="comeback-row">
        <Button variant="primary" onClick={() => void save()} isBusy={busy} disabled={busy || !dirty} accessibleWhenDisabled>
          {__('Save rules', 'comeback')}
        </Button>
        {dirty && <span className="comeback-unsaved">{__('Unsaved changes', 'comeback')}</span>}
      </div>
    </>
  );
}
