/**
 * `spyglass tables [--schema NAME] [-f table|json|markdown]`: the SQL tables, and a
 * table's columns with osquery's types and flags. All of it comes from the tables' specs.
 */
import type { Command } from 'commander';
import { SpyglassError } from '../../core/errors.js';

export function register(program: Command): void {
  program
    .command('tables')
    .description('List the SQL tables, or show one table\'s schema')
    .option('--schema <name>', 'show this table\'s columns')
    .option('-f, --format <format>', 'table, json or markdown (text: table, as before)', 'table')
    .action(async (opts: { schema?: string; format: string }) => {
      const [{ QueryEngine }, { nearestNames }, doc] = await Promise.all([
        import('../../query/engine.js'),
        import('../../core/nearest-names.js'),
        import('../../query/table-docs.js'),
      ]);
      // "table" as query and audit name their human format; "text" was this command's name for it
      if (opts.format === 'text') opts.format = 'table';
      if (!['table', 'json', 'markdown'].includes(opts.format)) throw new SpyglassError('usage', `unknown format "${opts.format}" (table, json, markdown)`);
      const engine = new QueryEngine();
      if (opts.schema !== undefined) {
        const spec = await engine.spec(opts.schema);
        if (!spec) {
          const near = nearestNames(opts.schema, engine.tableNames());
          throw new SpyglassError('unknown_table', `no such table: ${opts.schema}${near.length ? `; did you mean ${near.join(', ')}?` : ''}`, { table: opts.schema });
        }
        process.stdout.write(opts.format === 'json' ? JSON.stringify(spec, null, 2) + '\n' : opts.format === 'markdown' ? doc.tableMarkdown(spec) : doc.tableSchemaText(spec));
        return;
      }
      for (const failure of await engine.loadAllTables()) process.stderr.write(`spyglass: ${failure.message}\n`);
      const specs = engine.loadedTables().map((t) => t.spec).sort((a, b) => a.name.localeCompare(b.name));
      if (opts.format === 'json') process.stdout.write(JSON.stringify(specs, null, 2) + '\n');
      else if (opts.format === 'markdown') process.stdout.write(doc.tablesMarkdown(specs));
      else process.stdout.write(doc.tableListText(specs));
    });
}
