import { __ } from '@wordpress/i18n';
import {
  createContext,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type Dispatch,
  type ReactNode,
  type SetStateAction,
} from 'react';
import { useConfirm } from './ConfirmDialog.tsx';

type Guard = {
  /** A screen says whether it holds edits not saved yet (false when it goes away). */
  mark: (screen: string, dirty: boolean) => void;
  /** Runs `go` at once when nothing is unsaved; else asks first, and runs it only if the merchant leaves. */
  leave: (go: () => void) => void;
  /** Whether some screen holds unsaved edits now. */
  unsaved: () => boolean;
};

const GuardContext = createContext<Guard>({ mark: () => {}, leave: (go) => go(), unsaved: () => false });

/**
 * The one guard for unsaved edits, around the whole admin: every editing screen marks itself
 * dirty with `useUnsavedChanges`; moving to another tab or screen (`useLeave`) asks first, and the
 * browser asks before a reload, a close or a link out of the page (beforeunload).
 */
export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const dirty = useRef(new Set<string>());
  const { confirm, dialog } = useConfirm();
  useEffect(() => {
    const ask = (event: BeforeUnloadEvent) => {
      if (dirty.current.size === 0) return;
      event.preventDefault();
      event.returnValue = ''; // older browsers show their own sentence only when this is set
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, []);
  const guard = useMemo<Guard>(
    () => ({
      mark: (screen, on) => void (on ? dirty.current.add(screen) : dirty.current.delete(screen)),
      unsaved: () => dirty.current.size > 0,
      leave: (go) => {
        if (dirty.current.size === 0) return go();
        void confirm({
          title: __('Leave without saving?', 'comeback'),
          message: __('Your changes on this screen are not saved. Leaving discards them.', 'comeback'),
          confirmLabel: __('Discard changes and leave', 'comeback'),
          cancelLabel: __('Keep editing', 'comeback'),
          destructive: true,
        }).then((yes) => {
          if (!yes) return;
          dirty.current.clear(); // the screens that held them go away
          go();
        });
      },
    }),
    [confirm],
  );
  return (
    <GuardContext.Provider value={guard}>
      {children}
      {dialog}
    </GuardContext.Provider>
  );
}

/** This screen holds unsaved edits while `dirty`: leaving it asks, and so does reloading or closing the page. */
export function useUnsavedChanges(dirty: boolean): void {
  const { mark } = useContext(GuardContext);
  const screen = useId();
  useEffect(() => {
    mark(screen, dirty);
  }, [mark, screen, dirty]);
  useEffect(() => () => mark(screen, false), [mark, screen]);
}

/**
 * `leave(go)`: navigate away (another tab, back to a list) once unsaved edits are discarded, or at
 * once when there are none; `leave.unsaved()` says whether it would ask.
 */
export function useLeave(): Guard['leave'] & { unsaved: () => boolean } {
  const { leave, unsaved } = useContext(GuardContext);
  return useMemo(() => Object.assign((go: () => void) => leave(go), { unsaved }), [leave, unsaved]);
}

/**
 * What the sidecar holds, which a form's edits are compared with ("Unsaved changes"): the values
 * loaded, or what a save answered, until the reload after that save brings new values. Compared
 * with the loaded values alone, edits just saved read as unsaved for as long as the reload takes.
 */
export function useLastStored<S>(loaded: S): [S, (stored: S) => void] {
  const [answer, setAnswer] = useState<{ over: S; stored: S } | null>(null);
  return [answer && answer.over === loaded ? answer.stored : loaded, (stored) => setAnswer({ over: loaded, stored })];
}

/**
 * A form's draft of the stored values, following them when they load again: the draft takes the
 * new values when it still held the old ones or exactly what was just saved (`sending`), and keeps
 * what the merchant typed since — a reload answering after a save must not wipe newer edits.
 */
export function useSavedDraft<S, D>(saved: S, toDraft: (saved: S) => D): [D, Dispatch<SetStateAction<D>>, (sent: D) => void] {
  const [draft, setDraft] = useState<D>(() => toDraft(saved));
  const shown = useRef(JSON.stringify(draft));
  const sent = useRef<string | null>(null);
  useEffect(() => {
    const next = toDraft(saved);
    // Read now: the updater may run later, after the refs moved on.
    const [before, justSent] = [shown.current, sent.current];
    setDraft((d) => {
      const now = JSON.stringify(d);
      return now === before || now === justSent ? next : d;
    });
    shown.current = JSON.stringify(next);
    sent.current = null;
    // Follows the stored values only; toDraft is a pure conversion.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved]);
  return [draft, setDraft, (d) => (sent.current = JSON.stringify(d))] as const;
}
