import { dateFormat } from './intl-cache.ts';

/**
 * [order_date format="…"] takes WordPress/PHP date() letters, because that is what the shop
 * employee knows from Settings → General. Numbers come from Intl in the shop's time zone; names of
 * months and weekdays are localised with Intl. Letters not listed below are printed as they are
 * (PHP would print e.g. U or T; nobody needs them in a reminder), "\" escapes the next character.
 * Without a format the locale's long date style is used.
 */
export function formatOrderDate(date: Date, locale: string, timeZone: string, format?: string): string {
  if (format === undefined || format === '') return dateFormat(locale, timeZone, { dateStyle: 'long' }).format(date);
  const p = numericParts(date, timeZone);
  const name = (options: Intl.DateTimeFormatOptions) => dateFormat(locale, timeZone, options).format(date);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const letters: Record<string, () => string> = {
    d: () => pad(p.day),
    j: () => String(p.day),
    S: () => englishSuffix(p.day),
    D: () => name({ weekday: 'short' }),
    l: () => name({ weekday: 'long' }),
    N: () => String(p.weekday === 0 ? 7 : p.weekday),
    w: () => String(p.weekday),
    m: () => pad(p.month),
    n: () => String(p.month),
    F: () => name({ month: 'long' }),
    M: () => name({ month: 'short' }),
    Y: () => String(p.year),
    y: () => pad(p.year % 100),
    H: () => pad(p.hour),
    G: () => String(p.hour),
    h: () => pad(hour12),
    g: () => String(hour12),
    i: () => pad(p.minute),
    s: () => pad(p.second),
    a: () => (p.hour < 12 ? 'am' : 'pm'),
    A: () => (p.hour < 12 ? 'AM' : 'PM'),
  };
  let out = '';
  const chars = [...format];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\') {
      out += chars[++i] ?? '';
      continue;
    }
    const letter = letters[ch];
    out += letter ? letter() : ch;
  }
  return out;
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function numericParts(date: Date, timeZone: string): Parts {
  // en-US with h23 gives ASCII digits and English weekday abbreviations whatever the shop locale.
  const parts = dateFormat('en-US', timeZone, {
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    weekday: 'short', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')) % 24,
    minute: Number(get('minute')),
    second: Number(get('second')),
    weekday: WEEKDAYS.indexOf(get('weekday')),
  };
}

/** PHP's "S" is English-only (st, nd, rd, th), as in WordPress. */
function englishSuffix(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}
