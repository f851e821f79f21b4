import { Card, CardBody, Notice, SelectControl, ToggleControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useContext, useEffect, useMemo, useState } from 'react';
import type { ChannelsConfigured, FlowDefinition, FlowDetail, FlowList, MessageChannel, StoredFlow } from '@comeback/sidecar/api-contracts';
import { api, uniqueErrors, type FieldError } from '../../api.ts';
import { asApiError, AsyncBlock, useLoad, when } from '../../components/async.tsx';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import { languageRemoval } from '../../components/LanguageTabs.tsx';
import { localesOf, ShopLanguages, withoutTranslation } from '../../components/languages.ts';
import { focusFirstError, SaveBar } from '../../components/SaveBar.tsx';
import { useLastStored, useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import { ChannelOrder } from '../flows/ChannelOrder.tsx';
import { errorsOutside, errorsUnder, liveFlowErrors } from '../flows/field-errors.ts';
import { ErrorsElsewhere, FieldErrors, HoldOutField } from '../flows/flow-fields.tsx';
import { saveFlow, stable, forSave, type SaveStatus } from '../flows/flow-save.ts';
import { lapsedInWords } from '../flows/flow-words.ts';
import { withTemplate } from '../flows/StepEditor.tsx';
import { LapsedFields } from '../flows/TriggerSettings.tsx';
import { WinBackOffer } from './WinBackOffer.tsx';

const KEY = 'win-back';
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
/** "Send at 10": the window 10:00–11:00, so a message due at night goes at 10 the next morning. */
const windowAt = (hour: string) => ({ start: `${hour}:00`, end: `${HOURS[(Number(hour) + 1) % 24]}:00` });

/** The win-back preset in the merchant's words: who lapses, when messages go, the channels, and offers A, B, C. */
export function WinBackScreen() {
  const flow = useLoad(() => api<FlowDetail>('GET', `/api/flows/${KEY}`), KEY);
  const list = useLoad(() => api<FlowList>('GET', '/api/flows'), 'flows');
  if (flow.error?.status === 404) {
    return (
      <Notice status="warning" isDismissible={false}>
        {__('This Comeback has no win-back flow yet: update the sidecar to get it.', 'comeback')}
      </Notice>
    );
  }
  const channels: ChannelsConfigured = list.data?.channels ?? { email: true, sms: true, whatsapp: true };
  return <AsyncBlock state={flow}>{(saved) => <WinBackForm saved={saved} channels={channels} reload={flow.reload} />}</AsyncBlock>;
}

function WinBackForm({ saved, channels, reload }: { saved: FlowDetail; channels: ChannelsConfigured; reload: () => void }) {
  const [draft, setDraft] = useState<FlowDefinition>(saved.definition);
  const [enabled, setEnabled] = useState(saved.enabled);
  // A switch on a preset never saved stores its version 1: the next save expects that one.
  const [version, setVersion] = useState(saved.version);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<SaveStatus | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setDraft(saved.definition);
    setEnabled(saved.enabled);
    setVersion(saved.version);
    setErrors([]);
  }, [saved]);

  const all = uniqueErrors([...errors, ...useMemo(() => liveFlowErrors(draft), [draft])]);
  const [stored, answered] = useLastStored<StoredFlow>(saved);
  const dirty = stable(forSave(draft)) !== stable(forSave(stored.definition));
  useUnsavedChanges(dirty);
  const locales = useMemo(() => localesOf(draft.steps), [draft.steps]);
  const offered = useContext(ShopLanguages);
  const { confirm, dialog } = useConfirm();
  const trigger = draft.trigger;
  if (trigger.event !== 'customer.lapsed') {
    return (
      <Notice status="error" isDismissible={false}>
        {__('The win-back flow no longer starts when a customer lapses; edit it under Flows.', 'comeback')}
      </Notice>
    );
  }
  const hour = draft.sendWindow?.start.slice(0, 2) ?? '';
  const order = draft.steps[0]?.channels ?? [];
  const elsewhere = errorsOutside(all, ['trigger', 'sendWindow', 'holdOutPercent', ...draft.steps.map((_, i) => `steps.${i}`)]);

  function change(next: FlowDefinition, path: string) {
    setDraft(next);
    setErrors((current) => current.filter((e) => !errorsUnder([e], path).length));
  }
  async function removeLanguage(locale: string) {
    if (await confirm(languageRemoval(locale, 'steps')))
      change({ ...draft, steps: draft.steps.map((s) => withoutTranslation(s, locale)) }, 'steps');
  }
  const setChannels = (next: MessageChannel[]) =>
    change(
      {
        ...draft,
        steps: draft.steps.map((s) => next.reduce((step, c) => withTemplate(step, c, 'customer.lapsed'), { ...s, channels: next })),
      },
      'steps',
    );

  /**
   * Switching on with edits not saved saves them with the switch, as one new version: the offer
   * that goes live is the one on the screen, never the stored one behind it; edits the sidecar
   * refuses keep it off, with the reasons at their fields. Switching off keeps the edits.
   */
  async function toggle(on: boolean) {
    setStatus(null);
    if (on && dirty) {
      // Shown on at once, as the list's switch does; put back when the save is refused.
      setEnabled(true);
      setBusy(true);
      const result = await saveFlow(KEY, draft, true, version);
      setErrors(result.errors);
      setBusy(false);
      if (!result.stored) {
        setEnabled(false);
        setStatus({
          ...result.status,
          message: `${__('Win-back is still off: your changes are not saved, and it goes live only with them.', 'comeback')} ${result.status.message}`,
        });
        focusFirstError(result.errors);
        return;
      }
      answered(result.stored);
      setVersion(result.stored.version);
      setStatus({
        kind: 'success',
        message: __('Your changes are saved and win-back is on: customers who lapse from now on get offer A.', 'comeback'),
      });
      reload();
      return;
    }
    setEnabled(on);
    try {
      const stored = await api<StoredFlow>('PATCH', `/api/flows/${KEY}`, { enabled: on });
      setEnabled(stored.enabled);
      setVersion((v) => Math.max(v, stored.version));
      setStatus({
        kind: 'success',
        message: on
          ? __('Win-back is on: customers who lapse from now on get offer A.', 'comeback')
          : __('Win-back is off: nobody new enters it; customers already in it get no further messages.', 'comeback'),
      });
      // A preset switched on for the first time is stored as version 1: its date comes with it.
      if (!dirty) reload();
    } catch (error) {
      setEnabled(!on);
      setStatus({ kind: 'error', message: asApiError(error).message });
    }
  }

  async function save() {
    setBusy(true);
    setStatus(null);
    const result = await saveFlow(KEY, draft, enabled, version);
    if (result.stored || result.errors.length) setErrors(result.errors);
    setStatus(result.status);
    if (result.stored) {
      answered(result.stored);
      setVersion(result.stored.version); // a second save before the reload lands is not a conflict
      reload();
    } else if (result.errors.length) focusFirstError(result.errors);
    setBusy(false);
  }

  return (
    <div className="comeback-flow-editor comeback-winback">
      <Card className="comeback-flow-card" size="small">
        <CardBody>
          <ToggleControl
            __nextHasNoMarginBottom
            label={__('Win back customers who stopped buying', 'comeback')}
            checked={enabled}
            onChange={(on) => void toggle(on)}
          />
          <p className="comeback-muted" data-testid="flow-version">
            {version === 0
              ? __('As shipped, never saved', 'comeback')
              : sprintf(__('Version %1$d, saved %2$s', 'comeback'), version, when(stored.updatedAt))}
          </p>
        </CardBody>
      </Card>
      <ErrorsElsewhere errors={elsewhere} />
      <Card className="comeback-flow-card" size="small">
        <CardBody>
          <h3 data-testid="lapsed-words">{lapsedInWords(trigger.factor, trigger.minDays)}</h3>
          <LapsedFields trigger={trigger} errors={all} onChange={(next, path) => change({ ...draft, trigger: next }, path)} />
          <div className="comeback-form-grid">
            <div>
              <SelectControl
                __nextHasNoMarginBottom
                name="sendWindow"
                label={__('Send at, in the customer’s time zone', 'comeback')}
                value={hour}
                options={[
                  { label: __('Any time (as soon as due)', 'comeback'), value: '' },
                  ...HOURS.map((h) => ({ label: `${h}:00`, value: h })),
                ]}
                help={__('A message due at another time waits for this hour (the next morning at the latest).', 'comeback')}
                onChange={(h) => change({ ...draft, sendWindow: h ? windowAt(h) : null }, 'sendWindow')}
              />
              <FieldErrors errors={errorsUnder(all, 'sendWindow')} />
            </div>
            <HoldOutField
              label={__('Hold out (% of lapsed customers)', 'comeback')}
              help={__('They get no messages: the reports compare what the others bought against them. 0 to 50.', 'comeback')}
              value={draft.holdOutPercent}
              errors={errorsUnder(all, 'holdOutPercent')}
              onChange={(holdOutPercent) => change({ ...draft, holdOutPercent }, 'holdOutPercent')}
            />
          </div>
          <ChannelOrder
            label={__('Channels, in order of preference', 'comeback')}
            value={order}
            configured={channels}
            onChange={setChannels}
          />
        </CardBody>
      </Card>
      <ol className="comeback-steps">
        {draft.steps.map((step, i) => (
          <li key={i}>
            <WinBackOffer
              step={step}
              index={i}
              configured={channels}
              errors={all}
              onChange={(next, path) => change({ ...draft, steps: draft.steps.map((s, j) => (j === i ? next : s)) }, path)}
              locales={locales}
              offered={offered}
              onRemoveLanguage={(locale) => void removeLanguage(locale)}
            />
          </li>
        ))}
      </ol>
      <SaveBar
        status={status}
        errors={all}
        onDismiss={() => setStatus(null)}
        onReload={reload}
        saveLabel={__('Save win-back', 'comeback')}
        onSave={() => void save()}
        onDiscard={() => (setDraft(stored.definition), setErrors([]), setStatus(null))}
        busy={busy}
        dirty={dirty}
      />
      {dialog}
    </div>
  );
}
