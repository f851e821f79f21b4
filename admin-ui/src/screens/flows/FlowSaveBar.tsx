import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { ReactNode } from 'react';
import { StatusNotice } from '../../components/StatusNotice.tsx';
import type { SaveStatus } from './flow-save.ts';

/**
 * The bar under a flow being edited (the flow editor, win-back): what the last save said (with
 * "Reload the flow" after a version conflict), Save and Discard, and whether edits are unsaved.
 */
export function FlowSaveBar(props: {
  status: SaveStatus | null;
  onDismiss: () => void;
  onReload: () => void;
  saveLabel: string;
  onSave: () => void;
  onDiscard: () => void;
  busy: boolean;
  dirty: boolean;
  /** More to say beside "Unsaved changes" (how many problems are left). */
  children?: ReactNode;
}) {
  const { status, busy, dirty } = props;
  return (
    <div className="comeback-savebar">
      <StatusNotice
        status={status}
        className="comeback-save-status"
        onRemove={props.onDismiss}
        actions={
          status?.reload
            ? [{ label: __('Reload the flow', 'comeback'), onClick: () => (props.onDismiss(), props.onReload()), variant: 'primary' }]
            : []
        }
      />
      <div className="comeback-row">
        <Button variant="primary" onClick={props.onSave} isBusy={busy} disabled={busy || !dirty} accessibleWhenDisabled>
          {props.saveLabel}
        </Button>
        <Button variant="tertiary" onClick={props.onDiscard} disabled={busy || !dirty} accessibleWhenDisabled>
          {__('Discard changes', 'comeback')}
        </Button>
        {dirty && <span className="comeback-unsaved">{__('Unsaved changes', 'comeback')}</span>}
        {props.children}
      </div>
    </div>
  );
}
