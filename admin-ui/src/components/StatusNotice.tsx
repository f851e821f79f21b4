import { Notice } from '@wordpress/components';
import { useEffect, useRef, type ComponentProps } from 'react';

/** What the last action said: saved, or refused and why. */
export type Status = { kind: 'success' | 'error' | 'warning'; message: string };

/** A field the merchant is in: a refused save that names one has put the focus there (`focusFirstError`). */
const FIELD = 'input, textarea, select, [contenteditable]';

/**
 * The last action's status until the merchant dismisses it; nothing when there is none. A refusal
 * is brought into view, so "Nothing was saved" is read where the merchant is and not left above the
 * fold; it takes the focus too unless a field has it — the first bad field the save bar focused,
 * whichever of the two runs first — so the merchant lands on what to fix.
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
    if (document.activeElement?.matches(FIELD)) {
      // Keep the bad field where it was scrolled; only bring the notice in if it is out of view.
      box.current.scrollIntoView({ block: 'nearest' });
      return;
    }
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
