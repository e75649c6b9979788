/**
 * docs/tables.md, generated from the table specs (osquery's schema facts joined to our
 * descriptions), so the table reference never disagrees with what the engine serves.
 * `npm run docs` writes it; a test fails when the committed file is stale.
 */
import { markdownCell, tableMarkdown } from './table-docs.js';
import type { TableSpec } from './table.js';
import { TABLE_LOADERS } from './tables/index.js';

export const TABLES_DOC = 'docs/tables.md';

/** osquery_info and osquery_schedule are our spyglass_* tables under osquery's names: documented once. */
function isOsqueryAlias(name: string): boolean {
  return name.startsWith('osquery_') && `spyglass_${name.slice('osquery_'.length)}` in TABLE_LOADERS;
}

export async function tablesReferenceMarkdown(): Promise<string> {
  const specs: TableSpec[] = [];
  for (const name of Object.keys(TABLE_LOADERS).sort()) {
    if (!isOsqueryAlias(name)) specs.push((await TABLE_LOADERS[name]!()).table.spec);
  }
  const aliases = Object.keys(TABLE_LOADERS).filter(isOsqueryAlias).sort();
  return [
    '# SQL tables',
    '',
    '<!-- Generated from the table specs by `npm run docs`; do not edit by hand. -->',
    '',
    `The ${specs.length} tables \`spyglass query\`, \`spyglass shell\` and scheduled packs can read. Table and`,
    "column names, column order, types and flags are osquery's (its Linux schema, vendored in",
    '`src/query/schema/osquery-linux-tables.ts`), so existing queries and packs run unchanged; the',
    'descriptions say what Spyglass puts in each column. Flags: `required`, a query must constrain the',
    'column; `index`, a constraint on it narrows what is read; `hidden`, left out of `SELECT *` but',
    `selectable by name. ${aliases.map((a) => `\`${a}\``).join(' and ')} are served too, as the`,
    `${aliases.map((a) => `\`spyglass_${a.slice('osquery_'.length)}\``).join(' and ')} tables under osquery's names.`,
    'Live-only tables describe the running system and are empty, with a warning, on another `--root`.',
    '',
    '| table | description |',
    '| --- | --- |',
    ...specs.map((s) => `| [${s.name}](#${s.name}) | ${markdownCell(s.description)}${s.liveOnly ? ' (live only)' : ''} |`),
    '',
    specs.map(tableMarkdown).join('').trimEnd(),
    '',
  ].join('\n');
}

// `node --import tsx src/query/tables-reference.ts` (npm run docs) writes the file.
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(TABLES_DOC, await tablesReferenceMarkdown());
  process.stdout.write(`wrote ${TABLES_DOC}\n`);
}
