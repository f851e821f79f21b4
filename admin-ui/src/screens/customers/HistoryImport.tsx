import { Button, Card, CardBody, CardHeader, Notice, ProgressBar } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type { ImportProgress } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import { asApiError, AsyncBlock, useLoad, when } from '../../components/async.tsx';

/** Looked at again this often while an import runs. */
const POLL_MS = 1_500;

/**
 * The first import of the shop's order history, which customers and segments are built from:
 * start it, watch it page by page, resume one that stopped, or read everything again.
 */
export function HistoryImport({ onDone }: { onDone: () => void }) {
  const progress = useLoad(() => api<ImportProgress>('GET', '/api/customers/import'), 'import');
  const { confirm, dialog } = useConfirm();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const running = progress.data?.status === 'running';
  // Polled while it moves; not once a look failed (the sidecar down: the error shows, with its
  // retry) or it stopped moving (a stopped process: Resume is offered).
  const polling = running && !stalled(progress.data!) && !progress.error;
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(progress.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [polling, progress.reload]);
  const [wasRunning, setWasRunning] = useState(false);
  useEffect(() => {
    if (running) setWasRunning(true);
    else if (wasRunning && progress.data?.status === 'done') {
      setWasRunning(false);
      onDone();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the status is what matters
  }, [progress.data?.status]);

  async function start(restart: boolean) {
    // Reading every order again takes a while and loads the shop: asked first.
    if (
      restart &&
      !(await confirm({
        title: __('Import the whole order history again?', 'comeback'),
        message: __(
          'Every order is read again from WooCommerce, 100 a page, and customers and segments are rebuilt after. Nothing is lost meanwhile.',
          'comeback',
        ),
        confirmLabel: __('Import everything again', 'comeback'),
      }))
    )
      return;
    setProblem(null);
    setBusy(true);
    try {
      await api<ImportProgress>('POST', '/api/customers/import', { restart });
      progress.reload();
    } catch (error) {
      setProblem(asApiError(error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="comeback-import" size="small">
      <CardHeader>
        <strong>{__('Order history', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        {problem && (
          <Notice status="error" onRemove={() => setProblem(null)}>
            {problem}
          </Notice>
        )}
        <AsyncBlock state={progress}>
          {(p) => (
            <div className="comeback-import__body" data-testid="import-status" data-status={p.status}>
              {p.status === 'none' && (
                <p>
                  {__(
                    'Customers and segments are built from your paid orders. Import the orders placed before Comeback was connected to see every customer.',
                    'comeback',
                  )}
                </p>
              )}
              {p.status === 'running' && (
                <>
                  <ProgressBar className="comeback-import__bar" value={percent(p)} />
                  <p role="status">
                    {p.totalOrders === null
                      ? __('Reading the first page of orders…', 'comeback')
                      : sprintf(
                          __('%1$d of %2$d orders read (page %3$d of %4$d).', 'comeback'),
                          p.imported,
                          p.totalOrders,
                          Math.min(p.nextPage, p.totalPages ?? p.nextPage),
                          p.totalPages ?? 0,
                        )}
                  </p>
                  {p.lastError && (
                    <Notice status="warning" isDismissible={false}>
                      {sprintf(
                        __('The last page could not be read: %s. The import goes on from where it stopped.', 'comeback'),
                        p.lastError,
                      )}
                    </Notice>
                  )}
                </>
              )}
              {p.status === 'done' && (
                <p>{sprintf(__('%1$d orders imported, finished %2$s.', 'comeback'), p.imported, when(p.finishedAt))}</p>
              )}
              <div className="comeback-row">
                {p.status === 'none' && (
                  <Button variant="primary" onClick={() => void start(false)} isBusy={busy} disabled={busy}>
                    {__('Import the order history', 'comeback')}
                  </Button>
                )}
                {p.status === 'running' && stalled(p) && (
                  <Button variant="primary" onClick={() => void start(false)} isBusy={busy} disabled={busy}>
                    {__('Resume', 'comeback')}
                  </Button>
                )}
                {p.status === 'done' && (
                  <Button variant="secondary" onClick={() => void start(true)} isBusy={busy} disabled={busy}>
                    {__('Start again', 'comeback')}
                  </Button>
                )}
              </div>
            </div>
          )}
        </AsyncBlock>
        {dialog}
      </CardBody>
    </Card>
  );
}

/** A page failed, or nothing moved for a while (the sidecar stopped meanwhile): the merchant may resume it. */
function stalled(p: ImportProgress): boolean {
  return Boolean(p.lastError) || (p.updatedAt ? Date.now() - new Date(p.updatedAt).getTime() > STALLED_MS : false);
}
const STALLED_MS = 120_000;

function percent(p: ImportProgress): number | undefined {
  if (!p.totalOrders) return undefined;
  return Math.min(100, Math.round((p.imported / p.totalOrders) * 100));
}
