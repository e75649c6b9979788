/**
 * osquery's `npm_packages`: Node.js packages installed globally (/usr/lib/node_modules,
 * /usr/local/lib/node_modules, and each user's ~/.npm-global/lib/node_modules), or in a
 * project when the query gives `directory = '/path/to/project'` (its node_modules).
 * Scoped packages (@scope/name) are included. `depth` is 0 for top-level packages; nested
 * node_modules are read down to `max_depth` (hidden column; 100 unless the query sets it,
 * -1 is taken as 100 too: the cap that keeps a symlinked dependency cycle finite).
 */
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { listDirSync, readTextSync, statSync, usersWithHomes } from '../table-support/host-files.js';

const spec = osqueryTableSpec('npm_packages', { selectors: ['directory', 'max_depth'] });

function personName(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') {
    const p = v as { name: string; email?: string };
    return p.email ? `${p.name} <${p.email}>` : p.name;
  }
  return '';
}

function licenseText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') return (v as { type: string }).type;
  if (Array.isArray(v)) return v.map(licenseText).filter(Boolean).join(' OR ');
  return '';
}

export function* packagesUnder(root: HostRoot, modulesDir: string, directory: string, depth: number, maxDepth: number): Generator<Row> {
  const entries: string[] = [];
  for (const name of listDirSync(root, modulesDir)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of listDirSync(root, `${modulesDir}/${name}`)) entries.push(`${name}/${sub}`);
    else entries.push(name);
  }
  for (const name of entries) {
    const pkgDir = `${modulesDir}/${name}`;
    const text = readTextSync(root, `${pkgDir}/package.json`);
    if (text === undefined) continue;
    let pkg: Record<string, unknown>;
    try { pkg = JSON.parse(text) as Record<string, unknown>; } catch { continue; }
    const str = (k: string) => (typeof pkg[k] === 'string' ? (pkg[k] as string) : '');
    yield {
      name: str('name') || name, version: str('version'), description: str('description'), author: personName(pkg.author),
      license: licenseText(pkg.license), homepage: str('homepage'), path: `${pkgDir}/package.json`, directory, depth,
      max_depth: maxDepth, pid_with_namespace: null, mount_namespace_id: '',
    };
    if (depth < maxDepth && statSync(root, `${pkgDir}/node_modules`)?.isDirectory()) {
      yield* packagesUnder(root, `${pkgDir}/node_modules`, directory, depth + 1, maxDepth);
    }
  }
}

/** osquery's default max_depth, also the cap. */
const MAX_DEPTH = 100;

export const GLOBAL_MODULE_DIRS = ['/usr/lib/node_modules', '/usr/local/lib/node_modules', '/opt/homebrew/lib/node_modules'];

export const table: Table = {
  spec,
  *generate(ctx) {
    // selector values (see the Table contract) choose what to read; SQLite filters the rows
    const depths = (ctx.equalsValues('max_depth') ?? []).map(Number).filter(Number.isInteger);
    const maxDepth = depths.length === 0 || depths.some((d) => d < 0) ? MAX_DEPTH : Math.min(MAX_DEPTH, Math.max(...depths));
    const projects = (ctx.equalsValues('directory') ?? []).map(String);
    for (const dir of projects) yield* packagesUnder(ctx.root, `${dir.replace(/\/$/, '')}/node_modules`, dir, 0, maxDepth);
    const dirs = [...GLOBAL_MODULE_DIRS];
    for (const u of usersWithHomes(ctx.root)) dirs.push(`${u.home.replace(/\/$/, '')}/.npm-global/lib/node_modules`);
    for (const d of dirs) if (!projects.includes(d)) yield* packagesUnder(ctx.root, d, d, 0, maxDepth);
  },
};
