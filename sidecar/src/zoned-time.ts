/** Wall-clock time in IANA zones, without a time-zone library: Intl reads the zone's rules. */

/** The local date and minute of the day of an instant in `timeZone`. */
export function localParts(at: Date, timeZone: string): { y: number; m: number; d: number; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The instant a local wall-clock time happens in `timeZone` (the later one across a DST gap). */
export function zonedInstant(y: number, m: number, d: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const local = localParts(new Date(guess), timeZone);
    const seen = Date.UTC(local.y, local.m - 1, local.d, 0, local.minutes);
    if (seen === wall) break;
    guess += wall - seen;
  }
  return new Date(guess);
}

/** The last second of the local day `at` falls on in `timeZone` (23:59:59 there, DST included). */
export function endOfLocalDay(at: Date, timeZone: string): Date {
  const local = localParts(at, timeZone);
  return new Date(zonedInstant(local.y, local.m, local.d, 24 * 60, timeZone).getTime() - 1000);
}
