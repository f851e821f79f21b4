import { Spinner } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type { AudienceSize as Size, MessageChannel } from '@comeback/sidecar/api-contracts';
import { api } from '../../api.ts';
import { asApiError } from '../../components/async.tsx';

/** Who the campaign would reach now, asked again as the segments and channels change. */
export function AudienceSize({
  tags,
  excludeTags,
  channels,
  holdOutPercent,
}: {
  tags: string[];
  excludeTags: string[];
  channels: MessageChannel[];
  holdOutPercent: number;
}) {
  const [size, setSize] = useState<Size | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const query = new URLSearchParams({
    tags: tags.join(','),
    excludeTags: excludeTags.join(','),
    channels: channels.join(','),
    holdOutPercent: String(holdOutPercent),
  }).toString();
  useEffect(() => {
    let current = true;
    setLoading(true);
    async function loadSize() {
      try {
        const next = await api<Size>('GET', `/api/campaigns/audience?${query}`);
        if (current) {
          setSize(next);
          setProblem(null);
        }
      } catch (error) {
        if (current) setProblem(asApiError(error).message);
      } finally {
        if (current) setLoading(false);
      }
    }
    // Ticking several segments settles for a moment before the sidecar counts again.
    const timer = setTimeout(() => void loadSize(), 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
  return (
    <div
      className="comeback-audience"
      role="status"
      aria-busy={loading}
      data-testid="audience-size"
      data-ready={!loading && size !== null ? 'true' : undefined}
    >
      <strong>{__('Audience now', 'comeback')}</strong> {loading && <Spinner />}
      {problem && <p className="comeback-field-error">{problem}</p>}
      {size && (
        <ul className="comeback-audience__facts">
          <li data-testid="audience-customers">
            {sprintf(_n('%d customer in the audience', '%d customers in the audience', size.customers, 'comeback'), size.customers)}
          </li>
          <li data-testid="audience-reachable">
            {sprintf(
              _n('%d agreed to marketing on these channels', '%d agreed to marketing on these channels', size.reachable, 'comeback'),
              size.reachable,
            )}
          </li>
          <li data-testid="audience-opted-out">{sprintf(_n('%d opted out', '%d opted out', size.optedOut, 'comeback'), size.optedOut)}</li>
          <li data-testid="audience-held-out">
            {sprintf(
              _n(
                'about %d held out (get nothing, for the comparison)',
                'about %d held out (get nothing, for the comparison)',
                size.heldOutEstimate,
                'comeback',
              ),
              size.heldOutEstimate,
            )}
          </li>
        </ul>
      )}
    </div>
  );
}
