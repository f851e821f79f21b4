import { Button, Notice, VisuallyHidden } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ChannelsConfigured, StoredFlow } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { asApiError } from '../../components/async.tsx';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import { CHANNELS } from './flow-limits.ts';
import { FlowListCard, FlowSwitch, openFlowEditor } from './FlowListCard.tsx';
import { CHANNEL_LABELS, delayShort, triggerInWords } from './flow-words.ts';
import { useFlowList } from './use-flow-list.ts';

/** The shop's flows (the presets and its own copies), each switched on or off here, and one open in the editor. */
export function FlowsScreen() {
  // Campaigns' flows are not among them (the sidecar lists those with their campaigns).
  const list = useFlowList((all) => all);
  const { flows, setOpen, setNotice, replace, remove } = list;
  const { confirm, dialog } = useConfirm();

  /** A copy of the shop's own goes after a question; one customers entered is refused, with why (switch it off). */
  async function drop(flow: StoredFlow) {
    setNotice(null);
    const yes = await confirm({
      title: sprintf(__('Delete “%s”?', 'comeback'), flow.definition.name),
      message: __('The flow and its versions are deleted. This cannot be undone.', 'comeback'),
      confirmLabel: sprintf(__('Delete “%s”', 'comeback'), flow.definition.name),
      cancelLabel: __('Keep it', 'comeback'),
      destructive: true,
    });
    if (!yes) return;
    try {
      await api('POST', `/api/flows/${flow.key}/delete`);
      remove(flow.key);
      setNotice({ kind: 'success', message: sprintf(__('“%s” is deleted.', 'comeback'), flow.definition.name) });
    } catch (error) {
      setNotice({ kind: 'error', message: asApiError(error).message });
    }
  }

  async function copy(flow: StoredFlow) {
    setNotice(null);
    const taken = new Set(flows.map((f) => f.key));
    let key = `${flow.key}-copy`.slice(0, 56);
    for (let n = 2; taken.has(key); n++) key = `${flow.key}-copy-${n}`.slice(0, 64);
    try {
      const created = await api<StoredFlow>('POST', '/api/flows', {
        key,
        definition: { ...flow.definition, name: sprintf(__('%s (copy)', 'comeback'), flow.definition.name) },
        enabled: false,
      });
      replace(created);
      setOpen(created.key);
    } catch (error) {
      setNotice({ kind: 'error', message: asApiError(error).message });
    }
  }

  const editor = openFlowEditor(list);
  if (editor) return editor;
  return (
    <FlowListCard title={__('Flows', 'comeback')} className="comeback-flows" list={list}>
      {({ channels }) => (
        <>
          <ChannelsNotice channels={channels} />
          <table className="comeback-table widefat striped">
            <thead>
              <tr>
                <th>{__('Flow', 'comeback')}</th>
                <th>{__('Starts when', 'comeback')}</th>
                <th>{__('Steps', 'comeback')}</th>
                <th>{__('On', 'comeback')}</th>
                <th>{__('Version', 'comeback')}</th>
                <th>
                  <VisuallyHidden>{__('Actions', 'comeback')}</VisuallyHidden>
                </th>
              </tr>
            </thead>
            <tbody>
              {flows.map((flow) => (
                <tr key={flow.key} data-flow={flow.key}>
                  <td>
                    <Button variant="link" onClick={() => setOpen(flow.key)}>
                      {flow.definition.name}
                    </Button>
                    <div className="comeback-muted">
                      {flow.definition.purpose === 'marketing'
                        ? __('marketing', 'comeback')
                        : flow.definition.purpose === 'cart'
                          ? __('cart reminders', 'comeback')
                          : __('about an order', 'comeback')}
                    </div>
                  </td>
                  <td>{triggerInWords(flow.definition.trigger)}</td>
                  <td className="comeback-flow-steps">
                    <StepsSummary flow={flow} channels={channels} />
                  </td>
                  <td>
                    <FlowSwitch flow={flow} list={list} />
                  </td>
                  <td>{flow.version === 0 ? <span className="comeback-muted">{__('as shipped', 'comeback')}</span> : flow.version}</td>
                  <td>
                    <Button
                      variant="tertiary"
                      size="small"
                      onClick={() => void copy(flow)}
                      aria-label={sprintf(__('Make a copy of “%s”', 'comeback'), flow.definition.name)}
                    >
                      {__('Copy', 'comeback')}
                    </Button>
                    {!flow.preset && (
                      <Button
                        variant="tertiary"
                        size="small"
                        isDestructive
                        onClick={() => void drop(flow)}
                        aria-label={sprintf(__('Delete “%s”', 'comeback'), flow.definition.name)}
                      >
                        {__('Delete', 'comeback')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {dialog}
        </>
      )}
    </FlowListCard>
  );
}

/** "SMS / WhatsApp day 1 → Email day 3", channels not set up marked as such. */
function StepsSummary({ flow, channels }: { flow: StoredFlow; channels: ChannelsConfigured }) {
  return (
    <span data-testid={`steps-${flow.key}`}>
      {flow.definition.steps.map((step, i) => (
        <span key={i} className="comeback-flow-step">
          {i > 0 && ' → '}
          {step.channels.map((c, j) => (
            <span key={c}>
              {j > 0 && ' / '}
              <span
                className={channels[c] ? undefined : 'comeback-channel--off'}
                title={channels[c] ? undefined : __('not set up yet', 'comeback')}
              >
                {CHANNEL_LABELS[c]}
                {!channels[c] && <VisuallyHidden> {__('(not set up yet)', 'comeback')}</VisuallyHidden>}
              </span>
            </span>
          ))}{' '}
          {delayShort(step.delay)}
        </span>
      ))}
    </span>
  );
}

function ChannelsNotice({ channels }: { channels: ChannelsConfigured }) {
  const off = CHANNELS.filter((c) => !channels[c]);
  if (off.length === 0) return null;
  return (
    <Notice status="info" isDismissible={false} className="comeback-flows__channels">
      {sprintf(
        __(
          'Not set up yet: %s. Steps can still use them; until they are set up, each step goes by the next channel in its list.',
          'comeback',
        ),
        off.map((c) => CHANNEL_LABELS[c]).join(', '),
      )}
    </Notice>
  );
}
