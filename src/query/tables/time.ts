/** osquery's `time`: the current time in UTC (one row). */
import type { Table, TableSpec } from '../table.js';

const spec: TableSpec = {
  name: 'time',
  description: "Track current date and time in UTC.",
  columns: [
    { name: 'weekday', type: 'TEXT', description: "Current weekday in UTC" },
    { name: 'year', type: 'INTEGER', description: "Current year in UTC" },
    { name: 'month', type: 'INTEGER', description: "Current month in UTC" },
    { name: 'day', type: 'INTEGER', description: "Current day in UTC" },
    { name: 'hour', type: 'INTEGER', description: "Current hour in UTC" },
    { name: 'minutes', type: 'INTEGER', description: "Current minutes in UTC" },
    { name: 'seconds', type: 'INTEGER', description: "Current seconds in UTC" },
    { name: 'timezone', type: 'TEXT', description: "Timezone for reported time (hardcoded to UTC)" },
    { name: 'local_timezone', type: 'TEXT', description: "Current local timezone in of the system" },
    { name: 'unix_time', type: 'INTEGER', description: "Current UNIX time in UTC" },
    { name: 'timestamp', type: 'TEXT', description: "Current timestamp (log format) in UTC" },
    { name: 'datetime', type: 'TEXT', description: "Current date and time (ISO format) in UTC" },
    { name: 'iso_8601', type: 'TEXT', description: "Current time (ISO format) in UTC" },
  ],
};

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
