import { dateFormat } from './intl-cache.ts';
import type { DateNames } from './shop-formats.ts';

/**
 * [order_date format="…"] as WordPress's wp_date() writes it, because the shop employee knows
 * these letters from Settings → General: numbers in the shop's time zone, month and weekday names
 * and am/pm from the shop's own translations (DateNames), then WordPress's month declension for
 * languages that switch it on ("5 marca", not "5 marzec"). Letters not listed below print as they
 * are (nobody needs U or T in a reminder) and "\" escapes the next character. Without a format
 * the shop's date_format is used. The PHP plugin implements the same rules (render vectors).
 */
export function formatOrderDate(date: Date, timeZone: string, names: DateNames, format?: string): string {
  const pattern = format === undefined || format === '' ? names.format : format;
  const input: LetterInput = { names, parts: numericParts(date, timeZone) };
  let out = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\') {
      out += chars[++i] ?? '';
      continue;
    }
    const letter = LETTERS[ch];
    out += letter ? letter(input) : ch;
  }
  return names.declineMonths ? declineMonths(out, pattern, names) : out;
}

type LetterInput = { names: DateNames; parts: Parts };

const pad = (n: number) => String(n).padStart(2, '0');
const hour12 = (hour: number) => (hour % 12 === 0 ? 12 : hour % 12);

// Built once: formatting runs per recipient, so no closures are made per call.
const LETTERS: Record<string, (i: LetterInput) => string> = {
  d: (i) => pad(i.parts.day),
  j: (i) => String(i.parts.day),
  S: (i) => englishSuffix(i.parts.day),
  D: (i) => i.names.weekdaysShort[i.parts.weekday]!,
  l: (i) => i.names.weekdays[i.parts.weekday]!,
  N: (i) => String(i.parts.weekday === 0 ? 7 : i.parts.weekday),
  w: (i) => String(i.parts.weekday),
  m: (i) => pad(i.parts.month),
  n: (i) => String(i.parts.month),
  F: (i) => i.names.months[i.parts.month - 1]!,
  M: (i) => i.names.monthsShort[i.parts.month - 1]!,
  Y: (i) => String(i.parts.year),
  y: (i) => pad(i.parts.year % 100),
  H: (i) => pad(i.parts.hour),
  G: (i) => String(i.parts.hour),
  h: (i) => pad(hour12(i.parts.hour)),
  g: (i) => String(hour12(i.parts.hour)),
  i: (i) => pad(i.parts.minute),
  s: (i) => pad(i.parts.second),
  a: (i) => (i.parts.hour < 12 ? i.names.meridiem.am : i.names.meridiem.pm),
  A: (i) => (i.parts.hour < 12 ? i.names.meridiem.AM : i.names.meridiem.PM),
};

// A letter, digit or underscore in any script: PHP's \b under /u (PCRE with Unicode properties).
const WORD = '[\\p{L}\\p{N}_]';
const declensions = new WeakMap<DateNames, { afterDay: RegExp[]; beforeDay: RegExp[] }>();

/**
 * WordPress's wp_maybe_decline_date(): after a day number ("j F", "j. F") the month takes its
 * genitive; a month before the day ("F j", "F jS") is turned round into "j <genitive>".
 */
function declineMonths(date: string, format: string, names: DateNames): string {
  let patterns = declensions.get(names);
  if (!patterns) {
    const quoted = names.months.map((m) => m.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
    patterns = {
      afterDay: quoted.map((m) => new RegExp(` ${m}(?!${WORD})`, 'gu')),
      beforeDay: quoted.map((m) => new RegExp(`(?<!${WORD})${m} (\\d{1,2})(st|nd|rd|th)?([-–]\\d{1,2})?(st|nd|rd|th)?(?!${WORD})`, 'gu')),
    };
    declensions.set(names, patterns);
  }
  let out = date;
  if (/[dj]\.? F/.test(format)) {
    patterns.afterDay.forEach((re, i) => (out = out.replace(re, () => ` ${names.monthsGenitive[i]}`)));
  }
  if (/F [dj]/.test(format)) {
    patterns.beforeDay.forEach(
      (re, i) =>
        (out = out.replace(re, (_m, day: string, _s1, range: string | undefined) => `${day}${range ?? ''} ${names.monthsGenitive[i]}`)),
    );
  }
  return out;
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const NUMERIC_PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  weekday: 'short',
  hourCycle: 'h23',
};

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

/**
 * The date's fields in the shop's zone. WordPress sites set to a fixed UTC offset report
 * "+02:00" (wp_timezone_string()); that is applied by hand, any other name goes to Intl.
 */
function splitDate(date: Date, timeZone: string): Parts {
  const offset = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (offset) {
    const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
    const shifted = new Date(date.getTime() + minutes * 60_000);
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
      weekday: shifted.getUTCDay(),
    };
  }
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
