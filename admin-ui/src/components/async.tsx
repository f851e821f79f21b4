import { Button, Notice, Spinner } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';

export type Loaded<T> = { data: T | undefined; error: ApiError | undefined; loading: boolean; reload: () => void };

/** Runs `load` when its key changes (and on reload()); the last answer wins. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => run === latest.current && setState({ data, loading: false }),
      (error: unknown) => run === latest.current && setState((s) => ({ data: s.data, error: asApiError(error), loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for what load depends on
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'unexpected', (error as Error)?.message ?? String(error));
}

/** Loading, error (with a retry) and empty states around a screen's content. */
export function AsyncBlock<T>({
  state,
  empty,
  isEmpty,
  children,
}: {
  state: Loaded<T>;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (state.error?.notForwarded && state.data === undefined) {
    return (
      <Notice status="warning" isDismissible={false} className="comeback-not-forwarded">
        {__('This part needs a newer version of the Comeback plugin: update it under Plugins to see it here.', 'comeback')}
      </Notice>
    );
  }
  if (state.error && state.data === undefined) {
    return (
      <Notice status="error" isDismissible={false} actions={[{ label: __('Try again', 'comeback'), onClick: state.reload }]}>
        {state.error.message}
      </Notice>
    );
  }
  if (state.data === undefined) {
    return (
      <div className="comeback-loading" role="status">
        <Spinner /> {__('Loading…', 'comeback')}
      </div>
    );
  }
  if (isEmpty?.(state.data) && empty) return <div className="comeback-empty">{empty}</div>;
  return (
    <>
      {state.error && (
        <Notice status="warning" isDismissible={false}>
          {state.error.message}
        </Notice>
      )}
      {children(state.data)}
    </>
  );
}

export function RefreshButton({ onClick, busy }: { onClick: () => void; busy: boolean }) {
  return (
    <Button variant="tertiary" onClick={onClick} isBusy={busy} disabled={busy}>
      {__('Refresh', 'comeback')}
    </Button>
  );
}

/** Times as the shop writes them (shop-format.ts), kept here for the screens that import it with the loaders. */
export { when } from './shop-format.ts';
