import { Button, Card, CardBody, CardHeader, SelectControl, ToggleControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useContext, useMemo, useState } from 'react';
import type { RecoveryView } from '@comeback/sidecar/api-contracts';
import { delayErrors, NUMBER_RANGES, numberErrors, reminderTextErrors, offlineTextGateways } from '@comeback/sidecar/flow-texts';
import { api, uniqueErrors, type FieldError } from '../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../components/async.tsx';
import { PreviewPanel } from '../components/PreviewPanel.tsx';
import { useConfirm } from '../components/ConfirmDialog.tsx';
import { focusFirstError, SaveBar } from '../components/SaveBar.tsx';
import type { Status } from '../components/StatusNotice.tsx';
import { useLastStored, useSavedDraft, useUnsavedChanges } from '../components/unsaved-changes.tsx';
import { errorsUnder } from './flows/field-errors.ts';
import { DEFAULT_TAB, LanguageTabs, languageRemoval } from '../components/LanguageTabs.tsx';
import { localesOf, ShopLanguages, withoutTranslation } from '../components/languages.ts';
import { previewableTranslations, reminderMissing, ReminderTexts, type LocalizedReminder } from './ReminderTexts.tsx';
import { DelayValueField, FieldErrors, NumberField } from './flows/flow-fields.tsx';

