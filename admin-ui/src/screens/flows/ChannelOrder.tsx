import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ChannelsConfigured, MessageChannel } from '@comeback/sidecar/api-contracts';
import { CHANNELS } from './flow-limits.ts';
import { CHANNEL_LABELS } from './flow-words.ts';

/**
 * Channels in order of preference (of a flow's step, a campaign, every win-back offer): move up
 * and down, take out, add back. The first the customer can be reached on is used. `step` names
 * the step in the buttons' labels, where a screen lists several.
 */
export function ChannelOrder({
  label,
  value,
  configured,
  onChange,
  step,
}: {
  label: string;
  value: MessageChannel[];
  configured: ChannelsConfigured;
  onChange: (channels: MessageChannel[]) => void;
  step?: number;
}) {
  const missing = CHANNELS.filter((c) => !value.includes(c));
  const move = (i: number, by: -1 | 1) => {
    const next = [...value];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  return (
    <div className="comeback-channels" role="group" aria-label={label}>
      <span className="comeback-label">{label}</span>
      <p className="comeback-muted">
        {__(
          'The first one the customer can be reached on (address, consent, channel set up) is used; the next ones are the fallback.',
          'comeback',
        )}
      </p>
      <ol className="comeback-channel-list">
        {value.map((channel, i) => (
          <li key={channel} className="comeback-channel-list__item" data-channel={channel}>
            <span className="comeback-channel-list__name">{CHANNEL_LABELS[channel]}</span>
            {!configured[channel] && <span className="comeback-not-configured">{__('not set up yet', 'comeback')}</span>}
            <span className="comeback-channel-list__actions">
              <Button
                size="small"
                variant="tertiary"
                disabled={i === 0}
                accessibleWhenDisabled
                onClick={() => move(i, -1)}
                aria-label={
                  step === undefined
                    ? sprintf(__('Try %s earlier', 'comeback'), CHANNEL_LABELS[channel])
                    : sprintf(__('Try %1$s earlier in step %2$d', 'comeback'), CHANNEL_LABELS[channel], step)
                }
              >
                ↑
              </Button>
              <Button
                size="small"
                variant="tertiary"
                disabled={i === value.length - 1}
                accessibleWhenDisabled
                onClick={() => move(i, 1)}
                aria-label={
                  step === undefined
                    ? sprintf(__('Try %s later', 'comeback'), CHANNEL_LABELS[channel])
                    : sprintf(__('Try %1$s later in step %2$d', 'comeback'), CHANNEL_LABELS[channel], step)
                }
              >
                ↓
              </Button>
              <Button
                size="small"
                variant="tertiary"
                isDestructive
                disabled={value.length === 1}
                accessibleWhenDisabled
                onClick={() => onChange(value.filter((c) => c !== channel))}
                aria-label={
                  step === undefined
                    ? sprintf(__('Remove %s', 'comeback'), CHANNEL_LABELS[channel])
                    : sprintf(__('Remove %1$s from step %2$d', 'comeback'), CHANNEL_LABELS[channel], step)
                }
              >
                {__('Remove', 'comeback')}
              </Button>
            </span>
          </li>
        ))}
      </ol>
      {missing.length > 0 && (
        <div className="comeback-row">
          {missing.map((channel) => (
            <Button
              key={channel}
              variant="secondary"
              size="small"
              onClick={() => onChange([...value, channel])}
              aria-label={step === undefined ? undefined : sprintf(__('Add %1$s to step %2$d', 'comeback'), CHANNEL_LABELS[channel], step)}
            >
              {sprintf(__('Add %s', 'comeback'), CHANNEL_LABELS[channel])}
            </Button>
          ))}
        </div>
      )}
    </div>
  );
}
