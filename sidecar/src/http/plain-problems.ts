import { __, _n, sprintf } from '@wordpress/i18n';
import type { z } from 'zod';

/** One problem of a refused body or query: the field's path ("steps.0.delay.value") and what is wrong, in plain words. */
export type FieldProblem = { field: string; message: string };

/**
 * What the merchant calls a field, by the last name in its path (or the last two): the words of
 * a 400's details and of the admin UI beside the field, in the request's language. Anything else
 * is its name in words ("linkGraceHours": "the link grace hours").
 */
function knownFieldName(name: string): string | undefined {
  switch (name) {
    case 'subject':
      return __('the subject', 'comeback');
    case 'body':
      return __('the text', 'comeback');
    case 'onlineBody':
      return __('the text for orders paid online', 'comeback');
    case 'offlineBody':
      return __('the text for orders paid by bank transfer or cheque', 'comeback');
    case 'name':
      return __('the name', 'comeback');
    case 'delay.value':
      return __('the delay', 'comeback');
    case 'delay.unit':
      return __('the unit of the delay', 'comeback');
    case 'channels':
      return __('the channels', 'comeback');
    case 'steps':
      return __('the steps', 'comeback');
    case 'reminders':
      return __('the reminders', 'comeback');
    case 'sendAt':
      return __('the send time', 'comeback');
    case 'perMinute':
      return __('the number of sends a minute', 'comeback');
    case 'holdOutPercent':
      return __('the hold-out share', 'comeback');
    case 'tags':
      return __('the segments', 'comeback');
    case 'excludeTags':
      return __('the segments left out', 'comeback');
    case 'sendWindow.start':
      return __('the start of the send window', 'comeback');
    case 'sendWindow.end':
      return __('the end of the send window', 'comeback');
    case 'sendWindow':
      return __('the send window', 'comeback');
    case 'trigger.event':
      return __('the trigger', 'comeback');
    case 'parameters':
      return __('the template parameters', 'comeback');
    case 'amount':
      return __('the amount', 'comeback');
    case 'atRiskFactor':
      return __('the at-risk factor', 'comeback');
    case 'key':
      return __('the key', 'comeback');
    case 'enabled':
      return __('the on/off switch', 'comeback');
    default:
      return undefined;
  }
}

/** The field as the merchant names it: "the subject", "the delay", "item 2 of the segments". */
export function fieldName(path: readonly PropertyKey[]): string {
  const names = path.map(String);
  let end = names.length;
  while (end > 0 && /^\d+$/.test(names[end - 1]!)) end--;
  if (end === 0) return __('the request', 'comeback');
  const pair = end > 1 ? knownFieldName(`${names[end - 2]}.${names[end - 1]}`) : undefined;
  const last = names[end - 1]!;
  const words =
    pair ??
    knownFieldName(last) ??
    // translators: %s: a field's name in words, e.g. "link grace hours".
    sprintf(__('the %s', 'comeback'), last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
  // translators: 1: the item's number in a list, 2: the list's field, e.g. "the segments".
  return end < names.length ? sprintf(__('item %1$d of %2$s', 'comeback'), Number(names[end]) + 1, words) : words;
}

/** A sentence about a field, capitalised once worded ("The subject is empty."): a translation may put the field anywhere. */
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** zod's own wording (v4 and the older forms); a message given in a schema is ours and already plain. */
const ZOD_WORDING = /^(Too (small|big)|Invalid|Unrecognized key|Expected |Required$|Number must|String must|Array must)/;

/**
 * A zod issue in the merchant's words, naming the field ("The subject is empty."), never zod's own
 * ("Too small: expected string to have >=1 characters"). Messages our schemas give (refinements,
 * "a time such as 09:00") already speak plainly and keep their words.
 */
export function plainMessage(issue: z.core.$ZodIssue): string {
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  return sentence(problemOf(issue, fieldName(issue.path)));
}

/** What is wrong with the field (worded by fieldName, lower case), in the request's language; plainMessage capitalises it. */
function problemOf(issue: z.core.$ZodIssue, field: string): string {
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      const n = Number(limit);
      if (issue.origin === 'string') {
        // translators: %s: the field, e.g. "the subject".
        if (small && n === 1) return sprintf(__('%s is empty.', 'comeback'), field);
        return small
          ? // translators: 1: the field, 2: the fewest characters it takes.
            sprintf(_n('%1$s needs at least %2$d character.', '%1$s needs at least %2$d characters.', n, 'comeback'), field, n)
          : // translators: 1: the field, 2: the most characters it takes.
            sprintf(_n('%1$s is too long: at most %2$d character.', '%1$s is too long: at most %2$d characters.', n, 'comeback'), field, n);
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return small
          ? // translators: 1: the field (a list), 2: the fewest items it takes.
            sprintf(__('%1$s: at least %2$s needed.', 'comeback'), field, String(limit))
          : // translators: 1: the field (a list), 2: the most items it takes.
            sprintf(__('%1$s: at most %2$s allowed.', 'comeback'), field, String(limit));
      }
      return bound(field, String(limit), small, Boolean(issue.inclusive));
    }
    case 'invalid_type': {
      // translators: %s: the field, e.g. "the subject".
      if (/received undefined$/.test(issue.message)) return sprintf(__('%s is missing.', 'comeback'), field);
      return expectedKind(field, issue.expected);
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? // translators: 1: the field, 2: the one value it takes.
          sprintf(__('%1$s must be %2$s.', 'comeback'), field, String(issue.values[0]))
        : oneOf(field, issue.values.map(String));
    case 'invalid_format':
      // translators: %s: the field, e.g. "the email".
      if (issue.format === 'email') return sprintf(__('%s is not an email address.', 'comeback'), field);
      // translators: %s: the field, e.g. "the send time".
      if (issue.format === 'datetime') return sprintf(__('%s is not a date and time such as 2030-06-03T09:00:00Z.', 'comeback'), field);
      // translators: %s: the field.
      return sprintf(__('%s is not in the expected form.', 'comeback'), field);
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? oneOf(field, issue.options.map(String))
        : // translators: %s: the field.
          sprintf(__('%s is not in any of the accepted forms.', 'comeback'), field);
    case 'unrecognized_keys':
      return sprintf(
        // translators: 1: the field (a set of fields), 2: the names it does not take.
        _n('%1$s has a field it does not take: %2$s.', '%1$s has fields it does not take: %2$s.', issue.keys.length, 'comeback'),
        field,
        issue.keys.join(', '),
      );
    case 'not_multiple_of':
      // translators: 1: the field, 2: a number.
      return sprintf(__('%1$s must be a multiple of %2$s.', 'comeback'), field, String(issue.divisor));
    default:
      // translators: %s: the field.
      return sprintf(__('%s is not valid.', 'comeback'), field);
  }
}

