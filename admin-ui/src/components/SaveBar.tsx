import { Button } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import type { ReactNode } from 'react';
import type { FieldError } from '../api.ts';
import { type Status, StatusNotice } from './StatusNotice.tsx';
import { revealLanguageTab } from './LanguageTabs.tsx';

/** `reload`: someone else saved meanwhile; the bar offers to load their version. */
export type SaveStatus = Status & { reload?: boolean };

/** How many problems the bar names; the others are at their fields. */
const SHOWN = 3;

/** The control of a refused field: by its name (a language's text shown on its tab first), else the first control marked invalid. */
function controlOf(field?: string): HTMLElement | null {
  if (field) revealLanguageTab(field);
  const named = field ? document.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`) : null;
  return named ?? document.querySelector<HTMLElement>('[aria-invalid="true"]');
}

/**
 * Moves the focus to the first refused field, once React has marked it, and scrolls it to the
 * middle of the view at once (the browser's own scroll to a focused field can come a frame later,
 * under the merchant's next click).
 */
export function focusFirstError(errors: FieldError[] = []): void {
  requestAnimationFrame(() => {
    const control = errors.map((e) => controlOf(e.field)).find(Boolean) ?? controlOf();
    control?.focus({ preventScroll: true });
    control?.scrollIntoView({ block: 'center' });
  });
}

/**
 * The one save bar under every editing screen (the flow editor, win-back, recovery, a campaign),
 * sticky at the bottom: what the last save said (with "Reload" after a version conflict), the
 * problems left — each a button to its field — Save and Discard, and whether edits are unsaved.
 */
export function SaveBar(props: {
  status: SaveStatus | null;
  onDismiss: () => void;
  onReload?: () => void;
  saveLabel: string;
  onSave: () => void;
  onDiscard?: () => void;
  busy: boolean;
  dirty: boolean;
  errors?: FieldError[];
  /** More buttons (Schedule, Cancel the campaign). */
  children?: ReactNode;
}) {
  const { status, busy, dirty, errors = [] } = props;
  return (
    <div className="comeback-savebar" role="region" aria-label={__('Save', 'comeback')}>
      <StatusNotice
        status={status}
        className="comeback-save-status"
        onRemove={props.onDismiss}
        actions={
          status?.reload && props.onReload
            ? [{ label: __('Reload the flow', 'comeback'), onClick: () => (props.onDismiss(), props.onReload!()), variant: 'primary' }]
            : []
        }
      />
      {errors.length > 0 && (
        // One line under the notice, so the sticky bar hides little of the form: the first few, each a link to its field.
        <p className="comeback-savebar__errors" data-testid="savebar-errors">
          <strong>{sprintf(_n('%d problem to fix:', '%d problems to fix:', errors.length, 'comeback'), errors.length)}</strong>
          {errors.slice(0, SHOWN).map((e, i) => (
            <Button key={i} variant="link" onClick={() => controlOf(e.field)?.focus()}>
              {e.message}
            </Button>
          ))}
          {errors.length > SHOWN && <span>{sprintf(__('and %d more, each at its field.', 'comeback'), errors.length - SHOWN)}</span>}
        </p>
      )}
      <div className="comeback-row">
        <Button variant="primary" onClick={props.onSave} isBusy={busy} disabled={busy || !dirty} accessibleWhenDisabled>
          {props.saveLabel}
        </Button>
        {props.onDiscard && (
          <Button variant="tertiary" onClick={props.onDiscard} disabled={busy || !dirty} accessibleWhenDisabled>
            {__('Discard changes', 'comeback')}
          </Button>
        )}
        {props.children}
        {dirty && <span className="comeback-unsaved">{__('Unsaved changes', 'comeback')}</span>}
      </div>
    </div>
  );
}
