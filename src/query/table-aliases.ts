/**
 * Other names osquery accepts for a table (its specs' `table_name(..., aliases=[...])`), so pack
 * queries written against an alias run unchanged. osquery serves an alias as a view
 * `CREATE VIEW <alias> AS SELECT * FROM <table>`, so the alias has the table's visible
 * columns only; the engine does the same. Only the Linux aliases are listed; an alias whose
 * table this build does not serve is simply not created.
 */
export const OSQUERY_TABLE_ALIASES: Readonly<Record<string, string>> = {
  hosts: 'etc_hosts',
  syslog: 'syslog_events',
  configurations: 'augeas',
  yara: 'yara_file',
};

/** The table an alias names, or the name itself. */
export function aliasTarget(name: string): string {
  return Object.hasOwn(OSQUERY_TABLE_ALIASES, name) ? OSQUERY_TABLE_ALIASES[name]! : name;
}
