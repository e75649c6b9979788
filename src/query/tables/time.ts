/** osquery's `time`: the current time in UTC (one row). */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';

const spec = osqueryTableSpec('time');

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** osquery's log timestamp: "Mon Nov 23 09:45:46 2026 UTC" (strftime "%a %b %e %H:%M:%S %Y UTC": the day is space-padded). */
export function osqueryTimestamp(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${SHORT_DAYS[d.getUTCDay()]} ${SHORT_MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()} UTC`;
}

function localTimezone(d: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
    return part?.value ?? 'UTC';
  } catch {
    return 'UTC';
  }
}

export const table: Table = {
  spec,
  *generate() {
    const d = new Date();
    const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    yield {
      weekday: WEEKDAYS[d.getUTCDay()]!,
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minutes: d.getUTCMinutes(),
      seconds: d.getUTCSeconds(),
      timezone: 'UTC',
      local_timezone: localTimezone(d),
      unix_time: Math.floor(d.getTime() / 1000),
      timestamp: osqueryTimestamp(d),
      datetime: iso,
      iso_8601: iso,
    };
  },
};