/** The sidecar's limit (its recovery settings schema refuses more). */
const MAX_REMINDERS = 5;

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
  const [draft, setDraft, sending] = useSavedDraft(saved, (s) => s);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [liveErrors, setLiveErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState(0);
  // The language shown in every reminder (and previewed): the default, or a WordPress locale.
  const [tab, setTab] = useState(DEFAULT_TAB);
  const reminders = draft.reminders as LocalizedReminder[];
  // A language just added has no texts yet (the form cannot save a reminder's texts half written): its tab is kept here.
  const [added, setAdded] = useState<string[]>([]);
  const locales = useMemo(() => [...new Set([...localesOf(reminders), ...added])], [reminders, added]);
  const locale = tab !== DEFAULT_TAB && locales.includes(tab) ? tab : null;
  const offered = useContext(ShopLanguages).filter((l) => !locales.includes(l));

  const [stored, answered] = useLastStored(saved);
  const dirty = JSON.stringify(draft) !== JSON.stringify(stored);
  useUnsavedChanges(dirty);
  const { confirm, dialog } = useConfirm();
  const reminder: LocalizedReminder = draft.reminders[Math.min(step, draft.reminders.length - 1)]!;
  // The flow editor's rule for steps, for the reminders as typed (whole numbers from 1, in order), and the grace's range.
  const numbers = useMemo(
    () => [
      ...delayErrors(
        draft.reminders.map((r) => r.delay),
        { noun: 'reminder', min: 1, field: (i) => `reminders.${i}.delay` },
      ),
      ...numberErrors([['linkGraceHours', draft.linkGraceHours, NUMBER_RANGES.linkGraceHours]]),
    ],
    [draft.reminders, draft.linkGraceHours],
  );
  // The texts as typed (each translation too), by the rule the save is checked with: each reminder's step coupon decides what it may print.
  const coupons = saved.reminderCoupons;
  const reminderStep = (i: number) => ({ coupon: coupons[i]?.coupon ?? undefined });
  const texts = useMemo(() => reminderTextErrors(draft.reminders, coupons, saved.textFacts), [draft.reminders, coupons, saved]);
  const all = uniqueErrors([...errors, ...numbers, ...texts, ...liveErrors.map((e) => ({ ...e, field: `reminders.${step}.${e.field}` }))]);
  const fieldErrors = (field: string) => all.filter((e) => e.field === field);

  async function removeLanguage(l: string) {
    if (!(await confirm(languageRemoval(l, 'reminders')))) return;
    setAdded((list) => list.filter((a) => a !== l));
    setDraft((d) => ({ ...d, reminders: (d.reminders as LocalizedReminder[]).map((r) => withoutTranslation(r, l)) }));
  }

  function update(index: number, change: Partial<LocalizedReminder>) {
    setDraft((d) => ({ ...d, reminders: d.reminders.map((r, i) => (i === index ? { ...r, ...change } : r)) }));
    setErrors((all) =>
      all.filter(
        (e) => !Object.keys(change).some((k) => e.field === `reminders.${index}.${k}` || e.field?.startsWith(`reminders.${index}.${k}.`)),
      ),
    );
  }

  async function save(next: RecoveryView) {
    setStatus(null);
    if (numbers.length > 0) {
      setStatus({ kind: 'error', message: __('Some numbers cannot be saved; each is shown at its field. Nothing was saved.', 'comeback') });
      focusFirstError(numbers);
      return false;
    }
    setBusy(true);
    sending(next);
    try {
      await api('PUT', '/api/settings/recovery', next);
      answered(next);
      setErrors([]);
      setStatus({
        kind: 'success',
        message: next.enabled ? __('Saved. Unpaid orders are being recovered.', 'comeback') : __('Saved.', 'comeback'),
      });
      onSaved();
      return true;
    } catch (error) {
      const e = asApiError(error);
      setErrors(e.fieldErrors());
      focusFirstError(e.fieldErrors());
      setStatus({
        kind: 'error',
        message:
          e.code === 'invalid_template'
            ? __('Some reminder texts have problems; they are shown under each text. Nothing was saved.', 'comeback')
            : e.message,
      });
      return false;
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
              // Saved with the texts as they are now, edits included; refused, it stays as it was and says why.
              const next = { ...draft, enabled };
              setDraft(next);
              void save(next).then((ok) => ok || setDraft((d) => ({ ...d, enabled: !enabled })));
            }}
            disabled={busy}
          />
        </CardBody>
      </Card>
      <div className="comeback-recovery__layout">
        <div className="comeback-recovery__reminders">
          {reminders.map((r, i) => (
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
                      onClick={() =>
                        void confirm({
                          title: sprintf(__('Remove reminder %d?', 'comeback'), i + 1),
                          message: sprintf(
                            __('“%s” and its texts are removed from the form; nothing changes for customers until you save.', 'comeback'),
                            r.subject,
                          ),
                          confirmLabel: sprintf(__('Remove reminder %d', 'comeback'), i + 1),
                          destructive: true,
                        }).then((yes) => {
                          if (!yes) return;
                          setDraft((d) => ({ ...d, reminders: d.reminders.filter((_, j) => j !== i) }));
                          setErrors([]); // their places have moved
                          setStep(0);
                        })
                      }
                    >
                      {__('Remove', 'comeback')}
                    </Button>
                  )}
                </div>
              </CardHeader>
              <CardBody>
                <div className="comeback-delay">
                  <DelayValueField
                    name={`reminders.${i}.delay.value`}
                    min={1}
                    value={r.delay.value}
                    errors={errorsUnder(all, `reminders.${i}.delay`)}
                    errorsAt={`comeback-reminder-${i}-delay-errors`}
                    onChange={(value) => update(i, { delay: { ...r.delay, value } })}
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
                <FieldErrors id={`comeback-reminder-${i}-delay-errors`} errors={errorsUnder(all, `reminders.${i}.delay`)} />
                <LanguageTabs
                  at={`reminders.${i}`}
                  label={sprintf(__('Texts of reminder %d by language', 'comeback'), i + 1)}
                  locales={locales}
                  selected={tab}
                  onSelect={(next) => (setTab(next), setStep(i))}
                  missing={(l) => (reminderMissing(r, l) ? ['email'] : [])}
                  problems={(l) => errorsUnder(all, `reminders.${i}.translations.${l}`).length > 0}
                  offered={offered}
                  onAdd={(l) => setAdded((list) => [...list, l])}
                  onRemove={(l) => void removeLanguage(l)}
                >
                  <ReminderTexts
                    index={i}
                    reminder={r}
                    locale={locale}
                    gateways={draft.gateways}
                    paymentGateways={saved.paymentGateways}
                    step={reminderStep(i)}
                    fieldErrors={fieldErrors}
                    onChange={(next) => update(i, next)}
                  />
                </LanguageTabs>
              </CardBody>
            </Card>
          ))}
          <Card className="comeback-link-grace" size="small">
            <CardBody>
              <NumberField
                name="linkGraceHours"
                range={NUMBER_RANGES.linkGraceHours}
                label={__('Keep the order open after the last reminder (hours)', 'comeback')}
                help={__(
                  'WooCommerce cancels unpaid checkout orders after its hold-stock time. Comeback keeps a reminded order from that until this long after the last reminder was sent, so its payment link still works; paying, cancelling or stopping the recovery ends it sooner. The keep-alive limit in the plugin’s settings still applies.',
                  'comeback',
                )}
                value={draft.linkGraceHours}
                errors={fieldErrors('linkGraceHours')}
                onChange={(v) => {
                  setDraft((d) => ({ ...d, linkGraceHours: v ?? Number.NaN }));
                  setErrors((list) => list.filter((e) => e.field !== 'linkGraceHours'));
                }}
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
          </div>
        </div>
        <PreviewPanel
          reminder={{ ...reminder, translations: previewableTranslations(reminder) }}
          language={locale}
          step={step}
          gateways={offlineTextGateways(saved.paymentGateways, reminder.offlineBodies, draft.gateways)}
          onErrors={setLiveErrors}
        />
      </div>
      <SaveBar
        status={status}
        onDismiss={() => setStatus(null)}
        saveLabel={__('Save reminders', 'comeback')}
        onSave={() => void save(draft)}
        onDiscard={() => (setDraft(stored), setErrors([]), setStatus(null))}
        busy={busy}
        dirty={dirty}
        errors={all}
      />
      {dialog}
    </div>
  );
}
