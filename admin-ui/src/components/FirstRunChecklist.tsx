import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { FirstRunChecklist as Checklist, FirstRunItem } from '@comeback/sidecar/api-contracts';
import { api } from '../api.ts';
import { asApiError, useLoad } from './async.tsx';

type ItemWords = { title: string; how: string; tab: string; open: string; tick?: string };

const ITEMS: Record<FirstRunItem, ItemWords> = {
  connect: {
    title: __('Connect your shop', 'comeback'),
    how: __('Comeback reads your orders and hears about new ones from WooCommerce.', 'comeback'),
    tab: 'connection',
    open: __('Open Connection', 'comeback'),
  },
  sender: {
    title: __('Check who your emails come from', 'comeback'),
    how: __('Customers see your shop’s name and address as the sender, taken from WooCommerce’s email settings.', 'comeback'),
    tab: 'connection',
    open: __('See the sender', 'comeback'),
    tick: __('The sender is right', 'comeback'),
  },
  reminder: {
    title: __('Read the unpaid-order reminder', 'comeback'),
    how: __('The email a customer gets when an order is still unpaid: change the words until they sound like your shop.', 'comeback'),
    tab: 'recovery',
    open: __('Open Recovery', 'comeback'),
    tick: __('I have read it', 'comeback'),
  },
  test: {
    title: __('Send yourself a test', 'comeback'),
    how: __('On the Recovery screen, “Send me a test” mails the reminder to you, filled in with one of your orders.', 'comeback'),
    tab: 'recovery',
    open: __('Open Recovery', 'comeback'),
  },
  'switch-on': {
    title: __('Switch reminders on', 'comeback'),
    how: __('Until then no customer gets anything from Comeback.', 'comeback'),
    tab: 'recovery',
    open: __('Open Recovery', 'comeback'),
  },
};

/**
 * The first-run checklist above every screen until each item is done: connect, check the sender,
 * read the reminder, send a test, switch on. What the shop shows is ticked by itself; the two
 * judgements are the merchant's to tick. `seen` changes when the merchant moves between screens,
 * so an item done on one screen is ticked when they come back.
 */
export function FirstRunChecklist({ seen, onOpen }: { seen: string; onOpen: (tab: string) => void }) {
  const checklist = useLoad(() => api<Checklist>('GET', '/api/setup/first-run'), `first-run:${seen}`);
  const [problem, setProblem] = useState<string | null>(null);
  const data = checklist.data;
  if (!data || data.done) return null;

  async function tick(item: FirstRunItem) {
    setProblem(null);
    try {
      await api('POST', `/api/setup/first-run/${item}`, { done: true });
      checklist.reload();
    } catch (error) {
      setProblem(asApiError(error).message);
    }
  }

  const doneCount = data.items.filter((i) => i.done).length;
  const next = data.items.find((i) => !i.done)?.key;
  return (
    <section className="comeback-first-run" aria-labelledby="comeback-first-run-title">
      <h2 id="comeback-first-run-title">{__('Before your first reminder goes out', 'comeback')}</h2>
      <p className="comeback-muted">{sprintf(__('%1$d of %2$d done', 'comeback'), doneCount, data.items.length)}</p>
      {problem && (
        <Notice status="error" onRemove={() => setProblem(null)}>
          {problem}
        </Notice>
      )}
      <ol className="comeback-first-run-items">
        {data.items.map(({ key, done }) => {
          const words = ITEMS[key];
          return (
            <li key={key} className={done ? 'is-done' : key === next ? 'is-next' : undefined} data-item={key}>
              <span className="comeback-first-run-mark" aria-hidden="true">
                {done ? '✓' : '○'}
              </span>
              <div>
                <strong>{words.title}</strong>
                <span className="comeback-visually-hidden">{done ? __('(done)', 'comeback') : __('(to do)', 'comeback')}</span>
                {!done && <p>{words.how}</p>}
                {!done && (
                  <div className="comeback-first-run-actions">
                    <Button variant={key === next ? 'primary' : 'secondary'} onClick={() => onOpen(words.tab)}>
                      {words.open}
                    </Button>
                    {words.tick && (
                      <Button variant="tertiary" onClick={() => void tick(key)}>
                        {words.tick}
                      </Button>
                    )}
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
