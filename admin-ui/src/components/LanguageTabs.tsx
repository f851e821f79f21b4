import { Button, SelectControl, VisuallyHidden } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import type { MessageChannel } from '@comeback/sidecar/api-contracts';
import { CHANNEL_LABELS } from './channel-words.ts';
import type { Question } from './ConfirmDialog.tsx';
import { languageName, languageOnly } from './languages.ts';

/** The default text's tab; every other tab is a WordPress locale. */
export const DEFAULT_TAB = 'default';

type Props = {
  /** "Texts of step 2 by language": the tab list's name for a screen reader. */
  label: string;
  /** Where the texts are in the API's errors ("steps.1", "reminders.0"): a refused translation's tab is opened to show it. */
  at: string;
  /** The languages with texts (anywhere in the flow, or in any reminder), in order. */
  locales: string[];
  selected: string;
  onSelect: (tab: string) => void;
  /** The channels a language has no text for yet (their customers get the default), and whether its texts have problems. */
  missing: (locale: string) => MessageChannel[];
  problems: (locale: string) => boolean;
  /** The languages to offer when adding one, the shop's first. */
  offered: string[];
  onAdd: (locale: string) => void;
  /** Asked for once: the caller confirms before it removes. */
  onRemove: (locale: string) => void;
  /** The selected tab's fields. */
  children: ReactNode;
};

/**
 * Tabs for a text's languages: "Default" and each language, the one selected showing its fields
 * below. A language whose texts are missing for a channel the step sends by is marked with a dot
 * (named for a screen reader, spelled out in its tooltip); one with problems too. The arrow keys
 * move between tabs, as in every tab list. After the tabs: add a language, remove the one shown.
 */
export function LanguageTabs(props: Props) {
  const id = useId();
  const [adding, setAdding] = useState('');
  const list = useRef<HTMLDivElement>(null);
  const tabs = [DEFAULT_TAB, ...props.locales];
  const selected = tabs.includes(props.selected) ? props.selected : DEFAULT_TAB;
  const tabId = (tab: string) => `${id}-tab-${tab}`;
  const choice = props.offered.includes(adding) ? adding : (props.offered[0] ?? '');

  function onKeyDown(event: KeyboardEvent) {
    const by = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!by) return;
    event.preventDefault();
    const next = tabs[(tabs.indexOf(selected) + by + tabs.length) % tabs.length]!;
    props.onSelect(next);
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[id="${tabId(next)}"]`)?.focus());
  }

  return (
    <div className="comeback-languages" data-texts-at={props.at}>
      <div className="comeback-languages__bar">
        <div className="comeback-languages__tabs" role="tablist" aria-label={props.label} ref={list} onKeyDown={onKeyDown}>
          {tabs.map((tab) => {
            const missing = tab === DEFAULT_TAB ? [] : props.missing(tab);
            const problems = tab !== DEFAULT_TAB && props.problems(tab);
            const marked = missing.length > 0 || problems;
            const tip = [
              missing.length > 0 &&
                // translators: 1: channels such as "Email, SMS"; 2: a language's name
                sprintf(__('No %1$s text in %2$s yet: the default text goes.', 'comeback'), channelList(missing), languageOnly(tab)),
              problems && __('Some texts in this language have problems.', 'comeback'),
            ]
              .filter(Boolean)
              .join(' ');
            return (
              <button
                key={tab}
                type="button"
                role="tab"
                id={tabId(tab)}
                aria-selected={tab === selected}
                aria-controls={`${id}-panel`}
                tabIndex={tab === selected ? 0 : -1}
                className={`comeback-languages__tab${tab === selected ? ' is-selected' : ''}${marked ? ' is-marked' : ''}`}
                data-locale={tab}
                data-missing={missing.join(' ') || undefined}
                title={tip || undefined}
                onClick={() => props.onSelect(tab)}
              >
                {tab === DEFAULT_TAB ? __('Default', 'comeback') : languageName(tab)}
                {marked && (
                  <>
                    <span className="comeback-languages__dot" aria-hidden="true" />
                    <VisuallyHidden>
                      {problems ? __('(texts with problems)', 'comeback') : __('(missing texts)', 'comeback')}
                    </VisuallyHidden>
                  </>
                )}
              </button>
            );
          })}
        </div>
        <div className="comeback-languages__add">
          {props.offered.length > 0 && (
            <>
              <SelectControl
                __nextHasNoMarginBottom
                label={__('Add a language', 'comeback')}
                value={choice}
                options={props.offered.map((l) => ({ value: l, label: languageName(l) }))}
                onChange={setAdding}
              />
              <Button
                variant="secondary"
                size="small"
                onClick={() => {
                  props.onAdd(choice);
                  props.onSelect(choice);
                }}
                disabled={!choice}
                accessibleWhenDisabled
              >
                {__('Add', 'comeback')}
              </Button>
            </>
          )}
          {selected !== DEFAULT_TAB && (
            <Button variant="tertiary" size="small" isDestructive onClick={() => props.onRemove(selected)}>
              {sprintf(__('Remove %s', 'comeback'), languageOnly(selected))}
            </Button>
          )}
        </div>
      </div>
      <div
        className="comeback-languages__panel"
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={tabId(selected)}
        data-locale={selected}
      >
        {props.children}
      </div>
    </div>
  );
}

/**
 * Opens the language tab a field is on ("steps.1.translations.pl_PL.sms.body": step 2's Polish tab),
 * so a refused text in a language not shown can be focused. React applies a click's change at once.
 */
export function revealLanguageTab(field: string): void {
  const match = /^(.+?)\.translations\.([^.]+)\./.exec(field);
  if (!match) return;
  const [, at, locale] = match;
  const tab = document.querySelector<HTMLElement>(
    `.comeback-languages[data-texts-at="${CSS.escape(at!)}"] [role="tab"][data-locale="${CSS.escape(locale!)}"]`,
  );
  if (tab?.getAttribute('aria-selected') === 'false') flushSync(() => tab.click());
}

/** "Email and SMS": the channels named as the editor names them. */
function channelList(channels: MessageChannel[]): string {
  try {
    return new Intl.ListFormat(document.documentElement.lang || 'en', { type: 'conjunction' }).format(
      channels.map((c) => CHANNEL_LABELS[c]),
    );
  } catch {
    return channels.map((c) => CHANNEL_LABELS[c]).join(', ');
  }
}

const removalText = {
  steps: () =>
    // translators: both %s are a language's name, e.g. "Polish"
    __('The %1$s texts of every step of this flow are removed; once you save, customers in %2$s get the default text.', 'comeback'),
  // translators: both %s are a language's name, e.g. "Polish"
  reminders: () => __('The %1$s texts of every reminder are removed; once you save, customers in %2$s get the default text.', 'comeback'),
  // translators: both %s are a language's name, e.g. "Polish"
  message: () => __('The %1$s texts of this message are removed; once you save, customers in %2$s get the default text.', 'comeback'),
};

/** The question before a language's texts go from every step of a flow (every reminder, a campaign's message); Discard changes brings them back until a save. */
export function languageRemoval(locale: string, from: 'steps' | 'reminders' | 'message'): Question {
  const name = languageOnly(locale);
  return {
    // translators: %s is a language's name, e.g. "Polish"
    title: sprintf(__('Remove the %s texts?', 'comeback'), name),
    message: sprintf(removalText[from](), name, name),
    confirmLabel: sprintf(__('Remove %s', 'comeback'), name),
    destructive: true,
  };
}
