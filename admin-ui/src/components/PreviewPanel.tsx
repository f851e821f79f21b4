import { Button, Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type { Reminder, ReminderPreview as Preview } from '@comeback/sidecar/api-contracts';
import { api, uniqueErrors, type FieldError } from '../api.ts';
import { asApiError } from './async.tsx';
import { paymentMethod } from './shop-format.ts';
import { FellBack, TestSend } from './StepPreviewPanel.tsx';
import { languageName, type PreviewLanguage } from './languages.ts';

/** Which text is previewed: online, one offline gateway's own (by id), or the one for other offline payments. */
type Kind = 'online' | 'other' | `gateway:${string}`;
/** The texts being edited: what the preview renders instead of the saved reminder. */
type Texts = Pick<Reminder, 'subject' | 'onlineBody' | 'offlineBody' | 'offlineBodies'> & {
  /** The same four texts in other languages, by WordPress locale. */
  translations?: Record<string, Pick<Reminder, 'subject' | 'onlineBody' | 'offlineBody' | 'offlineBodies'>>;
};

/** What the sidecar is asked to render for a kind: a real order of that kind, when there is one. */
function kindRequest(kind: Kind) {
  if (kind === 'online') return { gateway: 'online' as const };
  if (kind === 'other') return { gateway: 'offline' as const, otherOffline: true };
  return { gateway: 'offline' as const, gatewayId: kind.slice('gateway:'.length) };
}

/**
 * The reminder being edited, rendered by the sidecar against a real recent order of each kind
 * (paid online, each offline method with its own text, other offline payments), as the customer
 * will see it; its template errors go back to the editor as they are typed. "Send a test" puts it
 * through the real outbox, marked [Test].
 */
export function PreviewPanel({
  reminder,
  step,
  language,
  gateways,
  onErrors,
}: {
  reminder: Texts;
  step: number;
  /** The language tab shown (a WordPress locale): its texts, or the default said to be so; null: the default. */
  language: string | null;
  /** The offline gateways with a text of their own on the form, titled as at checkout. */
  gateways: Array<{ id: string; title: string }>;
  onErrors: (errors: FieldError[]) => void;
}) {
  const kinds: Array<{ kind: Kind; label: string }> = [
    { kind: 'online', label: __('Paid online', 'comeback') },
    ...gateways.map((g) => ({ kind: `gateway:${g.id}` as Kind, label: g.title })),
    { kind: 'other', label: __('Other offline payments', 'comeback') },
  ];
  const [gateway, setGateway] = useState<Kind>('online');
  const [previews, setPreviews] = useState<Partial<Record<Kind, Preview>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [view, setView] = useState<'html' | 'text'>('html');
  const texts: Texts = {
    subject: reminder.subject,
    onlineBody: reminder.onlineBody,
    offlineBody: reminder.offlineBody,
    offlineBodies: reminder.offlineBodies ?? {},
    ...(reminder.translations ? { translations: reminder.translations } : {}),
  };
  const inLanguage = language ? { language } : {};
  const key = JSON.stringify([texts, kinds.map((k) => k.kind), language]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    async function loadPreviews() {
      const results = await Promise.allSettled(
        kinds.map((k) => api<Preview>('POST', '/api/recovery/preview', { ...kindRequest(k.kind), reminder: texts, step, ...inLanguage })),
      );
      if (!current) return;
      const next: Partial<Record<Kind, Preview>> = {};
      const errors: FieldError[] = [];
      let message: string | null = null;
      results.forEach((result, i) => {
        const g = kinds[i]!.kind;
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
        <strong>
          {sprintf(__('Preview of reminder %d', 'comeback'), step + 1)}
          {language && <span className="comeback-muted"> · {languageName(language)}</span>}
        </strong>
        {loading && <Spinner />}
      </CardHeader>
      <CardBody>
        <div className="comeback-segmented" role="group" aria-label={__('Kind of order', 'comeback')}>
          {kinds.map((k) => (
            <Button
              key={k.kind}
              variant={gateway === k.kind ? 'primary' : 'secondary'}
              aria-pressed={gateway === k.kind}
              onClick={() => setGateway(k.kind)}
            >
              {k.label}
            </Button>
          ))}
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
                    paymentMethod(preview.order?.paymentMethod, preview.order?.paymentTitle),
                  )}
            </p>
            <FellBack language={(preview as Preview & { language?: PreviewLanguage }).language} />
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
          send={(to) =>
            api<{ to: string }>('POST', '/api/recovery/test', { ...kindRequest(gateway), reminder: texts, step, ...inLanguage, to })
          }
        />
      </CardBody>
    </Card>
  );
}
