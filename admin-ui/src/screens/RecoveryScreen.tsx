import { Button, Card, CardBody, CardHeader, SelectControl, TextControl, ToggleControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type { RecoveryView, Reminder } from '@comeback/sidecar/api-contracts';
import { offlineTextErrors, offlineTextGateways } from '@comeback/sidecar/flow-texts';
import { api, uniqueErrors, type FieldError } from '../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../components/async.tsx';
import { GatewayTexts } from '../components/GatewayTexts.tsx';
import { PreviewPanel } from '../components/PreviewPanel.tsx';
import { type Status, StatusNotice } from '../components/StatusNotice.tsx';
import { TemplateEditor } from '../components/TemplateEditor.tsx';
import { textContextOf } from '@comeback/sidecar/flow-texts';

/** The sidecar's limits (its recovery settings schema refuses more). */
const MAX_REMINDERS = 5;
const MAX_LINK_GRACE_HOURS = 720;

/**
 * The unpaid-order recovery: on/off, the reminders (delay, subject, the text for orders paid online,
 * one per offline payment method the shop has enabled and one for other offline payments), how long
 * the order stays open after the last one, preview and test.
 */
export function RecoveryScreen() {
  const loaded = useLoad(() => api<RecoveryView>('GET', '/api/settings/recovery'), 'recovery');
  return <AsyncBlock state={loaded}>{(settings) => <RecoveryForm saved={settings} onSaved={loaded.reload} />}</AsyncBlock>;
}

function RecoveryForm({ saved, onSaved }: { saved: RecoveryView; onSaved: () => void }) {
  const [draft, setDraft] = useState<RecoveryView>(saved);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [liveErrors, setLiveErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState(0);
  useEffect(() => setDraft(saved), [saved]);

  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const reminder = draft.reminders[Math.min(step, draft.reminders.length - 1)]!;
  const fieldErrors = (field: string) =>
    uniqueErrors([...errors, ...liveErrors.map((e) => ({ ...e, field: `reminders.${step}.${e.field}` }))]).filter((e) => e.field === field);
  // Offline texts are checked as they are typed by the sidecar's own rules (flow-texts.ts).
  const offlineErrors = (source: string, gateway: string | null, field: string) =>
    uniqueErrors([...fieldErrors(field), ...(source === '' ? [] : offlineTextErrors(source, gateway, field, saved.textFacts))]);

  function update(index: number, change: Partial<Reminder>) {
    setDraft((d) => ({ ...d, reminders: d.reminders.map((r, i) => (i === index ? { ...r, ...change } : r)) }));
    setErrors((all) =>
      all.filter(
        (e) => !Object.keys(change).some((k) => e.field === `reminders.${index}.${k}` || e.field?.startsWith(`reminders.${index}.${k}.`)),
      ),
    );
  }

  async function save(next: RecoveryView) {
    setBusy(true);
    setStatus(null);
    try {
      await api('PUT', '/api/settings/recovery', next);
      setErrors([]);
      setStatus({
        kind: 'success',
        message: next.enabled ? __('Saved. Unpaid orders are being recovered.', 'comeback') : __('Saved.', 'comeback'),
      });
      onSaved();
    } catch (error) {
      const e = asApiError(error);
      setErrors(e.fieldErrors());
      setStatus({
        kind: 'error',
        message:
          e.code === 'invalid_template'
            ? __('Some reminder texts have problems; they are shown under each text. Nothing was saved.', 'comeback')
            : e.message,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="comeback-recovery">
      <Card>
        <CardBody>
          <ToggleControl
            __nextHasNoMarginBottom
            label={__('Recover unpaid orders', 'comeback')}
            help={__(
              'Customers whose order is still unpaid get the reminders below; they stop the moment the order is paid. These are the emails of the “Unpaid order reminder” flow: its SMS, WhatsApp, send hours and hold-out are under Flows.',
              'comeback',
            )}
            checked={draft.enabled}
            onChange={(enabled) => {
              // Shown at once; saved with the texts as they are now (a failed save says why).
              const next = { ...draft, enabled };
              setDraft(next);
              void save(next);
            }}
            disabled={busy}
          />
        </CardBody>
      </Card>
      <StatusNotice status={status} onRemove={() => setStatus(null)} className="comeback-save-status" />
      <div className="comeback-recovery__layout">
        <div className="comeback-recovery__reminders">
          {draft.reminders.map((r, i) => (
            <Card key={i} className="comeback-reminder" size="small">
              <CardHeader>
                <strong>{sprintf(__('Reminder %d', 'comeback'), i + 1)}</strong>
                <div className="comeback-reminder__actions">
                  <Button variant={step === i ? 'primary' : 'secondary'} size="small" onClick={() => setStep(i)} aria-pressed={step === i}>
                    {__('Preview this one', 'comeback')}
                  </Button>
                  {draft.reminders.length > 1 && (
                    <Button
                      variant="tertiary"
                      isDestructive
                      size="small"
                      onClick={() => {
                        setDraft((d) => ({ ...d, reminders: d.reminders.filter((_, j) => j !== i) }));
                        setStep(0);
                      }}
                    >
                      {__('Remove', 'comeback')}
                    </Button>
                  )}
                </div>
              </CardHeader>
              <CardBody>
                <div className="comeback-delay">
                  <TextControl
                    __nextHasNoMarginBottom
                    type="number"
                    min={1}
                    label={__('Send after', 'comeback')}
                    value={String(r.delay.value)}
                    onChange={(v) => update(i, { delay: { ...r.delay, value: Math.max(1, Number.parseInt(v, 10) || 1) } })}
                  />
                  <SelectControl
                    __nextHasNoMarginBottom
                    label={__('Unit', 'comeback')}
                    value={r.delay.unit}
                    options={[
                      { label: __('minutes', 'comeback'), value: 'minutes' },
                      { label: __('hours', 'comeback'), value: 'hours' },
                      { label: __('days', 'comeback'), value: 'days' },
                    ]}
                    onChange={(unit) => update(i, { delay: { ...r.delay, unit: unit } })}
                  />
                  <span className="comeback-delay__after">{__('after the order was placed', 'comeback')}</span>
                </div>
                <TemplateEditor
                  name={`reminders.${i}.subject`}
                  label={__('Subject', 'comeback')}
                  rows={2}
                  context={textContextOf('order.unpaid', 'subject', undefined)}
                  value={r.subject}
                  onChange={(subject) => update(i, { subject })}
                  errors={fieldErrors(`reminders.${i}.subject`)}
                />
                <TemplateEditor
                  name={`reminders.${i}.onlineBody`}
                  label={__('Text for orders paid online (card, PayPal, PayU…)', 'comeback')}
                  context={textContextOf('order.unpaid', 'body', undefined)}
                  value={r.onlineBody}
                  onChange={(onlineBody) => update(i, { onlineBody })}
                  errors={fieldErrors(`reminders.${i}.onlineBody`)}
                />
                <GatewayTexts
                  gateways={offlineTextGateways(saved.paymentGateways, r.offlineBodies, draft.gateways)}
                  bodies={r.offlineBodies}
                  path={`reminders.${i}.offlineBodies`}
                  label={(title) => sprintf(__('Text for %s', 'comeback'), title)}
                  context={textContextOf('order.unpaid', 'offlineBody', undefined)}
                  errors={(field, value, gateway) => offlineErrors(value, gateway, field)}
                  onChange={(offlineBodies) => update(i, { offlineBodies })}
                />
                <TemplateEditor
                  name={`reminders.${i}.offlineBody`}
                  label={__('Text for other offline payments (cash on delivery…)', 'comeback')}
                  context={textContextOf('order.unpaid', 'offlineBody', undefined)}
                  value={r.offlineBody}
                  onChange={(offlineBody) => update(i, { offlineBody })}
                  errors={offlineErrors(r.offlineBody, null, `reminders.${i}.offlineBody`)}
                />
              </CardBody>
            </Card>
          ))}
          <Card className="comeback-link-grace" size="small">
            <CardBody>
              <TextControl
                __nextHasNoMarginBottom
                type="number"
                min={1}
                max={MAX_LINK_GRACE_HOURS}
                label={__('Keep the order open after the last reminder (hours)', 'comeback')}
                help={__(
                  'WooCommerce cancels unpaid checkout orders after its hold-stock time. Comeback keeps a reminded order from that until this long after the last reminder was sent, so its payment link still works; paying, cancelling or stopping the recovery ends it sooner. The keep-alive limit in the plugin’s settings still applies.',
                  'comeback',
                )}
                value={String(draft.linkGraceHours)}
                onChange={(v) =>
                  setDraft((d) => ({ ...d, linkGraceHours: Math.min(MAX_LINK_GRACE_HOURS, Math.max(1, Number.parseInt(v, 10) || 1)) }))
                }
              />
            </CardBody>
          </Card>
          <div className="comeback-recovery__buttons">
            {draft.reminders.length < MAX_REMINDERS && (
              <Button
                variant="secondary"
                onClick={() => {
                  const last = draft.reminders[draft.reminders.length - 1]!;
                  setDraft((d) => ({
                    ...d,
                    reminders: [...d.reminders, { ...last, delay: { value: last.delay.value * 2, unit: last.delay.unit } }],
                  }));
                }}
              >
                {__('Add a reminder', 'comeback')}
              </Button>
            )}
            <Button variant="primary" onClick={() => void save(draft)} isBusy={busy} disabled={busy || !dirty}>
              {__('Save reminders', 'comeback')}
            </Button>
            {dirty && <span className="comeback-unsaved">{__('Unsaved changes', 'comeback')}</span>}
          </div>
        </div>
        <PreviewPanel
          reminder={reminder}
          step={step}
          gateways={offlineTextGateways(saved.paymentGateways, reminder.offlineBodies, draft.gateways)}
          onErrors={setLiveErrors}
        />
      </div>
    </div>
  );
}
