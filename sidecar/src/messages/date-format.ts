import { dateFormat } from './intl-cache.ts';

/**
 * [order_date format="…"] takes WordPress/PHP date() letters, because that is what the shop
 * employee knows from Settings → General. Numbers come from Intl in the shop's time zone; names of
 * months and weekdays are localised with Intl. Letters not listed below are printed as they are
 * (PHP would print e.g. U or T; nobody needs them in a reminder), "\" escapes the next character.
 * Without a format the locale's long date style is used.
 */
export function formatOrderDate(date: Date, locale: string, timeZone: string, format?: string): string {
  if (format === undefined || format === '') return dateFormat(locale, timeZone, LONG_DATE).format(date);
  const input: LetterInput = { date, locale, timeZone, parts: numericParts(date, timeZone) };
  let out = '';
  const chars = [...format];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\') {
      out += chars[++i] ?? '';
      continue;
    }
    const letter = LETTERS[ch];
    out += letter ? letter(input) : ch;
  }
  return out;
}

type LetterInput = { date: Date; locale: string; timeZone: string; parts: Parts };

const pad = (n: number) => String(n).padStart(2, '0');
const hour12 = (hour: number) => (hour % 12 === 0 ? 12 : hour % 12);
const named = (i: LetterInput, options: Intl.DateTimeFormatOptions) => dateFormat(i.locale, i.timeZone, options).format(i.date);
const WEEKDAY_SHORT: Intl.DateTimeFormatOptions = { weekday: 'short' };
const WEEKDAY_LONG: Intl.DateTimeFormatOptions = { weekday: 'long' };
const MONTH_LONG: Intl.DateTimeFormatOptions = { month: 'long' };
const MONTH_SHORT: Intl.DateTimeFormatOptions = { month: 'short' };
const LONG_DATE: Intl.DateTimeFormatOptions = { dateStyle: 'long' };
const NUMERIC_PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  weekday: 'short', hourCycle: 'h23',
};

// Built once: formatting runs per recipient, so no closures are made per call.
const LETTERS: Record<string, (i: LetterInput) => string> = {
  d: (i) => pad(i.parts.day),
  j: (i) => String(i.parts.day),
  S: (i) => englishSuffix(i.parts.day),
  D: (i) => named(i, WEEKDAY_SHORT),
  l: (i) => named(i, WEEKDAY_LONG),
  N: (i) => String(i.parts.weekday === 0 ? 7 : i.parts.weekday),
  w: (i) => String(i.parts.weekday),
  m: (i) => pad(i.parts.month),
  n: (i) => String(i.parts.month),
  F: (i) => named(i, MONTH_LONG),
  M: (i) => named(i, MONTH_SHORT),
  Y: (i) => String(i.parts.year),
  y: (i) => pad(i.parts.year % 100),
  H: (i) => pad(i.parts.hour),
  G: (i) => String(i.parts.hour),
  h: (i) => pad(hour12(i.parts.hour)),
  g: (i) => String(hour12(i.parts.hour)),
  i: (i) => pad(i.parts.minute),
  s: (i) => pad(i.parts.second),
  a: (i) => (i.parts.hour < 12 ? 'am' : 'pm'),
  A: (i) => (i.parts.hour < 12 ? 'AM' : 'PM'),
};

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Recently split dates: one message shows its order's date in the subject, the HTML and the text. */
const recentParts = new Map<string, Parts>();

function numericParts(date: Date, timeZone: string): Parts {
  const key = `${date.getTime()}|${timeZone}`;
  let parts = recentParts.get(key);
  if (!parts) {
    if (recentParts.size >= 256) recentParts.clear();
    recentParts.set(key, (parts = splitDate(date, timeZone)));
  }
  return parts;
}

function splitDate(date: Date, timeZone: string): Parts {
  // en-US with h23 gives ASCII digits and English weekday abbreviations whatever the shop locale.
  const parts = dateFormat('en-US', timeZone, NUMERIC_PARTS).formatToParts(date);
  const value: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of parts) value[part.type] = part.value;
  return {
    year: Number(value.year),
    month: Number(value.month),
    day: Number(value.day),
    hour: Number(value.hour) % 24,
    minute: Number(value.minute),
    second: Number(value.second),
    weekday: WEEKDAYS.indexOf(value.weekday ?? ''),
  };
}

/** PHP's "S" is English-only (st, nd, rd, th), as in WordPress. */
function englishSuffix(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}
