import { Notice, TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useEffect, useState, type ReactNode } from 'react';
import { NUMBER_RANGES, numberProblem, type NumberRange } from '@comeback/sidecar/flow-texts';
import type { FieldError } from '../../api.ts';

/**
 * A control's help with its errors under it: WordPress associates the help with the input
 * (aria-describedby), so a screen reader hears the error with the field.
 */
export function helpWith(help: ReactNode, errors: FieldError[]): ReactNode {
  if (errors.length === 0) return help;
  return (
    <>
      {help}
      {errors.map((e, i) => (
        <span key={i} className="comeback-field-error" data-field={e.field}>
          {e.message}
        </span>
      ))}
    </>
  );
}

/** Errors on their own, where no single control carries them (a step, a channel list). */
export function FieldErrors({ errors, id }: { errors: FieldError[]; id?: string }) {
  if (errors.length === 0) return null;
  return (
    <div id={id} className="comeback-field-errors">
      {errors.map((e, i) => (
        <p key={i} className="comeback-field-error" data-field={e.field}>
          {e.message}
        </p>
      ))}
    </div>
  );
}

/** Errors no field of the screen shows, each with the field the sidecar named, above the form. */
export function ErrorsElsewhere({ errors }: { errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <Notice status="error" isDismissible={false}>
      <ul className="comeback-error-list">
        {errors.map((e, i) => (
          <li key={i}>
            <code>{e.field}</code> {e.message}
          </li>
        ))}
      </ul>
    </Notice>
  );
}

type Common = { label: string; help?: ReactNode; errors: FieldError[]; name: string; className?: string };

/**
 * A number typed freely and kept as typed: never rounded or snapped to an allowed value. The value
 * is the number typed, NaN while the field is empty (or `undefined` when `optional`). With a
 * `range` the field says at once what it takes ("Enter a whole number from 1 to 720.", the
 * sidecar's words, flow-texts.ts) and marks itself invalid; a screen refuses its save by the same
 * rule (numberErrors), so a bad number never leaves the browser.
 */
export function NumberField(
  props: Common & {
    value: number | undefined;
    onChange: (value: number | undefined) => void;
    range?: NumberRange;
    min?: number;
    max?: number;
    step?: number;
    optional?: boolean;
    /** The id of a FieldErrors shown elsewhere (under a row of narrow controls) instead of in the help. */
    errorsAt?: string;
  },
) {
  const shown = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '' : String(value));
  const [text, setText] = useState(shown(props.value));
  useEffect(() => {
    // NaN is what an empty field sends up: its text stays.
    if (props.value !== undefined && Number.isNaN(props.value)) return;
    if (Number(text) !== props.value || (text === '') !== (props.value === undefined)) setText(shown(props.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change from outside resets the text
  }, [props.value]);
  const own = props.range && !(props.optional && text.trim() === '') ? numberProblem(props.value, props.range) : null;
  const errors =
    own && !props.errors.some((e) => e.message === own) ? [{ field: props.name, message: own }, ...props.errors] : props.errors;
  return (
    <TextControl
      __nextHasNoMarginBottom
      className={props.className}
      type="number"
      name={props.name}
      label={props.label}
      min={props.range?.min ?? props.min}
      max={props.range?.max ?? props.max}
      step={props.step ?? (props.range?.whole === false ? 'any' : undefined)}
      value={text}
      aria-invalid={errors.length > 0 || undefined}
      help={props.errorsAt ? props.help : helpWith(props.help, errors)}
      {...(props.errorsAt && errors.length > 0 ? { 'aria-describedby': props.errorsAt } : {})}
      onChange={(next) => {
        setText(next);
        if (next.trim() === '') props.onChange(props.optional ? undefined : Number.NaN);
        else props.onChange(Number(next));
      }}
    />
  );
}

/**
 * A step's or reminder's delay as typed: an empty, negative, zero (for a reminder) or fractional
 * value is kept and refused at the field by the one delay rule (delayErrors), never rounded or
 * snapped to the nearest allowed number. Empty is NaN, which the sidecar refuses too.
 */
export function DelayValueField(props: {
  name: string;
  min: number;
  value: number;
  errors: FieldError[];
  errorsAt: string;
  onChange: (value: number) => void;
}) {
  return (
    <NumberField
      name={props.name}
      label={__('Send after', 'comeback')}
      min={props.min}
      value={props.value}
      errors={props.errors}
      errorsAt={props.errorsAt}
      onChange={(value) => props.onChange(value ?? Number.NaN)}
    />
  );
}

/** The share of entrants held out as the control group: whole per cents, 0 to 50 (the sidecar's limit). */
export function HoldOutField(props: {
  label: string;
  help: string;
  value: number;
  errors: FieldError[];
  onChange: (percent: number) => void;
}) {
  return (
    <NumberField
      name="holdOutPercent"
      label={props.label}
      help={props.help}
      range={NUMBER_RANGES.holdOutPercent}
      value={props.value}
      errors={props.errors}
      onChange={(v) => props.onChange(v ?? Number.NaN)}
    />
  );
}

/** A short list typed as "PL, DE": split on commas and spaces, `normalise`d; the text stays as typed. */
export function ListField(
  props: Common & { value: string[]; onChange: (value: string[]) => void; normalise?: (item: string) => string; placeholder?: string },
) {
  const parse = (text: string) =>
    text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(props.normalise ?? ((s) => s));
  const [text, setText] = useState(props.value.join(', '));
  useEffect(() => {
    if (parse(text).join(',') !== props.value.join(',')) setText(props.value.join(', '));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change from outside resets the text
  }, [props.value.join(',')]);
  return (
    <TextControl
      __nextHasNoMarginBottom
      className={props.className}
      name={props.name}
      label={props.label}
      value={text}
      placeholder={props.placeholder}
      aria-invalid={props.errors.length > 0 || undefined}
      help={helpWith(props.help, props.errors)}
      onChange={(next) => {
        setText(next);
        props.onChange(parse(next));
      }}
    />
  );
}
