import type { z } from 'zod';

/** One problem of a refused body or query: the field's path ("steps.0.delay.value") and what is wrong, in plain words. */
export type FieldProblem = { field: string; message: string };

/**
 * What the merchant calls a field, by the last name in its path (or the last two): the words of
 * a 400's details and of the admin UI beside the field. Anything else is its name in words
 * ("linkGraceHours": "the link grace hours").
 */
const FIELD_NAMES: Record<string, string> = {
  subject: 'the subject',
  body: 'the text',
  onlineBody: 'the text for orders paid online',
  offlineBody: 'the text for orders paid by bank transfer or cheque',
  name: 'the name',
  'delay.value': 'the delay',
  'delay.unit': 'the unit of the delay',
  channels: 'the channels',
  steps: 'the steps',
  reminders: 'the reminders',
  sendAt: 'the send time',
  perMinute: 'the number of sends a minute',
  holdOutPercent: 'the hold-out share',
  tags: 'the segments',
  excludeTags: 'the segments left out',
  'sendWindow.start': 'the start of the send window',
  'sendWindow.end': 'the end of the send window',
  sendWindow: 'the send window',
  'trigger.event': 'the trigger',
  parameters: 'the template parameters',
  amount: 'the amount',
  atRiskFactor: 'the at-risk factor',
  key: 'the key',
  enabled: 'the on/off switch',
};

/** The field as the merchant names it: "the subject", "the delay", "item 2 of the segments". */
export function fieldName(path: readonly PropertyKey[]): string {
  const names = path.map(String);
  let end = names.length;
  while (end > 0 && /^\d+$/.test(names[end - 1]!)) end--;
  const item = end < names.length ? `item ${Number(names[end]) + 1} of ` : '';
  if (end === 0) return 'the request';
  const pair = end > 1 ? FIELD_NAMES[`${names[end - 2]}.${names[end - 1]}`] : undefined;
  const last = names[end - 1]!;
  const words = pair ?? FIELD_NAMES[last] ?? `the ${last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
  return item + words;
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const count = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

/** zod's own wording (v4 and the older forms); a message given in a schema is ours and already plain. */
const ZOD_WORDING = /^(Too (small|big)|Invalid|Unrecognized key|Expected |Required$|Number must|String must|Array must)/;

/**
 * A zod issue in the merchant's words, naming the field ("The subject is empty."), never zod's own
 * ("Too small: expected string to have >=1 characters"). Messages our schemas give (refinements,
 * "a time such as 09:00") already speak plainly and keep their words.
 */
export function plainMessage(issue: z.core.$ZodIssue): string {
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  const field = fieldName(issue.path);
  const The = sentence(field);
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      if (issue.origin === 'string') {
        if (small && Number(limit) === 1) return `${The} is empty.`;
        return small
          ? `${The} needs at least ${count(limit, 'character', 'characters')}.`
          : `${The} is too long: at most ${count(limit, 'character', 'characters')}.`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return small ? `${The}: at least ${limit} needed.` : `${The}: at most ${limit} allowed.`;
      }
      const bound = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
      return `${The} must be ${bound} ${String(limit)}.`;
    }
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) return `${The} is missing.`;
      const expected: Record<string, string> = {
        int: 'a whole number',
        number: 'a number',
        string: 'text',
        boolean: 'yes or no (true or false)',
        array: 'a list',
        object: 'a set of fields',
      };
      return `${The} must be ${expected[issue.expected] ?? `of the kind ${issue.expected}`}.`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `${The} must be ${String(issue.values[0])}.`
        : `${The} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_format':
      if (issue.format === 'email') return `${The} is not an email address.`;
      if (issue.format === 'datetime') return `${The} is not a date and time such as 2030-06-03T09:00:00Z.`;
      return `${The} is not in the expected form.`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `${The} must be one of: ${issue.options.map(String).join(', ')}.`
        : `${The} is not in any of the accepted forms.`;
    case 'unrecognized_keys':
      return `${The} has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not take: ${issue.keys.join(', ')}.`;
    case 'not_multiple_of':
      return `${The} must be a multiple of ${String(issue.divisor)}.`;
    default:
      return `${The} is not valid.`;
  }
}

/** Every issue of a failed parse as field and plain message: the details of every 400 that names fields. */
export function plainProblems(error: z.ZodError): FieldProblem[] {
  const problems = error.issues.map((issue) => ({ field: issue.path.join('.'), message: plainMessage(issue) }));
  // A field refused by its schema and again by a rule across fields (a delay) is named once.
  return problems.filter((p, i) => problems.findIndex((q) => q.field === p.field && q.message === p.message) === i);
}
