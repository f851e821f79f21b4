import { Card, CardBody, CardHeader, ToggleControl, VisuallyHidden } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ReactNode } from 'react';
import type { FlowList, StoredFlow } from '@comeback/sidecar/api-contracts';
import { AsyncBlock, RefreshButton } from '../../components/async.tsx';
import { StatusNotice } from '../../components/StatusNotice.tsx';
import { FlowEditor } from './FlowEditor.tsx';
import type { FlowListState } from './use-flow-list.ts';

/** The Flows and Loyalty lists' card: the title, Refresh, what the last switch said, and the list once loaded. */
export function FlowListCard({
  title,
  className,
  list,
  children,
}: {
  title: string;
  className: string;
  list: FlowListState;
  children: (answer: FlowList) => ReactNode;
}) {
  return (
    <Card className={className}>
      <CardHeader>
        <strong>{title}</strong>
        <RefreshButton onClick={list.loaded.reload} busy={list.loaded.loading} />
      </CardHeader>
      <CardBody>
        <StatusNotice status={list.notice} onRemove={() => list.setNotice(null)} className="comeback-flows__notice" />
        <AsyncBlock state={list.loaded}>{children}</AsyncBlock>
      </CardBody>
    </Card>
  );
}

/** A flow's on/off switch in its row of the list. */
export function FlowSwitch({ flow, list }: { flow: StoredFlow; list: FlowListState }) {
  return (
    <ToggleControl
      __nextHasNoMarginBottom
      label={<VisuallyHidden>{sprintf(__('Send “%s”', 'comeback'), flow.definition.name)}</VisuallyHidden>}
      checked={flow.enabled}
      onChange={(on) => void list.toggle(flow, on)}
    />
  );
}

/** The flow open in the editor, shown instead of the list; null while none is. */
export function openFlowEditor(list: FlowListState): ReactNode {
  const current = list.flows.find((f) => f.key === list.open);
  if (!current || !list.loaded.data) return null;
  return (
    <FlowEditor
      key={current.key}
      flowKey={current.key}
      enabled={current.enabled}
      listVersion={current.version}
      channels={list.loaded.data.channels}
      onSaved={list.replace}
      onClose={() => list.setOpen(null)}
    />
  );
}
