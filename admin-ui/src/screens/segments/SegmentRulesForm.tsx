import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useEffect, useMemo, useState } from 'react';
import { NUMBER_RANGES, numberErrors, type NumberRange } from '@comeback/sidecar/flow-texts';
import { useLastStored, useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import type { SegmentRules } from '@comeback/sidecar/api-contracts';
import { api, uniqueErrors, type FieldError } from '../../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../../components/async.tsx';
import { focusFirstError, SaveBar } from '../../components/SaveBar.tsx';
import type { Status } from '../../components/StatusNotice.tsx';
import { errorsUnder } from '../flows/field-errors.ts';
import { FieldErrors, NumberField } from '../flows/flow-fields.tsx';
import { CUSTOM_RANGES, CustomSegments } from './CustomSegments.tsx';

const FIELDS: Array<{
  key: Exclude<keyof SegmentRules, 'custom'>;
  label: string;
  help: string;
  range: NumberRange;
}> = [
  {
    key: 'newDays',
    label: __('New: a single purchase within (days)', 'comeback'),
    help: __('Customers with one order placed this recently.', 'comeback'),
    range: NUMBER_RANGES.segmentDays,
  },
  {
    key: 'recentDays',
    label: __('Recent buyer: a purchase within (days)', 'comeback'),
    help: __('Any order this recently.', 'comeback'),
    range: NUMBER_RANGES.segmentDays,
  },
  {
    key: 'atRiskFactor',
    label: __('At risk: later than their interval times', 'comeback'),
    help: __('A customer who buys every 20 days is at risk after 30 days with 1.5.', 'comeback'),
    range: NUMBER_RANGES.atRiskFactor,
  },
  {
    key: 'inactiveDays',
    label: __('Inactive: no purchase for (days)', 'comeback'),
    help: __('Past this, a customer is inactive rather than at risk.', 'comeback'),
    range: NUMBER_RANGES.segmentDays,
  },
  {
    key: 'vipTopPercent',
    label: __('VIP: the top spenders (% of customers)', 'comeback'),
    help: __('0 to 100.', 'comeback'),
    range: NUMBER_RANGES.vipTopPercent,
  },
  {
    key: 'defaultIntervalDays',
    label: __('Interval for a single purchase (days)', 'comeback'),
    help: __('The rhythm assumed for a customer who bought once.', 'comeback'),
    range: NUMBER_RANGES.segmentDays,
  },
];

/** The rules' numbers by the sidecar's own rule, as typed (a custom segment's too): refused at the field before a save. */
function ruleNumberErrors(rules: SegmentRules): FieldError[] {
  return numberErrors([
    ...FIELDS.map((f): [string, number, NumberRange] => [f.key, rules[f.key], f.range]),
    ...(rules.custom ?? []).flatMap((segment, i) =>
      CUSTOM_RANGES.flatMap(([key, range]): Array<[string, number, NumberRange]> =>
        segment[key] === undefined ? [] : [[`custom.${i}.${key}`, segment[key], range]],
      ),
    ),
  ]);
}

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
  const [base, answered] = useLastStored(saved);
  useEffect(() => setDraft(saved), [saved]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(base);
  useUnsavedChanges(dirty);
  const numbers = useMemo(() => ruleNumberErrors(draft), [draft]);
  const all = uniqueErrors([...errors, ...numbers]);

  async function save() {
    setStatus(null);
    if (numbers.length > 0) {
      setStatus({ kind: 'error', message: __('Some numbers cannot be saved; each is shown at its field. Nothing was saved.', 'comeback') });
      focusFirstError(numbers);
      return;
    }
    setBusy(true);
    try {
      const stored = await api<SegmentRules>('PUT', '/api/settings/segments', draft);
      setErrors([]);
      setStatus({ kind: 'success', message: __('Saved; the segments were recomputed with these rules.', 'comeback') });
      setDraft(stored);
      answered(stored);
      onSaved();
    } catch (error) {
      const e = asApiError(error);
      setErrors(e.fieldErrors());
      focusFirstError(e.fieldErrors());
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
            range={f.range}
            value={draft[f.key]}
            errors={errorsUnder(errors, f.key)}
            onChange={(value) => {
              setDraft((d) => ({ ...d, [f.key]: value ?? Number.NaN }));
              setErrors((list) => list.filter((e) => e.field !== f.key));
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
            setErrors((list) => list.filter((e) => !errorsUnder([e], path).length));
          }}
        />
      )}
      <FieldErrors errors={errors.filter((e) => !FIELDS.some((f) => e.field === f.key) && !e.field?.startsWith('custom'))} />
      <SaveBar
        status={status}
        onDismiss={() => setStatus(null)}
        saveLabel={__('Save rules', 'comeback')}
        onSave={() => void save()}
        onDiscard={() => (setDraft(base), setErrors([]), setStatus(null))}
        busy={busy}
        dirty={dirty}
        errors={all}
      />
    </>
  );
}
