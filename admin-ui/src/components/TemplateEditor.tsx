import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { shortcodesFor, type ShortcodeSpec, type TemplateContext, type TextContext } from '@comeback/shortcodes';
import type { FieldError } from '../api.ts';

/** Offset in `text` of a 1-based line and column (columns count code points, as the validator does). */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  const target = lines[line - 1] ?? '';
  return offset + [...target].slice(0, column - 1).join('').length;
}

/**
 * A reminder text with the shortcode palette beside it (inserted at the cursor) and the
 * validator's errors under it, each pointing at its line and column. The palette offers what
 * prints in this text (shortcodesFor: its context, and what the step's message will know — a
 * campaign is offered no points balance, a step without a coupon no coupon code), as the save checks.
 */
export function TemplateEditor(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  context: TemplateContext | TextContext;
  errors: FieldError[];
  rows?: number;
  name: string;
  /** Without the palette: a one-line value such as a WhatsApp template parameter. */
  palette?: boolean;
  /** Shown under the text, e.g. its length for an SMS. */
  help?: ReactNode;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const shortcodes = shortcodesFor(props.context);
  const palette = useRef<HTMLDivElement>(null);
  // The palette is one Tab stop (WAI-ARIA toolbar, roving tabindex): the arrows move inside it.
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(0, shortcodes.length - 1));

  function move(event: KeyboardEvent<HTMLDivElement>) {
    const last = shortcodes.length - 1;
    const to = { ArrowRight: current + 1, ArrowDown: current + 1, ArrowLeft: current - 1, ArrowUp: current - 1, Home: 0, End: last }[
      event.key
    ];
    if (to === undefined || last < 0) return;
    event.preventDefault();
    const next = (to + shortcodes.length) % shortcodes.length;
    setActive(next);
    palette.current?.querySelectorAll<HTMLButtonElement>('.comeback-palette__item')[next]?.focus();
  }

  function insert(shortcode: ShortcodeSpec) {
    const el = area.current;
    const tag = `[${shortcode.name}]`;
    const start = el?.selectionStart ?? props.value.length;
    const end = el?.selectionEnd ?? props.value.length;
    props.onChange(props.value.slice(0, start) + tag + props.value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + tag.length, start + tag.length);
    });
  }

  function show(error: FieldError) {
    const el = area.current;
    if (!el || error.line === undefined || error.column === undefined) return;
    const at = offsetOf(props.value, error.line, error.column);
    el.focus();
    // The whole tag, or for one missing its "]" what there is of it.
    const length = error.shortcode ? error.shortcode.length + (error.code === 'unclosed_shortcode' ? 1 : 2) : 1;
    el.setSelectionRange(at, at + length);
  }

  return (
    <div className={props.palette === false ? 'comeback-template comeback-template--bare' : 'comeback-template'}>
      <div className="comeback-template__main">
        <label className="comeback-label" htmlFor={id}>
          {props.label}
        </label>
        <textarea
          id={id}
          ref={area}
          name={props.name}
          className="comeback-template__text"
          rows={props.rows ?? 8}
          value={props.value}
          aria-invalid={props.errors.length > 0}
          aria-describedby={[props.errors.length ? `${id}-errors` : '', props.help ? `${id}-help` : ''].join(' ').trim() || undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.help && (
          <p id={`${id}-help`} className="comeback-template__help">
            {props.help}
          </p>
        )}
        {props.errors.length > 0 && (
          <div id={`${id}-errors`} className="comeback-template__errors">
            {props.errors.map((error, i) => (
              <Notice key={i} status="error" isDismissible={false} className="comeback-template-error">
                {error.line !== undefined && error.column !== undefined && (
                  <>
                    <span data-line={error.line} data-column={error.column}>
                      {sprintf(__('Line %1$d, column %2$d:', 'comeback'), error.line, error.column)}
                    </span>{' '}
                  </>
                )}
                {error.message.replace(/^Line \d+, column \d+: /, '')}{' '}
                {error.line !== undefined && (
                  <Button variant="link" onClick={() => show(error)}>
                    {__('Show', 'comeback')}
                  </Button>
                )}
              </Notice>
            ))}
          </div>
        )}
      </div>
      {props.palette !== false && (
        <div className="comeback-palette">
          <div className="comeback-palette__title">{__('Insert', 'comeback')}</div>
          {shortcodes.length === 0 && <p className="comeback-muted">{__('No shortcodes fit this kind of text yet.', 'comeback')}</p>}
          {shortcodes.length > 0 && (
            <div
              ref={palette}
              className="comeback-palette__items"
              role="toolbar"
              aria-orientation="vertical"
              aria-label={sprintf(__('Shortcodes for %s', 'comeback'), props.label)}
              onKeyDown={move}
            >
              {shortcodes.map((s, i) => (
                <Button
                  key={s.name}
                  variant="secondary"
                  size="small"
                  className="comeback-palette__item"
                  tabIndex={i === current ? 0 : -1}
                  onFocus={() => setActive(i)}
                  onClick={() => insert(s)}
                  title={s.description}
                  describedBy={s.description}
                >
                  [{s.name}]
                </Button>
              ))}
            </div>
          )}
          <details className="comeback-palette__help">
            <summary>{__('What they do', 'comeback')}</summary>
            <dl>
              {shortcodes.map((s) => (
                <div key={s.name}>
                  <dt>[{s.name}]</dt>
                  <dd>
                    {s.description}
                    {s.attributes.length > 0 && (
                      <ul>
                        {s.attributes.map((a) => (
                          <li key={a.name}>
                            <code>{a.name}</code>: {a.description}
                          </li>
                        ))}
                      </ul>
                    )}
                    <div>
                      <code>{s.example}</code>
                    </div>
                  </dd>
                </div>
              ))}
            </dl>
          </details>
        </div>
      )}
    </div>
  );
}
