/** Wall-clock time in IANA zones, without a time-zone library: Intl reads the zone's rules. */

/**
 * A fixed UTC offset ("+02:00", "-05:30") in minutes, null for an IANA name. WordPress sites set to
 * an offset instead of a city report one (wp_timezone_string()), and Intl before Node 22 takes none.
 */
function offsetMinutes(timeZone: string): number | null {
  const offset = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  return offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : null;
}

/** The local date and minute of the day of an instant in `timeZone` (an IANA name or a fixed offset). */
export function localParts(at: Date, timeZone: string): { y: number; m: number; d: number; minutes: number } {
  const offset = offsetMinutes(timeZone);
  if (offset !== null) {
    const shifted = new Date(at.getTime() + offset * 60_000);
    return {
      y: shifted.getUTCFullYear(),
      m: shifted.getUTCMonth() + 1,
      d: shifted.getUTCDate(),
      minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    };
  }
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

/** "2026-01-15T09:00", the value of a datetime-local field, for an instant as the clock in `timeZone` shows it. */
export function wallClockInput(at: Date, timeZone: string): string {
  const { y, m, d, minutes } = localParts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${y}-${pad(m)}-${pad(d)}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The instant a datetime-local value ("2026-01-15T09:00") means on the clock in `timeZone`; null when it is no such value. */
export function instantOfWallClock(value: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value);
  if (!match) return null;
  const [, y, m, d, h, min] = match.map(Number) as [number, number, number, number, number, number];
  return zonedInstant(y, m, d, h * 60 + min, timeZone);
}

/** The last second of the local day `at` falls on in `timeZone` (23:59:59 there, DST included). */
export function endOfLocalDay(at: Date, timeZone: string): Date {
  const local = localParts(at, timeZone);
  return new Date(zonedInstant(local.y, local.m, local.d, 24 * 60, timeZone).getTime() - 1000);
}
