import { Button, Card, CardBody, CardHeader, CheckboxControl, TextControl } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useMemo, useState } from 'react';
import type { AudienceSize as Size, Campaign, CampaignFields, ChannelsConfigured } from '@comeback/sidecar/api-contracts';
import { NUMBER_RANGES, numberErrors } from '@comeback/sidecar/flow-texts';
import { api, uniqueErrors, type FieldError } from '../../api.ts';
import { asApiError } from '../../components/async.tsx';
import { when as formatWhen, instantOfShopClock, shopClockInput, shopTimeZoneName } from '../../components/shop-format.ts';
import { SegmentPicker, useSegments } from '../../components/segments.tsx';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import { focusFirstError, SaveBar } from '../../components/SaveBar.tsx';
import type { Status } from '../../components/StatusNotice.tsx';
import { useLeave, useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import { stable } from '../flows/flow-save.ts';
import { errorsOutside, errorsUnder } from '../flows/field-errors.ts';
import { ErrorsElsewhere, FieldErrors, helpWith, HoldOutField, NumberField } from '../flows/flow-fields.tsx';
import { AudienceSize } from './AudienceSize.tsx';
import { CampaignMessage, liveStepErrors } from './CampaignMessage.tsx';
import { editable, inputOf, newCampaign } from './campaign-draft.ts';

const FORM_PATHS = ['name', 'tags', 'excludeTags', 'sendAt', 'perMinute', 'holdOutPercent', 'sendWindow', 'step'];

/** A campaign written, its audience counted live, saved as a draft, scheduled or cancelled. */
export function CampaignForm({
  campaign,
  channels,
  onSaved,
  onClose,
}: {
  campaign: Campaign | null;
  channels: ChannelsConfigured;
  onSaved: (campaign: Campaign) => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<CampaignFields>(() => (campaign ? inputOf(campaign) : newCampaign()));
  const [current, setCurrent] = useState<Campaign | null>(campaign);
  const [when, setWhen] = useState(shopClockInput(campaign?.sendAt ?? null));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const [base, setBase] = useState(() => stable({ draft: campaign ? inputOf(campaign) : newCampaign(), when }));
  const dirty = stable({ draft, when }) !== base;
  useUnsavedChanges(dirty);
  const leave = useLeave();
  const { confirm, dialog } = useConfirm();
  const segments = useSegments().data?.segments ?? [];
  const numbers = useMemo(
    () =>
      numberErrors([
        ['perMinute', draft.perMinute, NUMBER_RANGES.perMinute],
        ['holdOutPercent', draft.holdOutPercent, NUMBER_RANGES.holdOutPercent],
      ]),
    [draft.perMinute, draft.holdOutPercent],
  );
  const all = uniqueErrors([...errors, ...numbers, ...useMemo(() => liveStepErrors(draft.step), [draft.step])]);
  const locked = current !== null && !editable(current.status);
  const at = (path: string) => errorsUnder(all, path);

  function change(next: Partial<CampaignFields>, path: string) {
    setDraft((d) => ({ ...d, ...next }));
    setErrors((list) => list.filter((e) => !errorsUnder([e], path).length));
  }

  /** Refused by the sidecar, or here for a number the sidecar would refuse in the same words. */
  function refused(error: unknown, what: string) {
    const e = Array.isArray(error) ? null : asApiError(error);
    const found: FieldError[] = e ? e.fieldErrors() : (error as FieldError[]);
    setErrors(found);
    focusFirstError(found);
    setStatus({
      kind: 'error',
      message: found.length
        ? sprintf(
            _n('%2$s: %1$d problem, shown at its field.', '%2$s: %1$d problems, each shown at its field.', found.length, 'comeback'),
            found.length,
            what,
          )
        : `${what}: ${e?.message ?? ''}`,
    });
  }

  /** POST a new campaign or PUT the changes; a scheduled one keeps its time, or takes the one typed. */
  async function store(): Promise<Campaign | null> {
    const typed = instantOfShopClock(when)?.toISOString() ?? null;
    const body = { ...draft, sendAt: current?.status === 'scheduled' ? (typed ?? current.sendAt) : null };
    if (numbers.length > 0) {
      refused(numbers, __('Not saved', 'comeback'));
      return null;
    }
    try {
      const saved = current
        ? await api<Campaign>('PUT', `/api/campaigns/${current.id}`, body)
        : await api<Campaign>('POST', '/api/campaigns', body);
      setCurrent(saved);
      setErrors([]);
      setBase(stable({ draft, when }));
      onSaved(saved);
      return saved;
    } catch (error) {
      refused(error, __('Not saved', 'comeback'));
      return null;
    }
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setStatus(null);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }

  const save = () =>
    run(async () => {
      if (await store()) setStatus({ kind: 'success', message: __('Saved.', 'comeback') });
    });
  /** Asked first, with who it reaches and when; one that reaches nobody goes to the sidecar, which says why it will not. */
  async function confirmSchedule(sendAt: Date): Promise<boolean> {
    const query = new URLSearchParams({
      tags: draft.tags.join(','),
      excludeTags: draft.excludeTags.join(','),
      channels: draft.step.channels.join(','),
    });
    const audience = await api<Size>('GET', `/api/campaigns/audience?${query.toString()}`);
    if (audience.reachable === 0) return true;
    const past = sendAt.getTime() < Date.now() - 60_000;
    const segment = draft.tags.length ? draft.tags.join(', ') : __('all customers', 'comeback');
    return confirm({
      title: past ? __('Send the campaign now?', 'comeback') : __('Schedule the campaign?', 'comeback'),
      message: sprintf(
        _n(
          '“%1$s” goes to %2$d customer of %3$s who agreed to marketing on its channels, %4$s.',
          '“%1$s” goes to %2$d customers of %3$s who agreed to marketing on its channels, %4$s.',
          audience.reachable,
          'comeback',
        ),
        draft.name || __('This campaign', 'comeback'),
        audience.reachable,
        segment,
        past ? __('at once (that time has passed)', 'comeback') : sprintf(__('on %s', 'comeback'), formatWhen(sendAt)),
      ),
      confirmLabel: past ? __('Send now', 'comeback') : sprintf(__('Schedule for %s', 'comeback'), formatWhen(sendAt)),
    });
  }

  const schedule = () =>
    run(async () => {
      const sendAt = instantOfShopClock(when);
      if (!sendAt) {
        const missing = [{ field: 'sendAt', message: __('Choose when it goes.', 'comeback') }];
        setErrors(missing);
        setStatus({ kind: 'error', message: __('Not scheduled: choose when it goes.', 'comeback') });
        focusFirstError(missing);
        return;
      }
      try {
        if (!(await confirmSchedule(sendAt))) return;
      } catch (error) {
        setStatus({ kind: 'error', message: asApiError(error).message });
        return;
      }
      const saved = await store();
      if (!saved) return;
      try {
        const scheduled = await api<Campaign>('POST', `/api/campaigns/${saved.id}/schedule`, { sendAt: sendAt.toISOString() });
        setCurrent(scheduled);
        onSaved(scheduled);
        setStatus({
          kind: 'success',
          message: sprintf(__('Scheduled for %s.', 'comeback'), formatWhen(scheduled.sendAt ?? sendAt)),
        });
      } catch (error) {
        refused(error, __('Not scheduled', 'comeback'));
      }
    });
  const cancel = () =>
    run(async () => {
      const yes = await confirm({
        title: __('Cancel the campaign?', 'comeback'),
        message: __('Nobody who has not had it yet gets it. This cannot be undone.', 'comeback'),
        confirmLabel: __('Cancel the campaign', 'comeback'),
        cancelLabel: __('Keep it', 'comeback'),
        destructive: true,
      });
      if (!yes) return;
      try {
        const cancelled = await api<Campaign>('POST', `/api/campaigns/${current!.id}/cancel`);
        setCurrent(cancelled);
        onSaved(cancelled);
        setStatus({ kind: 'warning', message: __('Cancelled: nobody else gets it.', 'comeback') });
      } catch (error) {
        setStatus({ kind: 'error', message: asApiError(error).message });
      }
    });

  const elsewhere = errorsOutside(all, FORM_PATHS);
  return (
    <div className="comeback-flow-editor comeback-campaign">
      <div className="comeback-flow-editor__head">
        <Button variant="tertiary" onClick={() => leave(onClose)}>
          ← {__('All campaigns', 'comeback')}
        </Button>
        <h2>{draft.name || __('New campaign', 'comeback')}</h2>
        {current && (
          <span className={`comeback-status comeback-status--${current.status}`} data-testid="campaign-status">
            {current.status}
          </span>
        )}
      </div>
      <ErrorsElsewhere errors={elsewhere} />
      <fieldset disabled={locked} className="comeback-campaign__fields">
        <Card className="comeback-flow-card" size="small">
          <CardHeader>
            <h3>{__('Who gets it', 'comeback')}</h3>
          </CardHeader>
          <CardBody>
            <TextControl
              __nextHasNoMarginBottom
              name="name"
              label={__('Name (for you)', 'comeback')}
              value={draft.name}
              aria-invalid={at('name').length > 0 || undefined}
              help={helpWith(null, at('name'))}
              onChange={(name) => change({ name }, 'name')}
            />
            <div className="comeback-form-grid">
              <div>
                <SegmentPicker
                  name="tags"
                  label={__('Customers in any of these segments', 'comeback')}
                  help={__('None ticked: every customer.', 'comeback')}
                  segments={segments}
                  value={draft.tags}
                  disabled={draft.excludeTags}
                  errors={at('tags')}
                  onChange={(tags) => change({ tags }, 'tags')}
                />
                <SegmentPicker
                  name="excludeTags"
                  label={__('But not those in these segments', 'comeback')}
                  segments={segments}
                  value={draft.excludeTags}
                  disabled={draft.tags}
                  errors={at('excludeTags')}
                  onChange={(excludeTags) => change({ excludeTags }, 'excludeTags')}
                />
              </div>
              <AudienceSize
                tags={draft.tags}
                excludeTags={draft.excludeTags}
                channels={draft.step.channels}
                holdOutPercent={draft.holdOutPercent}
              />
            </div>
            <HoldOutField
              label={__('Hold out (% of the audience)', 'comeback')}
              help={__('They get nothing: the reports compare what the others bought against them. 0 to 50.', 'comeback')}
              value={draft.holdOutPercent}
              errors={at('holdOutPercent')}
              onChange={(holdOutPercent) => change({ holdOutPercent }, 'holdOutPercent')}
            />
          </CardBody>
        </Card>
        <Card className="comeback-flow-card" size="small">
          <CardHeader>
            <h3>{__('The message', 'comeback')}</h3>
          </CardHeader>
          <CardBody>
            <CampaignMessage step={draft.step} configured={channels} errors={all} onChange={(step, path) => change({ step }, path)} />
          </CardBody>
        </Card>
        <Card className="comeback-flow-card" size="small">
          <CardHeader>
            <h3>{__('When it goes', 'comeback')}</h3>
          </CardHeader>
          <CardBody>
            <div className="comeback-row">
              <TextControl
                __nextHasNoMarginBottom
                type="datetime-local"
                name="sendAt"
                label={__('Send on', 'comeback')}
                value={when}
                aria-invalid={at('sendAt').length > 0 || undefined}
                help={helpWith(sprintf(__('Shop time, %s', 'comeback'), shopTimeZoneName()), at('sendAt'))}
                onChange={(v) => (setWhen(v), setErrors((l) => l.filter((e) => e.field !== 'sendAt')))}
              />
              <NumberField
                name="perMinute"
                label={__('Messages per minute', 'comeback')}
                help={__('Spread out so the shop is not flooded at once.', 'comeback')}
                range={NUMBER_RANGES.perMinute}
                value={draft.perMinute}
                errors={at('perMinute')}
                onChange={(v) => change({ perMinute: v ?? Number.NaN }, 'perMinute')}
              />
            </div>
            <CheckboxControl
              __nextHasNoMarginBottom
              label={__('Only between certain hours, in the customer’s time zone', 'comeback')}
              checked={draft.sendWindow !== null}
              onChange={(on) => change({ sendWindow: on ? { start: '09:00', end: '20:00' } : null }, 'sendWindow')}
            />
            {draft.sendWindow && (
              <div className="comeback-row">
                <TextControl
                  __nextHasNoMarginBottom
                  type="time"
                  name="sendWindow.start"
                  label={__('From', 'comeback')}
                  value={draft.sendWindow.start}
                  help={helpWith(null, at('sendWindow.start'))}
                  onChange={(start) => change({ sendWindow: { ...draft.sendWindow!, start } }, 'sendWindow.start')}
                />
                <TextControl
                  __nextHasNoMarginBottom
                  type="time"
                  name="sendWindow.end"
                  label={__('Until', 'comeback')}
                  value={draft.sendWindow.end}
                  help={helpWith(null, at('sendWindow.end'))}
                  onChange={(end) => change({ sendWindow: { ...draft.sendWindow!, end } }, 'sendWindow.end')}
                />
              </div>
            )}
            <FieldErrors errors={all.filter((e) => e.field === 'sendWindow')} />
          </CardBody>
        </Card>
      </fieldset>
      <SaveBar
        status={status}
        onDismiss={() => setStatus(null)}
        saveLabel={current ? __('Save', 'comeback') : __('Save as draft', 'comeback')}
        onSave={() => void save()}
        busy={busy}
        dirty={!locked && (dirty || !current)}
        errors={locked ? [] : all}
      >
        {!locked && (
          <Button variant="primary" onClick={() => void schedule()} isBusy={busy} disabled={busy} accessibleWhenDisabled>
            {current?.status === 'scheduled' ? __('Schedule again', 'comeback') : __('Schedule', 'comeback')}
          </Button>
        )}
        {current && (current.status === 'scheduled' || current.status === 'sending') && (
          <Button variant="tertiary" isDestructive onClick={() => void cancel()} disabled={busy} accessibleWhenDisabled>
            {__('Cancel the campaign', 'comeback')}
          </Button>
        )}
      </SaveBar>
      {dialog}
    </div>
  );
}
