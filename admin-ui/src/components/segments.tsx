import { CheckboxControl } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { createContext } from 'react';
import type { ComputedTag, SegmentCount, SegmentList } from '@comeback/sidecar/api-contracts';
import { api, type FieldError } from '../api.ts';
import { useLoad, type Loaded } from './async.tsx';
import { helpWith } from '../screens/flows/flow-fields.tsx';

/** The tags computed from orders: never set by hand. */
export const COMPUTED_TAGS = ['new', 'recent-buyer', 'at-risk', 'inactive', 'vip'] as const satisfies readonly ComputedTag[];

const SEGMENT_WORDS: Record<string, string> = {
  new: __('New: a single purchase, lately', 'comeback'),
  'recent-buyer': __('Recent buyers', 'comeback'),
  'at-risk': __('At risk: later than their usual rhythm', 'comeback'),
  inactive: __('Inactive: no purchase for long', 'comeback'),
  vip: __('VIP: the top spenders', 'comeback'),
};

/** "VIP: the top spenders" for a computed tag; a manual tag as typed. */
export const segmentInWords = (tag: string) => SEGMENT_WORDS[tag] ?? tag;

const SEGMENT_NAMES: Record<string, string> = {
  new: __('New', 'comeback'),
  'recent-buyer': __('Recent buyer', 'comeback'),
  'at-risk': __('At risk', 'comeback'),
  inactive: __('Inactive', 'comeback'),
  vip: __('VIP', 'comeback'),
};

/** A segment's short name where space is tight (a tag chip, a list): "At risk", not the code "at-risk"; a manual tag as typed. */
export const segmentName = (tag: string) => SEGMENT_NAMES[tag] ?? tag;

export function useSegments(): Loaded<SegmentList> {
  return useLoad(() => api<SegmentList>('GET', '/api/segments'), 'segments');
}

/** Shop-wide facts the screens write amounts with (the currency), from the connection. */
export const ShopContext = createContext<{ currency: string | null }>({ currency: null });

/**
 * Segments as checkboxes, each with its live count: the flow audience and a campaign's pick
 * from GET /api/segments. A tag saved earlier that no customer has any more stays listed.
 */
export function SegmentPicker(props: {
  label: string;
  help?: string;
  value: string[];
  segments: SegmentCount[];
  name: string;
  errors: FieldError[];
  onChange: (tags: string[]) => void;
  disabled?: string[];
}) {
  const known = props.segments.map((s) => s.tag);
  const tags = [...known, ...props.value.filter((t) => !known.includes(t))];
  const count = (tag: string) => props.segments.find((s) => s.tag === tag)?.customers ?? 0;
  return (
    <fieldset className="comeback-segment-picker" data-name={props.name}>
      <legend className="comeback-label">{props.label}</legend>
      {tags.length === 0 && (
        <p className="comeback-muted">{__('No segments yet: they appear once the order history is imported.', 'comeback')}</p>
      )}
      <div className="comeback-segment-picker__items">
        {tags.map((tag) => (
          <CheckboxControl
            key={tag}
            __nextHasNoMarginBottom
            label={`${segmentInWords(tag)} (${sprintf(_n('%d customer', '%d customers', count(tag), 'comeback'), count(tag))})`}
            checked={props.value.includes(tag)}
            disabled={props.disabled?.includes(tag) && !props.value.includes(tag)}
            onChange={(on) => props.onChange(on ? [...props.value, tag] : props.value.filter((t) => t !== tag))}
          />
        ))}
      </div>
      <div className="comeback-muted">{helpWith(props.help, props.errors)}</div>
    </fieldset>
  );
}
