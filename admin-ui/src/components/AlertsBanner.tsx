import { Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type { Alert, AlertKind, AlertList } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { asApiError, useLoad, when } from './async.tsx';

const KIND_WORDS: Record<string, string> = {
  provider_failing: __('A sending channel is failing', 'comeback'),
  queue_stuck: __('Messages are not going out', 'comeback'),
  webhook_disabled: __('WooCommerce stopped sending order events', 'comeback'),
  plugin_unreachable: __('The Comeback plugin in the shop stopped answering', 'comeback'),
  send_budget_reached: __('A daily SMS or WhatsApp budget is used up', 'comeback'),
  country_not_allowed: __('Texts to numbers outside the allowed countries were not sent', 'comeback'),
} satisfies Record<AlertKind, string>;

export const alertKindInWords = (kind: string) => KIND_WORDS[kind] ?? kind;

/** Looked at again this often, so an alert raised while the screen is open shows without a reload. */
const POLL_MS = 60_000;

/**
 * The open alerts above every screen: what is wrong, since when, and Dismiss (which closes the
 * alert; it opens again if the problem is seen again). Says nothing when alerts cannot be read.
 */
export function AlertsBanner() {
  const alerts = useLoad(() => api<AlertList>('GET', '/api/alerts?state=open'), 'alerts');
  const [gone, setGone] = useState<number[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(alerts.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [alerts.reload]);

  async function dismiss(alert: Alert) {
    setProblem(null);
    try {
      await api('POST', `/api/alerts/${alert.id}/dismiss`);
      setGone((ids) => [...ids, alert.id]);
      alerts.reload();
    } catch (error) {
      setProblem(asApiError(error).message);
    }
  }

  const open = (alerts.data?.alerts ?? []).filter((a) => !gone.includes(a.id));
  if (open.length === 0 && !problem) return null;
  return (
    <div className="comeback-alerts" role="region" aria-label={__('Alerts', 'comeback')}>
      {problem && (
        <Notice status="error" onRemove={() => setProblem(null)}>
          {problem}
        </Notice>
      )}
      {open.map((alert) => (
        <Notice
          key={alert.id}
          status="warning"
          isDismissible={false}
          className="comeback-alert"
          actions={[{ label: __('Dismiss', 'comeback'), onClick: () => void dismiss(alert), variant: 'secondary' }]}
        >
          <strong>{alertKindInWords(alert.kind)}</strong>
          {alert.subject && <span className="comeback-muted"> · {alert.subject}</span>}
          <div>{alert.message}</div>
          <div className="comeback-muted">
            {sprintf(__('Since %1$s, last seen %2$s', 'comeback'), when(alert.openedAt), when(alert.lastSeenAt))}
          </div>
        </Notice>
      ))}
    </div>
  );
}
