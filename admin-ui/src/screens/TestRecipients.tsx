import { Button, Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { TestRecipient, TestRecipientList } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../components/async.tsx';
import { StatusNotice, type Status } from '../components/StatusNotice.tsx';

function stateInWords(r: TestRecipient): string {
  if (r.state === 'shop') return __("The shop's own address", 'comeback');
  if (r.state === 'verified') return __('Confirmed', 'comeback');
  return r.channel === 'phone'
    ? __('Waiting for the code texted to it', 'comeback')
    : __('Waiting for the confirmation link to be opened', 'comeback');
}

/**
 * Where test messages may go from this admin: the shop's own sender address, and addresses added
 * here, each confirmed from its inbox (a link emailed to it), or numbers confirmed by the code
 * texted to them. Nothing else takes a test.
 */
export function TestRecipients() {
  const list = useLoad(() => api<TestRecipientList>('GET', '/api/test-recipients'), 'test-recipients');
  const [address, setAddress] = useState('');
  const [codes, setCodes] = useState<Record<number, string>>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(what: () => Promise<unknown>, success: string) {
    setBusy(true);
    setStatus(null);
    try {
      await what();
      setStatus({ kind: 'success', message: success });
      list.reload();
    } catch (error) {
      setStatus({ kind: 'error', message: asApiError(error).message });
    } finally {
      setBusy(false);
    }
  }
  const add = () =>
    run(
      async () => {
        await api<TestRecipientList>('POST', '/api/test-recipients', { address: address.trim() });
        setAddress('');
      },
      address.includes('@')
        ? sprintf(__('A confirmation link was emailed to %s: open it and press the button there.', 'comeback'), address.trim())
        : sprintf(__('A code was texted to %s: type it next to the number.', 'comeback'), address.trim()),
    );
  const verify = (r: TestRecipient) =>
    run(
      () => api<TestRecipientList>('POST', `/api/test-recipients/${r.id}/verify`, { code: (codes[r.id!] ?? '').trim() }),
      sprintf(__('%s is confirmed.', 'comeback'), r.address),
    );

  return (
    <Card className="comeback-test-recipients">
      <CardHeader>
        <strong>{__('Test recipients', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        <p className="comeback-muted">{__('Test messages go only to these addresses, each confirmed from its own inbox.', 'comeback')}</p>
        <AsyncBlock state={list}>
          {(data) => (
            <table className="comeback-table widefat striped" data-testid="test-recipients">
              <tbody>
                {data.recipients.map((r) => (
                  <tr key={r.address}>
                    <td>{r.address}</td>
                    <td>{stateInWords(r)}</td>
                    <td>
                      {r.id !== null && r.channel === 'phone' && r.state === 'pending' && (
                        <span className="comeback-test-send">
                          <TextControl
                            __nextHasNoMarginBottom
                            label={sprintf(__('Code texted to %s', 'comeback'), r.address)}
                            hideLabelFromVision
                            inputMode="numeric"
                            value={codes[r.id] ?? ''}
                            onChange={(code) => setCodes((all) => ({ ...all, [r.id!]: code }))}
                            placeholder="123456"
                          />
                          <Button variant="secondary" disabled={busy} onClick={() => void verify(r)}>
                            {__('Confirm', 'comeback')}
                          </Button>
                        </span>
                      )}
                      {r.id !== null && (
                        <Button
                          variant="link"
                          isDestructive
                          disabled={busy}
                          aria-label={sprintf(__('Remove %s', 'comeback'), r.address)}
                          onClick={() =>
                            void run(
                              () => api('POST', `/api/test-recipients/${r.id}/remove`),
                              sprintf(__('%s was removed.', 'comeback'), r.address),
                            )
                          }
                        >
                          {__('Remove', 'comeback')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </AsyncBlock>
        <div className="comeback-test-send">
          <TextControl
            __nextHasNoMarginBottom
            label={__('Add a test recipient', 'comeback')}
            help={__('An email address, or a mobile number with its country code (needs SMS set up).', 'comeback')}
            value={address}
            onChange={setAddress}
            placeholder="you@example.com, +48 500 000 001"
          />
          <Button variant="secondary" disabled={busy || address.trim().length < 3} onClick={() => void add()}>
            {__('Send the confirmation', 'comeback')}
          </Button>
        </div>
        <StatusNotice status={status} onRemove={() => setStatus(null)} />
      </CardBody>
    </Card>
  );
}
