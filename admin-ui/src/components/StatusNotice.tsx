import { Notice } from '@wordpress/components';
import { useEffect, useRef, type ComponentProps } from 'react';

/** What the last action said: saved, or refused and why. */
export type Status = { kind: 'success' | 'error' | 'warning'; message: string };

/**
 * The last action's status until the merchant dismisses it; nothing when there is none. A refusal
 * is brought into view and takes the focus, so "Nothing was saved" is read where the merchant is
 * and not left above the fold with the focus still on the button.
 */
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
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (status?.kind !== 'error' || !box.current) return;
    box.current.focus({ preventScroll: true });
    box.current.scrollIntoView({ block: 'center' });
  }, [status]);
  if (!status) return null;
  return (
    <div ref={box} tabIndex={-1} className="comeback-status">
      <Notice status={status.kind} onRemove={onRemove} className={className} actions={actions}>
        {status.message}
      </Notice>
    </div>
  );
}