/** The field's number bound: "the amount must be at least 1". */
function bound(field: string, limit: string, small: boolean, inclusive: boolean): string {
  // translators: 1: the field, e.g. "the amount", 2: a number.
  if (small && inclusive) return sprintf(__('%1$s must be at least %2$s.', 'comeback'), field, limit);
  // translators: 1: the field, e.g. "the amount", 2: a number.
  if (small) return sprintf(__('%1$s must be more than %2$s.', 'comeback'), field, limit);
  // translators: 1: the field, e.g. "the amount", 2: a number.
  if (inclusive) return sprintf(__('%1$s must be at most %2$s.', 'comeback'), field, limit);
  // translators: 1: the field, e.g. "the amount", 2: a number.
  return sprintf(__('%1$s must be less than %2$s.', 'comeback'), field, limit);
}

/** The field takes a kind of value it was not given: "the delay must be a whole number". */
function expectedKind(field: string, kind: string): string {
  switch (kind) {
    case 'int':
      // translators: %s: the field, e.g. "the delay".
      return sprintf(__('%s must be a whole number.', 'comeback'), field);
    case 'number':
      // translators: %s: the field, e.g. "the amount".
      return sprintf(__('%s must be a number.', 'comeback'), field);
    case 'string':
      // translators: %s: the field, e.g. "the subject".
      return sprintf(__('%s must be text.', 'comeback'), field);
    case 'boolean':
      // translators: %s: the field, e.g. "the on/off switch".
      return sprintf(__('%s must be yes or no (true or false).', 'comeback'), field);
    case 'array':
      // translators: %s: the field, e.g. "the channels".
      return sprintf(__('%s must be a list.', 'comeback'), field);
    case 'object':
      // translators: %s: the field, e.g. "the send window".
      return sprintf(__('%s must be a set of fields.', 'comeback'), field);
    default:
      // translators: 1: the field, 2: the kind of value it takes, as the program names it.
      return sprintf(__('%1$s must be of the kind %2$s.', 'comeback'), field, kind);
  }
}

function oneOf(field: string, values: string[]): string {
  // translators: 1: the field, 2: the values it takes, e.g. "email, sms, whatsapp".
  return sprintf(__('%1$s must be one of: %2$s.', 'comeback'), field, values.join(', '));
}

/** Every issue of a failed parse as field and plain message: the details of every 400 that names fields. */
export function plainProblems(error: z.ZodError): FieldProblem[] {
  const problems = error.issues.map((issue) => ({ field: issue.path.join('.'), message: plainMessage(issue) }));
  // A field refused by its schema and again by a rule across fields (a delay) is named once.
  return problems.filter((p, i) => problems.findIndex((q) => q.field === p.field && q.message === p.message) === i);
}
