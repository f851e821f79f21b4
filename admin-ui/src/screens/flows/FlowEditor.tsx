import { Button, Notice } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import type {
  ChannelsConfigured,
  FlowDefinition,
  FlowDetail,
  FlowStep,
  PaymentGateway,
  RecoveryView,
  StoredFlow,
} from '@comeback/sidecar/api-contracts';
import { offlineTextGateways } from '@comeback/sidecar/flow-texts';
import { OfflineGateways } from './ChannelTexts.tsx';
import { api, uniqueErrors, type FieldError } from '../../api.ts';
import { AsyncBlock, useLoad, when } from '../../components/async.tsx';
import { ErrorsElsewhere } from './flow-fields.tsx';
import { errorsOutside, errorsUnder, liveFlowErrors } from './field-errors.ts';
import { FlowSettings, SETTINGS_PATHS } from './FlowSettings.tsx';
import { MAX_STEPS } from './flow-limits.ts';
import { StepEditor } from './StepEditor.tsx';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import { focusFirstError, SaveBar } from '../../components/SaveBar.tsx';
import { useLastStored, useLeave, useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import { forSave, saveFlow, stable, type SaveStatus as Status } from './flow-save.ts';
import { localesOf, ShopLanguages, withoutTranslation } from '../../components/languages.ts';
import { languageRemoval } from '../../components/LanguageTabs.tsx';

type Props = {
  flowKey: string;
  /** As the flow list has it now: the list's switch changes it without a new version. */
  enabled: boolean;
  /** The list's version: switching on a preset never saved writes its version 1. */
  listVersion: number;
  channels: ChannelsConfigured;
  onSaved: (flow: StoredFlow) => void;
  onClose: () => void;
};

/** One flow, loaded with its versions, edited as a whole and saved as a new version. */
export function FlowEditor(props: Props) {
  const detail = useLoad(() => api<FlowDetail>('GET', `/api/flows/${props.flowKey}`), props.flowKey);
  // The shop's enabled payment gateways: an unpaid-order flow has an email text per offline one.
  const shop = useLoad(() => api<RecoveryView>('GET', '/api/settings/recovery'), 'recovery');
  return (
    <AsyncBlock state={detail}>
      {(flow) => <FlowForm {...props} saved={flow} reload={detail.reload} shopGateways={shop.data?.paymentGateways ?? []} />}
    </AsyncBlock>
  );
}

let lastKey = 0;
const newKey = () => ++lastKey;

function FlowForm({
  saved,
  reload,
  shopGateways,
  enabled,
  listVersion,
  channels,
  onSaved,
  onClose,
}: Props & { saved: FlowDetail; reload: () => void; shopGateways: PaymentGateway[] }) {
  const [draft, setDraft] = useState<FlowDefinition>(saved.definition);
  const [keys, setKeys] = useState<number[]>(() => saved.definition.steps.map(newKey));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setDraft(saved.definition);
    setKeys(saved.definition.steps.map(newKey));
    setErrors([]);
  }, [saved]);

  const trigger = draft.trigger;
  const offlineGateways = useMemo(
    () =>
      trigger.event === 'order.unpaid'
        ? offlineTextGateways(shopGateways, Object.assign({}, ...draft.steps.map((s) => s.email?.offlineBodies ?? {})), trigger.gateways)
        : [],
    [shopGateways, trigger, draft.steps],
  );
  // The texts' problems and the numbers' rules (flow-texts.ts), as typed.
  const live = useMemo(() => liveFlowErrors(draft), [draft]);
  const all = uniqueErrors([...errors, ...live]);
  const [stored, answered] = useLastStored<StoredFlow>(saved);
  const dirty = stable(forSave(draft)) !== stable(forSave(stored.definition));
  useUnsavedChanges(dirty);
  const leave = useLeave();
  const { confirm, dialog } = useConfirm();
  // The list's switch saved a preset (same definition, a new version): the base follows when nothing is being edited.
  useEffect(() => {
    if (listVersion > stored.version && !dirty) reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new version in the list matters
  }, [listVersion]);
  const locales = useMemo(() => localesOf(draft.steps), [draft.steps]);
  const offered = useContext(ShopLanguages);
  const elsewhere = errorsOutside(all, [...SETTINGS_PATHS, ...draft.steps.map((_, i) => `steps.${i}`)]);

  /** A change at `path` clears the refusals there: they were about what was typed before. */
  function change(next: FlowDefinition, path: string) {
    setDraft(next);
    setErrors((current) => current.filter((e) => !errorsUnder([e], path).length));
  }
  const setStep = (i: number, step: FlowStep, path: string) =>
    change({ ...draft, steps: draft.steps.map((s, j) => (j === i ? step : s)) }, path);

  function reorder(steps: FlowStep[], order: number[]) {
    // Step numbers change: every step's refusals were about the old order.
    setDraft({ ...draft, steps });
    setKeys(order);
    setErrors((current) => current.filter((e) => !e.field?.startsWith('steps')));
  }
  function moveStep(i: number, by: -1 | 1) {
    const steps = [...draft.steps];
    const order = [...keys];
    [steps[i], steps[i + by]] = [steps[i + by]!, steps[i]!];
    [order[i], order[i + by]] = [order[i + by]!, order[i]!];
    reorder(steps, order);
  }
  function addStep() {
    const last = draft.steps[draft.steps.length - 1]!;
    const step: FlowStep = { ...structuredClone(last), delay: { ...last.delay, value: last.delay.value + 1 }, conditions: [] };
    reorder([...draft.steps, step], [...keys, newKey()]);
    const index = draft.steps.length;
    requestAnimationFrame(() => root.current?.querySelector<HTMLInputElement>(`[name="steps.${index}.delay.value"]`)?.focus());
  }

  /** A step goes with its texts after a question (Discard changes still brings it back until a save). */
  async function removeStep(i: number) {
    const yes = await confirm({
      title: sprintf(__('Remove step %d?', 'comeback'), i + 1),
      message: __('The step and its texts are removed from the flow; customers are affected once you save.', 'comeback'),
      confirmLabel: sprintf(__('Remove step %d', 'comeback'), i + 1),
      destructive: true,
    });
    if (yes)
      reorder(
        draft.steps.filter((_, j) => j !== i),
        keys.filter((_, j) => j !== i),
      );
  }

  async function removeLanguage(locale: string) {
    if (await confirm(languageRemoval(locale, 'steps')))
      change({ ...draft, steps: draft.steps.map((s) => withoutTranslation(s, locale)) }, 'steps');
  }

  function discard() {
    setDraft(stored.definition);
    setKeys(stored.definition.steps.map(newKey));
    setErrors([]);
    setStatus(null);
  }

  async function save() {
    setBusy(true);
    setStatus(null);
    const result = await saveFlow(saved.key, draft, enabled, Math.max(stored.version, listVersion));
    if (result.stored || result.errors.length) setErrors(result.errors);
    setStatus(result.status);
    if (result.stored) {
      answered(result.stored);
      onSaved(result.stored);
      reload();
    } else if (result.errors.length) focusFirstError(result.errors);
    setBusy(false);
  }

  return (
    <OfflineGateways.Provider value={offlineGateways}>
      <div className="comeback-flow-editor" ref={root}>
        <div className="comeback-flow-editor__head">
          <Button variant="tertiary" onClick={() => leave(onClose)}>
            ← {__('All flows', 'comeback')}
          </Button>
          <h2>{draft.name || saved.key}</h2>
          <span className="comeback-muted" data-testid="flow-version">
            {saved.version === 0
              ? __('As shipped, never saved', 'comeback')
              : sprintf(
                  _n(
                    'Version %1$d, saved %2$s (%3$d version in all)',
                    'Version %1$d, saved %2$s (%3$d versions in all)',
                    saved.versions.length,
                    'comeback',
                  ),
                  saved.version,
                  when(saved.updatedAt),
                  saved.versions.length,
                )}
            {' · '}
            {enabled ? __('on', 'comeback') : __('off', 'comeback')}
          </span>
        </div>
        <ErrorsElsewhere errors={elsewhere} />
        {draft.trigger.event === 'order.unpaid' && (
          <Notice status="info" isDismissible={false}>
            {__(
              'The Recovery tab shows this flow’s emails in a simpler form, with a preview against your real orders and a test send. Both edit the same flow.',
              'comeback',
            )}
          </Notice>
        )}
        <FlowSettings flow={draft} errors={all} onChange={(part, path) => change({ ...draft, ...part }, path)} />
        <h3 className="comeback-steps-title">{__('Steps', 'comeback')}</h3>
        <p className="comeback-muted">
          {__('Each step’s delay counts from the start of the flow, not from the step before; steps go in order.', 'comeback')}
        </p>
        <ol className="comeback-steps">
          {draft.steps.map((step, i) => (
            <li key={keys[i]}>
              <StepEditor
                step={step}
                index={i}
                count={draft.steps.length}
                event={draft.trigger.event}
                gateways={draft.trigger.event === 'order.unpaid' ? draft.trigger.gateways : undefined}
                configured={channels}
                errors={all}
                onChange={(next, path) => setStep(i, next, path)}
                onMove={(by) => moveStep(i, by)}
                onRemove={() => void removeStep(i)}
                locales={locales}
                offered={offered}
                onRemoveLanguage={(locale) => void removeLanguage(locale)}
              />
            </li>
          ))}
        </ol>
        {draft.steps.length < MAX_STEPS && (
          <Button variant="secondary" onClick={addStep}>
            {__('Add a step', 'comeback')}
          </Button>
        )}
        <SaveBar
          status={status}
          errors={all}
          onDismiss={() => setStatus(null)}
          onReload={reload}
          saveLabel={__('Save flow', 'comeback')}
          onSave={() => void save()}
          onDiscard={discard}
          busy={busy}
          dirty={dirty}
        />
        {dialog}
      </div>
    </OfflineGateways.Provider>
  );
}
