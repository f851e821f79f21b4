import { Button, Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type { Reminder, ReminderPreview as Preview } from '@comeback/sidecar/api-contracts';
import { api, uniqueErrors, type FieldError } from '../api.ts';
import { asApiError } from './async.tsx';
import { TestSend } from './StepPreviewPanel.tsx';

type Gateway = Preview['gateway'];
/** The texts being edited: what the preview renders instead of the saved reminder. */
type Texts = Pick<Reminder, 'subject' | 'onlineBody' | 'offlineBody'>;

/**
 * The reminder being edited, rendered by the sidecar against a real recent order of each kind
 * (online and bank transfer), as the customer will see it; its template errors go back to the
 * editor as they are typed. "Send a test" puts it through the real outbox, marked [Test].
 */
export function PreviewPanel({ reminder, step, onErrors }: { reminder: Texts; step: number; onErrors: (errors: FieldError[]) => void }) {
  const [gateway, setGateway] = useState<Gateway>('online');
  const [previews, setPreviews] = useState<Partial<Record<Gateway, Preview>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [view, setView] = useState<'html' | 'text'>('html');
  const texts: Texts = { subject: reminder.subject, onlineBody: reminder.onlineBody, offlineBody: reminder.offlineBody };
  const key = JSON.stringify(texts);

  useEffect(() => {
    let current = true;
    setLoading(true);
    async function loadPreviews() {
      const results = await Promise.allSettled(
        (['online', 'offline'] as const).map((g) => api<Preview>('POST', '/api/recovery/preview', { gateway: g, reminder: texts, step })),
      );
      if (!current) return;
      const next: Partial<Record<Gateway, Preview>> = {};
      const errors: FieldError[] = [];
      let message: string | null = null;
      results.forEach((result, i) => {
        const g = i === 0 ? 'online' : 'offline';
        if (result.status === 'fulfilled') next[g] = result.value;
        else {
          const error = asApiError(result.reason);
          if (error.code === 'invalid_template') errors.push(...error.fieldErrors());
          else message = error.message;
        }
      });
      setPreviews(next);
      setProblem(message);
      onErrors(uniqueErrors(errors));
      setLoading(false);
    }
    // Typing settles for a moment before the sidecar renders again.
    const timer = setTimeout(() => void loadPreviews(), 350);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the texts (key) and step are what matter
  }, [key, step]);

  const preview = previews[gateway];

  return (
    <Card className="comeback-preview" aria-busy={loading}>
      <CardHeader>
        <strong>{sprintf(__('Preview of reminder %d', 'comeback'), step + 1)}</strong>
        {loading && <Spinner />}
      </CardHeader>
      <CardBody>
        <div className="comeback-segmented" role="group" aria-label={__('Kind of order', 'comeback')}>
          <Button
            variant={gateway === 'online' ? 'primary' : 'secondary'}
            aria-pressed={gateway === 'online'}
            onClick={() => setGateway('online')}
          >
            {__('Paid online', 'comeback')}
          </Button>
          <Button
            variant={gateway === 'offline' ? 'primary' : 'secondary'}
            aria-pressed={gateway === 'offline'}
            onClick={() => setGateway('offline')}
          >
            {__('Bank transfer', 'comeback')}
          </Button>
        </div>
        {problem && (
          <Notice status="warning" isDismissible={false}>
            {problem}
          </Notice>
        )}
        {!preview && !loading && !problem && (
          <Notice status="info" isDismissible={false}>
            {__('Fix the problems in this text to see it as the customer will.', 'comeback')}
          </Notice>
        )}
        {preview && (
          <div className="comeback-preview__message">
            <p className="comeback-preview__order">
              {preview.sample
                ? __('No order of this kind yet: shown with a sample order.', 'comeback')
                : sprintf(
                    __('Shown with order #%1$s (%2$s).', 'comeback'),
                    preview.order?.number ?? '',
                    preview.order?.paymentMethod ?? '',
                  )}
            </p>
            <div className="comeback-preview__subject">
              <span>{__('Subject:', 'comeback')}</span> <strong data-testid="preview-subject">{preview.subject}</strong>
            </div>
            <div className="comeback-segmented" role="group" aria-label={__('Show', 'comeback')}>
              <Button
                size="small"
                variant={view === 'html' ? 'primary' : 'tertiary'}
                aria-pressed={view === 'html'}
                onClick={() => setView('html')}
              >
                {__('Email', 'comeback')}
              </Button>
              <Button
                size="small"
                variant={view === 'text' ? 'primary' : 'tertiary'}
                aria-pressed={view === 'text'}
                onClick={() => setView('text')}
              >
                {__('Plain text', 'comeback')}
              </Button>
            </div>
            {view === 'html' ? (
              // sandbox without allow-scripts: the message is shown, nothing in it runs.
              <iframe
                title={__('The email as the customer sees it', 'comeback')}
                className="comeback-preview__frame"
                sandbox="allow-popups"
                srcDoc={preview.html}
              />
            ) : (
              <pre className="comeback-preview__text" data-testid="preview-text">
                {preview.text}
              </pre>
            )}
          </div>
        )}
        <TestSend
          channel="email"
          disabled={!preview}
          send={(to) => api<{ to: string }>('POST', '/api/recovery/test', { gateway, reminder: texts, step, to })}
        />
      </CardBody>
    </Card>
  );
}
