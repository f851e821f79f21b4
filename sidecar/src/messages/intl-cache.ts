/**
 * Intl date formatters are expensive to build (tens of µs) and renders run per recipient, so they are
 * kept per (locale, options). The map is cleared when it grows past a bound: the working set is a
 * handful of shop locales/currencies, so a crude bound is enough to stop unbounded growth.
 */
const MAX = 256;
// Keyed first by the options object (call sites pass constants), so no key is serialised per call.
const dateFormats = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();

function remember<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= MAX) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

/** WordPress stores locales as "de_DE"; Intl wants "de-DE". Unknown tags fall back to English. */
export function normalizeLocale(locale: string): string {
  const tag = locale.replaceAll('_', '-');
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

export function dateFormat(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let byZone = dateFormats.get(options);
  if (!byZone) dateFormats.set(options, (byZone = new Map()));
  return remember(
    byZone,
    `${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(normalizeLocale(locale), { ...options, timeZone: safeZone(timeZone) }),
  );
}
