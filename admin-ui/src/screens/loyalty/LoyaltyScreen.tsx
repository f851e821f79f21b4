import { Button, VisuallyHidden } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { FlowListCard, FlowSwitch, openFlowEditor } from '../flows/FlowListCard.tsx';
import { stepsInWords, triggerInWords } from '../flows/flow-words.ts';
import { useFlowList } from '../flows/use-flow-list.ts';
import { LoyaltyEventsHelp } from './LoyaltyEventsHelp.tsx';
import { NpsResults } from './NpsResults.tsx';

/** The flows a loyalty program's events start, and post-sale (which asks for the review), in this order. */
export const LOYALTY_FLOWS = ['voucher-issued', 'voucher-expiring', 'birthday', 'nps-survey', 'balance-reminder', 'post-sale'] as const;

/** Loyalty presets, each switched on or off and edited in the flow editor; how the program sends its events; NPS results. */
export function LoyaltyScreen() {
  const list = useFlowList((all) => LOYALTY_FLOWS.flatMap((key) => all.filter((f) => f.key === key)));
  const { loaded, flows, setOpen } = list;

  const editor = openFlowEditor(list);
  if (editor) return editor;
  const missing = loaded.data ? LOYALTY_FLOWS.filter((key) => !flows.some((f) => f.key === key)) : [];
  return (
    <div className="comeback-loyalty">
      <FlowListCard title={__('Loyalty messages', 'comeback')} className="comeback-flows comeback-flow-card" list={list}>
        {() => (
          <>
            <table className="comeback-table widefat striped" data-testid="loyalty-flows">
              <thead>
                <tr>
                  <th>{__('Message', 'comeback')}</th>
                  <th>{__('When', 'comeback')}</th>
                  <th>{__('On', 'comeback')}</th>
                  <th>
                    <VisuallyHidden>{__('Actions', 'comeback')}</VisuallyHidden>
                  </th>
                </tr>
              </thead>
              <tbody>
                {flows.map((flow) => (
                  <tr key={flow.key} data-flow={flow.key}>
                    <td>
                      <strong>{flow.definition.name}</strong>
                      <div className="comeback-muted">{stepsInWords(flow.definition)}</div>
                    </td>
                    <td data-testid={`summary-${flow.key}`}>{triggerInWords(flow.definition.trigger)}</td>
                    <td>
                      <FlowSwitch flow={flow} list={list} />
                    </td>
                    <td>
                      <Button
                        variant="secondary"
                        size="small"
                        onClick={() => setOpen(flow.key)}
                        aria-label={sprintf(__('Edit “%s”', 'comeback'), flow.definition.name)}
                      >
                        {__('Edit', 'comeback')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {missing.length > 0 && (
              <p className="comeback-muted">{sprintf(__('Not in this Comeback yet: %s.', 'comeback'), missing.join(', '))}</p>
            )}
          </>
        )}
      </FlowListCard>
      <NpsResults />
      <LoyaltyEventsHelp />
    </div>
  );
}
