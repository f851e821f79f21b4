import { Button, Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { CustomSegment } from '@comeback/sidecar/api-contracts';
import { NUMBER_RANGES, type NumberRange } from '@comeback/sidecar/flow-texts';
import type { FieldError } from '../../api.ts';
import { moneyLabel } from '../../components/shop-format.ts';
import { errorsUnder } from '../flows/field-errors.ts';
import { FieldErrors, helpWith, NumberField } from '../flows/flow-fields.tsx';

type Rule = Exclude<keyof CustomSegment, 'tag'>;

export const MAX_CUSTOM_SEGMENTS = 20;

/** The whole-number rules of a custom segment and their ranges (the sidecar's schema takes the same); money is any amount from 0. */
export const CUSTOM_RANGES: Array<[key: 'minOrders' | 'boughtWithinDays' | 'notBoughtForDays', range: NumberRange]> = [
  ['minOrders', NUMBER_RANGES.minOrders],
  ['boughtWithinDays', NUMBER_RANGES.segmentDays],
  ['notBoughtForDays', NUMBER_RANGES.segmentDays],
];
const rangeOf = (key: Rule) => CUSTOM_RANGES.find(([k]) => k === key)?.[1];

/** The merchant's rule-based segments: a tag and what its customers' orders must say. */
export function CustomSegments({
  segments,
  errors,
  onChange,
}: {
  segments: CustomSegment[];
  errors: FieldError[];
  onChange: (segments: CustomSegment[], path: string) => void;
}) {
  const rules: Array<{ key: Rule; label: string; step?: number; money?: boolean }> = [
    { key: 'minOrders', label: __('At least this many orders', 'comeback') },
    { key: 'minSpent', label: __('Spent at least', 'comeback'), step: 0.01, money: true },
    { key: 'maxSpent', label: __('Spent at most', 'comeback'), step: 0.01, money: true },
    { key: 'boughtWithinDays', label: __('Bought within (days)', 'comeback') },
    { key: 'notBoughtForDays', label: __('Has not bought for (days)', 'comeback') },
  ];
  const set = (i: number, next: CustomSegment, path: string) =>
    onChange(
      segments.map((s, j) => (j === i ? next : s)),
      `custom.${i}.${path}`,
    );
  return (
    <div className="comeback-custom-segments" role="group" aria-label={__('Your own segments', 'comeback')}>
      <h3>{__('Your own segments', 'comeback')}</h3>
      <p className="comeback-muted">
        {__(
          'Customers whose orders meet every rule you fill in get the tag, recomputed with the others. Empty rules are not checked.',
          'comeback',
        )}
      </p>
      <FieldErrors errors={errors.filter((e) => e.field === 'custom')} />
      {segments.map((segment, i) => (
        <Card key={i} size="small" className="comeback-flow-card" data-custom-segment={i}>
          <CardHeader>
            <strong>{segment.tag || sprintf(__('Segment %d', 'comeback'), i + 1)}</strong>
            <Button
              variant="tertiary"
              size="small"
              isDestructive
              onClick={() =>
                onChange(
                  segments.filter((_, j) => j !== i),
                  'custom',
                )
              }
              aria-label={sprintf(__('Remove segment %d', 'comeback'), i + 1)}
            >
              {__('Remove', 'comeback')}
            </Button>
          </CardHeader>
          <CardBody>
            <div className="comeback-form-grid">
              <TextControl
                __nextHasNoMarginBottom
                name={`custom.${i}.tag`}
                label={sprintf(__('Tag of segment %d', 'comeback'), i + 1)}
                value={segment.tag}
                placeholder="big spenders"
                aria-invalid={errorsUnder(errors, `custom.${i}.tag`).length > 0 || undefined}
                help={helpWith(null, errorsUnder(errors, `custom.${i}.tag`))}
                onChange={(tag) => set(i, { ...segment, tag: tag.toLowerCase() }, 'tag')}
              />
              {rules.map((rule) => (
                <NumberField
                  key={rule.key}
                  name={`custom.${i}.${rule.key}`}
                  label={rule.money ? moneyLabel(rule.label) : rule.label}
                  optional
                  min={rule.money ? 0 : undefined}
                  range={rangeOf(rule.key)}
                  step={rule.step}
                  value={segment[rule.key]}
                  errors={errorsUnder(errors, `custom.${i}.${rule.key}`)}
                  onChange={(value) => {
                    const next = { ...segment };
                    if (value === undefined) delete next[rule.key];
                    else next[rule.key] = value;
                    set(i, next, rule.key);
                  }}
                />
              ))}
            </div>
            <FieldErrors errors={errors.filter((e) => e.field === `custom.${i}`)} />
          </CardBody>
        </Card>
      ))}
      {segments.length < MAX_CUSTOM_SEGMENTS && (
        <Button variant="secondary" onClick={() => onChange([...segments, { tag: '' }], 'custom')}>
          {__('Add a segment of your own', 'comeback')}
        </Button>
      )}
    </div>
  );
}
