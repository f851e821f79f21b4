import { Button, Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { ChannelSettings } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { asApiError, AsyncBlock, useLoad } from '../components/async.tsx';
import { type Status, StatusNotice } from '../components/StatusNotice.tsx';
import { useSavedDraft, useUnsavedChanges } from '../components/unsaved-changes.tsx';

/**
 * The shop's limits on SMS and WhatsApp (they cost money per message, and a public form can be
 * abused): messages a day per channel, and the countries numbers may be in (empty: where the shop
 * sells, as WooCommerce's "Selling location(s)" says). Today's use beside them.
 */
export function TextLimits() {
  const settings = useLoad(() => api<ChannelSettings>('GET', '/api/settings/channels'), 'channel-settings');
  return (
    <Card className="comeback-text-limits">
      <CardHeader>
        <strong>{__('Text messages: daily limits and countries', 'comeback')}</strong>
      </CardHeader>
      <CardBody>
        <AsyncBlock state={settings}>{(saved) => <TextLimitsForm saved={saved} onSaved={settings.reload} />}</AsyncBlock>
      </CardBody>
    </Card>
  );
}

type Form = { sms: string; whatsapp: string; countries: string };
const formOf = (s: ChannelSettings): Form => ({
  sms: String(s.smsPerDay),
  whatsapp: String(s.whatsappPerDay),
  countries: (s.countries ?? []).join(', '),
});

function sellingText(s: ChannelSettings): string {
  const selling = s.sellingCountries;
  if (!selling || selling.mode === 'all') return __('Empty: any country (the shop sells everywhere).', 'comeback');
  if (selling.mode === 'specific') return sprintf(__('Empty: where the shop sells (%s).', 'comeback'), selling.countries.join(', '));
  return sprintf(__('Empty: where the shop sells (everywhere but %s).', 'comeback'), selling.countries.join(', '));
}

function TextLimitsForm({ saved, onSaved }: { saved: ChannelSettings; onSaved: () => void }) {
  const [form, setForm, sending] = useSavedDraft(saved, formOf);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = JSON.stringify(form) !== JSON.stringify(formOf(saved));
  useUnsavedChanges(changed);

  async function save() {
    setBusy(true);
    setStatus(null);
    const countries = form.countries
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    try {
      sending(form);
      await api<ChannelSettings>('PUT', '/api/settings/channels', {
        smsPerDay: Number(form.sms),
        whatsappPerDay: Number(form.whatsapp),
        countries: countries.length ? countries : null,
      });
      setStatus({ kind: 'success', message: __('Saved.', 'comeback') });
      onSaved();
    } catch (error) {
      // Each refused field in the sidecar's plain words ("countries.0: a two-letter country code such as "PL"").
      const refused = asApiError(error);
      const fields = refused.fieldErrors().map((f) => f.message);
      setStatus({ kind: 'error', message: fields.length ? fields.join(' ') : refused.message });
    } finally {
      setBusy(false);
    }
  }

  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const perDay = [
    {
      key: 'sms' as const,
      name: 'smsPerDay',
      label: __('SMS per day at most', 'comeback'),
      help: sprintf(
        __('Sent today: %d. Over the limit messages wait for the next day (UTC); none is lost.', 'comeback'),
        saved.today.sms.used,
      ),
    },
    {
      key: 'whatsapp' as const,
      name: 'whatsappPerDay',
      label: __('WhatsApp messages per day at most', 'comeback'),
      help: sprintf(__('Sent today: %d.', 'comeback'), saved.today.whatsapp.used),
    },
  ];
  return (
    <form
      className="comeback-text-limits__form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {perDay.map(({ key, name, label, help }) => (
        <TextControl
          key={key}
          __nextHasNoMarginBottom
          type="number"
          min={0}
          name={name}
          label={label}
          help={help}
          value={form[key]}
          onChange={set(key)}
        />
      ))}
      <TextControl
        __nextHasNoMarginBottom
        name="countries"
        label={__('Countries texts may go to (two-letter codes, e.g. PL, DE)', 'comeback')}
        help={`${sellingText(saved)} ${__('A number elsewhere is skipped, with the reason in the queue.', 'comeback')}`}
        value={form.countries}
        onChange={set('countries')}
      />
      <Button variant="secondary" type="submit" isBusy={busy} disabled={busy || !changed} accessibleWhenDisabled>
        {__('Save', 'comeback')}
      </Button>
      <StatusNotice status={status} onRemove={() => setStatus(null)} />
    </form>
  );
}
