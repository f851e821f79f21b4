import { Button, Modal } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useCallback, useState, type ReactNode } from 'react';

/** What a confirmation asks: the action named on its button (never a bare "OK"), and what it does. */
export type Question = {
  title: string;
  message: ReactNode;
  /** The button that does it: "Stop reminders", "Schedule for 5 May, 10:00". */
  confirmLabel: string;
  /** The button that does nothing. */
  cancelLabel?: string;
  destructive?: boolean;
};

/**
 * A question before an action that cannot be taken back. WordPress's Modal traps the focus inside
 * (first on Cancel, so a stray Enter does nothing) and gives it back on close; Escape and the close
 * button answer no; only the action's own button, named for it, answers yes.
 */
export function ConfirmDialog({ question, onAnswer }: { question: Question; onAnswer: (yes: boolean) => void }) {
  return (
    <Modal
      title={question.title}
      onRequestClose={() => onAnswer(false)}
      focusOnMount="firstContentElement"
      className="comeback-confirm"
      size="small"
      role="alertdialog"
    >
      <div className="comeback-confirm__message">{question.message}</div>
      <div className="comeback-row comeback-confirm__buttons">
        <Button variant="tertiary" onClick={() => onAnswer(false)}>
          {question.cancelLabel ?? __('Cancel', 'comeback')}
        </Button>
        <Button variant="primary" isDestructive={question.destructive} onClick={() => onAnswer(true)}>
          {question.confirmLabel}
        </Button>
      </div>
    </Modal>
  );
}

/**
 * `confirm(question)` resolves true once the merchant takes the action, false when they cancel;
 * `dialog` is rendered where the screen is (null while nothing is asked).
 */
export function useConfirm(): { confirm: (question: Question) => Promise<boolean>; dialog: ReactNode } {
  const [asked, setAsked] = useState<{ question: Question; resolve: (yes: boolean) => void } | null>(null);
  const confirm = useCallback((question: Question) => new Promise<boolean>((resolve) => setAsked({ question, resolve })), []);
  const dialog = asked && (
    <ConfirmDialog
      question={asked.question}
      onAnswer={(yes) => {
        setAsked(null);
        asked.resolve(yes);
      }}
    />
  );
  return { confirm, dialog };
}
