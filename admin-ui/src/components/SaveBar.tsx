import { Button } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import type { ReactNode } from 'react';
import type { FieldError } from '../api.ts';
import { readable } from '../screens/flows/field-errors.ts';
import { type Status, StatusNotice } from './StatusNotice.tsx';

/** `reload`: someone else saved meanwhile; the bar offers to load their version. */
export type SaveStatus = Status & { reload?: boolean };

/** The control of a refused field: by its name, else the first control marked invalid. */
function controlOf(field?: string): HTMLElement | null {
  const named = field ? document.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`) : null;
  return named ?? document.querySelector<HTMLElement>('[aria-invalid="true"]');
}

/** Moves the focus to the first refused field (after React has marked it), scrolled into view. */
export function focusFirstError(errors: FieldError[] = []): void {
  requestAnimationFrame(() => {
    const control = errors.map((e) => controlOf(e.field)).find(Boolean) ?? controlOf();
    control?.focus();
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
        <div className="comeback-savebar__errors" data-testid="savebar-errors">
          <strong>{sprintf(_n('%d problem to fix:', '%d problems to fix:', errors.length, 'comeback'), errors.length)}</strong>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>
                <Button variant="link" onClick={() => controlOf(e.field)?.focus()}>
                  {readable(e)}
                </Button>
              </li>
            ))}
          </ul>
        </div>
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
