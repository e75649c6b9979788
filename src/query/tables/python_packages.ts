/**
 * osquery's `python_packages`: Python distributions installed in the system's and each
 * user's site directories (dist-info METADATA, egg-info PKG-INFO as a file or a folder):
 * /usr/lib/python3/dist-packages, /usr/lib/python3.X/site-packages, /usr/local/lib/python3.X/
 * {dist,site}-packages (and python2.7), and ~/.local/lib/python3.X/site-packages per user.
 * `uid` is the user of a per-user directory, NULL for system directories; `path` is the
 * metadata directory (or file) and `directory` the site directory holding it; a query with
 * `directory = '/path'` reads that directory too (a virtualenv's site-packages).
 */
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { listDirSync, readTextSync, statSync, usersWithHomes } from '../table-support/host-files.js';

const spec = osqueryTableSpec('python_packages', { selectors: ['directory'] });

/** The header block of a METADATA / PKG-INFO file (RFC 822 style; first value of a key wins). */
export function parseMetadata(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last = '';
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') break; // the description body follows
    if (/^\s/.test(raw) && last) continue; // folded continuation (long License texts): keep the first line
    const m = /^([\w-]+):\s?(.*)$/.exec(raw);
    if (!m) continue;
    last = m[1]!;
    if (!out.has(last)) out.set(last, m[2]!.trim());
  }
  return out;
}

function siteDirs(root: HostRoot): Array<{ dir: string; uid: number | null }> {
  const out: Array<{ dir: string; uid: number | null }> = [];
  const versions = (base: string) => listDirSync(root, base).filter((n) => /^python[23](\.\d+)?$/.test(n));
  for (const base of ['/usr/lib', '/usr/local/lib']) {
    for (const v of versions(base)) for (const kind of ['dist-packages', 'site-packages']) out.push({ dir: `${base}/${v}/${kind}`, uid: null });
  }
  for (const u of usersWithHomes(root)) {
    const base = `${u.home.replace(/\/$/, '')}/.local/lib`;
    for (const v of versions(base)) out.push({ dir: `${base}/${v}/site-packages`, uid: u.uid });
  }
  return out.filter((d) => statSync(root, d.dir)?.isDirectory());
}

export function* packagesIn(root: HostRoot, dir: string, uid: number | null): Generator<Row> {
  for (const name of listDirSync(root, dir)) {
    let meta: string | undefined;
    if (name.endsWith('.dist-info')) meta = readTextSync(root, `${dir}/${name}/METADATA`);
    else if (name.endsWith('.egg-info')) meta = statSync(root, `${dir}/${name}`)?.isDirectory() ? readTextSync(root, `${dir}/${name}/PKG-INFO`) : readTextSync(root, `${dir}/${name}`);
    else continue;
    if (meta === undefined) continue;
    const m = parseMetadata(meta);
    if (!m.get('Name')) continue;
    yield {
      name: m.get('Name')!, uid, version: m.get('Version') ?? '', summary: m.get('Summary') ?? '', author: m.get('Author') ?? m.get('Author-email') ?? '',
      license: m.get('License-Expression') ?? m.get('License') ?? '', path: `${dir}/${name}`, directory: dir, pid_with_namespace: null,
    };
  }
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const dirs = siteDirs(ctx.root);
    // `directory = '/opt/venv/lib/python3.11/site-packages'` also reads that directory (a selector: SQLite filters the rows)
    for (const d of ctx.equalsValues('directory') ?? []) if (!dirs.some((x) => x.dir === String(d))) dirs.unshift({ dir: String(d), uid: null });
    for (const { dir, uid } of dirs) yield* packagesIn(ctx.root, dir, uid);
  },
};
