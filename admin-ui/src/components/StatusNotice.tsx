import { Notice } from '@wordpress/components';
import type { ComponentProps } from 'react';

/** What the last action said: saved, or refused and why. */
export type Status = { kind: 'success' | 'error' | 'warning'; message: string };

/** The last action's status until the merchant dismisses it; nothing when there is none. */
export function StatusNotice({
  status,
  onRemove,
  className,
  actions,
}: {
  status: Status | null;
  onRemove: () => void;
  className?: string;
  actions?: ComponentProps<typeof Notice>['actions'];
}) {
  if (!status) return null;
  return (
    <Notice status={status.kind} onRemove={onRemove} className={className} actions={actions}>
      {status.message}
    </Notice>
  );
}
