import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldName, plainProblems } from './plain-problems.ts';

const problems = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a refusal');
  return plainProblems(parsed.error);
};

describe('zod refusals in plain words', () => {
  it('names the field and says what is wrong, never in zod’s words', () => {
    const schema = z
      .object({
        steps: z.array(
          z.object({ email: z.object({ subject: z.string().min(1).max(5) }), delay: z.object({ value: z.number().int().min(0) }) }),
        ),
        perMinute: z.number().int().min(1).max(10),
        holdOutPercent: z.number().int().max(50),
        purpose: z.enum(['transactional', 'marketing']),
        sendAt: z.iso.datetime({ offset: true }),
        channels: z.array(z.string()).min(1),
        linkGraceHours: z.number(),
        enabled: z.boolean(),
        tags: z.array(z.string().max(3)),
      })
      .strict();
    const got = problems(schema, {
      steps: [
        { email: { subject: '' }, delay: { value: 1.5 } },
        { email: { subject: 'toolong' }, delay: { value: -1 } },
      ],
      perMinute: 0,
      holdOutPercent: 80,
      purpose: 'spam',
      sendAt: 'tomorrow',
      channels: [],
      linkGraceHours: 'x',
      tags: ['ok', 'long'],
      extra: 1,
    });
    expect(got).toEqual([
      { field: 'steps.0.email.subject', message: 'The subject is empty.' },
      { field: 'steps.0.delay.value', message: 'The delay must be a whole number.' },
      { field: 'steps.1.email.subject', message: 'The subject is too long: at most 5 characters.' },
      { field: 'steps.1.delay.value', message: 'The delay must be at least 0.' },
      { field: 'perMinute', message: 'The number of sends a minute must be at least 1.' },
      { field: 'holdOutPercent', message: 'The hold-out share must be at most 50.' },
      { field: 'purpose', message: 'The purpose must be one of: transactional, marketing.' },
      { field: 'sendAt', message: 'The send time is not a date and time such as 2030-06-03T09:00:00Z.' },
      { field: 'channels', message: 'The channels: at least 1 needed.' },
      { field: 'linkGraceHours', message: 'The link grace hours must be a number.' },
      { field: 'enabled', message: 'The on/off switch is missing.' },
      { field: 'tags.1', message: 'Item 2 of the segments is too long: at most 3 characters.' },
      { field: '', message: 'The request has a field it does not take: extra.' },
    ]);
    for (const p of got) expect(p.message).not.toMatch(/Too small|Too big|Invalid|expected/);
  });

  it('keeps the words a schema gives', () => {
    const schema = z.object({
      start: z.string().regex(/^\d\d:\d\d$/, 'a time such as 09:00'),
      n: z.number().refine((n) => n !== 3, 'not three'),
    });
    expect(problems(schema, { start: '9', n: 3 })).toEqual([
      { field: 'start', message: 'a time such as 09:00' },
      { field: 'n', message: 'not three' },
    ]);
  });

  it('calls a field by its name in words when it has no other', () => {
    expect(fieldName(['trigger', 'event'])).toBe('the trigger');
    expect(fieldName(['sendWindow', 'start'])).toBe('the start of the send window');
    expect(fieldName(['frequencyCap', 'messages'])).toBe('the messages');
    expect(fieldName(['atRiskFactor'])).toBe('the at-risk factor');
    expect(fieldName(['cartConsentText'])).toBe('the cart consent text');
    expect(fieldName([])).toBe('the request');
  });
});
