import { Button, Modal, Notice, RadioControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { ShopConnection as Connection, ShopDisconnect, ShopStateAnswer } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { asApiError, when } from '../components/async.tsx';
import { type Status, StatusNotice } from '../components/StatusNotice.tsx';

/** The shop's state in the merchant's words: what it means, since when and why; null for an active shop. */
export function stateInWords(c: Pick<Connection, 'state' | 'stateReason' | 'stateChangedAt'>): string | null {
  const on = when(c.stateChangedAt);
  const held = __('No new order enters recovery; reminders already waiting are held, not lost, and go out once it resumes.', 'comeback');
  if (c.state === 'paused') {
    if (c.stateReason === 'plugin-deactivated')
      return `${sprintf(__('Paused because the Comeback plugin was deactivated on %s.', 'comeback'), on)} ${held} ${__('Activating the plugin resumes it.', 'comeback')}`;
    if (c.stateReason === 'plugin-unreachable')
      return `${sprintf(__('Paused because the Comeback plugin in your shop stopped answering on %s.', 'comeback'), on)} ${held} ${__('Install or activate the plugin again and it resumes by itself.', 'comeback')}`;
    return `${sprintf(__('Paused by you on %s.', 'comeback'), on)} ${held}`;
  }
  if (c.state === 'disconnected') {
    const why =
      c.stateReason === 'plugin-uninstalled'
        ? sprintf(__('Disconnected because the Comeback plugin was deleted on %s.', 'comeback'), on)
        : sprintf(__('Disconnected by you on %s.', 'comeback'), on);
    return `${why} ${__('Its webhooks were removed and waiting messages cancelled. Connect the shop again to start recovering orders.', 'comeback')}`;
  }
  return null;
}

/** Pause, Resume and Disconnect (asking whether the shop's data is kept or erased), with what each did. */
export function ShopLifecycle({ connection, onChanged }: { connection: Connection; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status | null>(null);
  const [asking, setAsking] = useState(false);
  const [data, setData] = useState<'keep' | 'erase'>('keep');

  async function act(run: () => Promise<Status>, reload = true) {
    setBusy(true);
    setStatus(null);
    try {
      setStatus(await run());
      if (reload) onChanged();
    } catch (error) {
      setStatus({ kind: 'error', message: asApiError(error).message });
    } finally {
      setBusy(false);
    }
  }
  const pause = () =>
    act(async () => {
      await api<ShopStateAnswer>('POST', '/api/shop/pause', { reason: 'merchant' });
      return { kind: 'success', message: __('Paused. Reminders already waiting are held until you resume.', 'comeback') };
    });
  const resume = () =>
    act(async () => {
      const answer = await api<ShopStateAnswer>('POST', '/api/shop/resume', { reason: 'merchant' });
      return answer.state === 'active'
        ? { kind: 'success', message: __('Resumed. Held reminders are going out now.', 'comeback') }
        : { kind: 'warning', message: __('The shop is still paused.', 'comeback') };
    });
  async function disconnect() {
    setAsking(false);
    const erase = data === 'erase';
    await act(async () => {
      const done = await api<ShopDisconnect>('POST', '/api/shop/disconnect', { data, reason: 'merchant' });
      const parts = [
        sprintf(__('Disconnected: %d webhook(s) removed from WooCommerce', 'comeback'), done.webhooksDeleted),
        sprintf(__('%d waiting message(s) cancelled', 'comeback'), done.messagesCancelled),
        sprintf(__('%d order(s) no longer kept from auto-cancel', 'comeback'), done.marksCleared),
      ];
      const key = done.truncatedKey
        ? ' ' +
          sprintf(
            __('Comeback forgot its REST key (ending in …%s): revoke it in WooCommerce → Settings → Advanced → REST API.', 'comeback'),
            done.truncatedKey,
          )
        : '';
      const erased = done.erased ? ` ${__('All of the shop’s data in Comeback was erased.', 'comeback')}` : '';
      return { kind: 'success', message: `${parts.join(', ')}.${key}${erased}` };
    }, !erase); // an erased shop is gone: nothing to load again
  }

  const words = stateInWords(connection);
  return (
    <div className="comeback-lifecycle" data-testid="shop-state">
      {words && (
        <Notice status={connection.state === 'disconnected' ? 'error' : 'warning'} isDismissible={false}>
          {words}
        </Notice>
      )}
      <StatusNotice status={status} onRemove={() => setStatus(null)} className="comeback-lifecycle__status" />
      <div className="comeback-actions">
        {connection.state === 'active' && (
          <Button variant="secondary" onClick={() => void pause()} disabled={busy}>
            {__('Pause', 'comeback')}
          </Button>
        )}
        {connection.state === 'paused' && (
          <Button variant="primary" onClick={() => void resume()} disabled={busy}>
            {__('Resume', 'comeback')}
          </Button>
        )}
        {connection.state !== 'disconnected' && (
          <Button variant="secondary" isDestructive onClick={() => setAsking(true)} disabled={busy}>
            {__('Disconnect…', 'comeback')}
          </Button>
        )}
      </div>
      {asking && (
        <Modal title={__('Disconnect this shop from Comeback?', 'comeback')} onRequestClose={() => setAsking(false)}>
          <p>
            {__(
              'Comeback removes its webhooks from WooCommerce, cancels the messages still waiting, stops checking the shop and forgets its REST key.',
              'comeback',
            )}
          </p>
          <RadioControl
            label={__('The shop’s data in Comeback', 'comeback')}
            selected={data}
            options={[
              { label: __('Keep it (orders, customers, reports), to connect again later', 'comeback'), value: 'keep' },
              { label: __('Erase it all: it cannot be undone', 'comeback'), value: 'erase' },
            ]}
            onChange={(value) => setData(value === 'erase' ? 'erase' : 'keep')}
          />
          <div className="comeback-actions">
            <Button variant="tertiary" onClick={() => setAsking(false)}>
              {__('Cancel', 'comeback')}
            </Button>
            <Button variant="primary" isDestructive onClick={() => void disconnect()}>
              {__('Disconnect', 'comeback')}
            </Button>
          </div>
        </Modal>
      )}
    </div>
  );
}
