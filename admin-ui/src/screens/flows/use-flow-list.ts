import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type { FlowList, StoredFlow } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { asApiError, useLoad } from '../../components/async.tsx';
import type { Status } from '../../components/StatusNotice.tsx';

/** What a flow needs beyond being on, said when it is switched on: a cart flow has no carts without the plugin's capture and the customer's consent. */
function whatItNeeds(flow: StoredFlow): string[] {
  if (flow.definition.trigger.event !== 'cart.abandoned') return [];
  return [
    __(
      'Carts come from your checkout through the Comeback plugin, and only from customers who tick its cart-reminder box (their consent): without the plugin, or before anyone ticks it, nobody enters this flow. Its SMS and WhatsApp steps need those channels set up; the Connection screen says which are.',
      'comeback',
    ),
  ];
}

/**
 * A list of the shop's flows (`select` picks and orders them from GET /api/flows), each switched on
 * or off in place, one open in the editor: what the Flows and the Loyalty screens share.
 */
export function useFlowList(select: (flows: StoredFlow[]) => StoredFlow[]) {
  const loaded = useLoad(() => api<FlowList>('GET', '/api/flows'), 'flows');
  const [flows, setFlows] = useState<StoredFlow[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<Status | null>(null);
  useEffect(() => {
    if (loaded.data) setFlows(select(loaded.data.flows));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the answer is what changes
  }, [loaded.data]);

  /** A flow as saved or switched: in place, or added (a new copy). */
  const replace = (flow: StoredFlow) =>
    setFlows((all) => (all.some((f) => f.key === flow.key) ? all.map((f) => (f.key === flow.key ? flow : f)) : [...all, flow]));

  /** A flow deleted: out of the list. */
  const remove = (key: string) => setFlows((all) => all.filter((f) => f.key !== key));

  /** Switched at once in the list; put back, with the reason, when the sidecar refuses. */
  async function toggle(flow: StoredFlow, enabled: boolean) {
    setNotice(null);
    replace({ ...flow, enabled });
    try {
      replace(await api<StoredFlow>('PATCH', `/api/flows/${flow.key}`, { enabled }));
      setNotice({
        kind: 'success',
        message: enabled
          ? [sprintf(__('“%s” is on.', 'comeback'), flow.definition.name), ...whatItNeeds(flow)].join(' ')
          : sprintf(
              __('“%s” is off: nobody new enters it; customers already in it get no further messages.', 'comeback'),
              flow.definition.name,
            ),
      });
    } catch (error) {
      replace(flow);
      setNotice({ kind: 'error', message: asApiError(error).message });
    }
  }

  return { loaded, flows, open, setOpen, notice, setNotice, replace, remove, toggle };
}

export type FlowListState = ReturnType<typeof useFlowList>;
