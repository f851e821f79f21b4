import { Button, Card, CardBody, CardHeader, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import { useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import type { Customer } from '@comeback/sidecar/api-contracts';
import { api, type FieldError } from '../../api.ts';
import { asApiError } from '../../components/async.tsx';
import { COMPUTED_TAGS, segmentInWords } from '../../components/segments.tsx';
import { type Status, StatusNotice } from '../../components/StatusNotice.tsx';
import { helpWith } from '../flows/flow-fields.tsx';
import { fullName } from './customer-format.ts';
import { day, money } from '../../components/shop-format.ts';
import { CustomerConsents } from './CustomerConsents.tsx';
import { CustomerProfile } from './CustomerProfile.tsx';

const parseTags = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** One customer: what their orders say, what a loyalty program told us, and their manual tags. */
export function CustomerDetail({
  customer,
  ruleTags,
  onClose,
  onSaved,
}: {
  customer: Customer;
  ruleTags: string[];
  onClose: () => void;
  onSaved: (customer: Customer) => void;
}) {
  // Built-in and rule-based segments come from the orders; the rest are the merchant's own.
  const computed = (tag: string) => (COMPUTED_TAGS as readonly string[]).includes(tag) || ruleTags.includes(tag);
  const manual = customer.tags.filter((t) => !computed(t));
  const [text, setText] = useState(manual.join(', '));
  const [touched, setTyped] = useState(false);
  // The segments (which say which tags are rule-based) may arrive after the detail opened.
  useEffect(() => {
    if (!touched) setText(manual.join(', '));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the manual tags are what matter
  }, [manual.join(',')]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const typed = parseTags(text);
  const dirty = typed.join(',') !== manual.join(',');
  useUnsavedChanges(dirty);

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const saved = await api<Customer>('PUT', `/api/customers/${encodeURIComponent(customer.email)}/tags`, { tags: typed });
      setErrors([]);
      setText(saved.tags.filter((t) => !computed(t)).join(', '));
      setTyped(false);
      setStatus({ kind: 'success', message: __('Tags saved.', 'comeback') });
      onSaved(saved);
    } catch (error) {
      const e = asApiError(error);
      // "tags.1": name the tag the problem is about.
      const found = e.fieldErrors().map((f) => {
        const index = /^tags\.(\d+)$/.exec(f.field ?? '')?.[1];
        return index === undefined ? f : { ...f, message: `“${typed[Number(index)] ?? ''}”: ${f.message}` };
      });
      setErrors(found);
      setStatus({ kind: 'error', message: found.length ? __('These tags cannot be saved; nothing was changed.', 'comeback') : e.message });
    } finally {
      setBusy(false);
    }
  }

  const facts: Array<[string, string]> = [
    [__('Name', 'comeback'), fullName(customer) || '—'],
    [__('Phone', 'comeback'), customer.phone ?? '—'],
    [__('Orders', 'comeback'), String(customer.orders)],
    [__('Spent', 'comeback'), money(customer.totalSpent)],
    [__('First purchase', 'comeback'), day(customer.firstPurchaseAt)],
    [__('Last purchase', 'comeback'), day(customer.lastPurchaseAt)],
    [
      __('Buys every', 'comeback'),
      customer.averageDaysBetweenPurchases === null
        ? __('one purchase so far', 'comeback')
        : sprintf(__('%s days on average', 'comeback'), String(Math.round(customer.averageDaysBetweenPurchases))),
    ],
    [__('Next purchase expected', 'comeback'), day(customer.expectedNextPurchaseAt)],
  ];
  if (customer.country) facts.push([__('Country', 'comeback'), customer.country]);

  return (
    <Card className="comeback-detail" data-testid="customer-detail">
      <CardHeader>
        <strong>{customer.email}</strong>
        <Button variant="tertiary" onClick={onClose} aria-label={__('Close', 'comeback')}>
          ×
        </Button>
      </CardHeader>
      <CardBody>
        <dl className="comeback-facts">
          {facts.map(([label, value]) => (
            <div key={label} style={{ display: 'contents' }}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <h3 className="comeback-detail__title">{__('What they agreed to', 'comeback')}</h3>
        <CustomerConsents email={customer.email} phone={customer.phone} country={customer.country} />
        <h3 className="comeback-detail__title">{__('From their loyalty program', 'comeback')}</h3>
        <CustomerProfile email={customer.email} />
        <h3 className="comeback-detail__title">{__('Segments from their orders', 'comeback')}</h3>
        {customer.tags.filter(computed).length === 0 ? (
          <p className="comeback-muted">{__('None right now.', 'comeback')}</p>
        ) : (
          <ul>
            {customer.tags.filter(computed).map((t) => (
              <li key={t}>{segmentInWords(t)}</li>
            ))}
          </ul>
        )}
        <h3 className="comeback-detail__title">{__('Your tags', 'comeback')}</h3>
        <TextControl
          __nextHasNoMarginBottom
          name="tags"
          label={__('Tags, separated by commas', 'comeback')}
          value={text}
          placeholder="wholesale, newsletter"
          aria-invalid={errors.length > 0 || undefined}
          help={helpWith(
            __('Lower-case letters, digits, spaces, “-” and “_”. Flows and campaigns can pick customers by them.', 'comeback'),
            errors,
          )}
          onChange={(next) => (setText(next), setTyped(true), setErrors([]))}
        />
        <div className="comeback-row">
          <Button variant="primary" onClick={() => void save()} isBusy={busy} disabled={busy || !dirty} accessibleWhenDisabled>
            {__('Save tags', 'comeback')}
          </Button>
        </div>
        <StatusNotice status={status} onRemove={() => setStatus(null)} className="comeback-save-status" />
      </CardBody>
    </Card>
  );
}
