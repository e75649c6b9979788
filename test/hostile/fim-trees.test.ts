/**
 * Hostile trees under a FIM watch: FIFOs, a listening socket, links to devices, link loops,
 * deep and wide directories, names with newlines, control characters and bytes that are not
 * UTF-8, a sparse file larger than the hash cap, a catastrophic exclude regex against a long
 * name. Baseline and check run over each tree in bounded time, never hang on a special file,
 * record every entry, and the check against an unchanged tree finds nothing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TreeScanner } from '../../src/fim/tree-scanner.js';
import { fimRuntime, tempTree } from '../fim/fim-fixture.js';
import { materialize, within, type HostileFile } from './harness.js';

interface TreeCase {
  name: string;
  /** entries relative to the watched tree */
  build(tree: string): Promise<void> | void;
  /** exclude_regex for the watch */
  excludeRegex?: string[];
  /** entries the baseline must hold, at least */
  minEntries: number;
}

const files = (entries: Record<string, HostileFile>) => (tree: string) => {
  for (const [rel, f] of Object.entries(entries)) materialize(path.join(tree, rel), f);
};

const servers: net.Server[] = [];
after(() => { for (const s of servers) s.close(); });

const CASES: TreeCase[] = [
  { name: 'a FIFO', build: files({ 'pipe': { fifo: true }, 'conf': 'a\n' }), minEntries: 2 },
  { name: 'many FIFOs', build: files(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { fifo: true } as HostileFile]))), minEntries: 50 },
  { name: 'a link to /dev/zero', build: files({ 'zero': { symlink: '/dev/zero' } }), minEntries: 1 },
  { name: 'a link to /dev/urandom', build: files({ 'random': { symlink: '/dev/urandom' } }), minEntries: 1 },
  { name: 'a link to a FIFO', build: files({ 'pipe': { fifo: true }, 'to-pipe': { symlink: 'pipe' } }), minEntries: 2 },
  { name: 'a link loop', build: files({ 'a': { symlink: 'b' }, 'b': { symlink: 'a' } }), minEntries: 2 },
  { name: 'a self link', build: files({ 'self': { symlink: 'self' } }), minEntries: 1 },
  { name: 'a directory link loop', build: (t) => { fs.mkdirSync(path.join(t, 'd')); fs.symlinkSync('..', path.join(t, 'd/up')); }, minEntries: 2 },
  { name: 'a link out of the tree', build: files({ 'out': { symlink: '/etc/shadow' } }), minEntries: 1 },
  {
    name: 'a listening socket', minEntries: 1,
    build: (t) => new Promise<void>((resolve) => { const s = net.createServer(); servers.push(s); s.listen(path.join(t, 'sock'), () => resolve()); }),
  },
  { name: '200 levels deep', build: (t) => { fs.mkdirSync(path.join(t, ...Array(200).fill('d')), { recursive: true }); }, minEntries: 200 },
  { name: '3000 files in one directory', build: (t) => { for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(t, `f${i}`), String(i)); }, minEntries: 3000 },
  { name: 'a 255-byte name', build: files({ ['n'.repeat(255)]: 'x' }), minEntries: 1 },
  { name: 'a name with a newline', build: files({ 'two\nlines': 'x', 'tab\there': 'y' }), minEntries: 2 },
  { name: 'terminal escapes in a name', build: files({ '\x1b[31mred\x07': 'x' }), minEntries: 1 },
  { name: 'a name that is not UTF-8', build: (t) => { fs.writeFileSync(Buffer.concat([Buffer.from(t + '/'), Buffer.from([0xff, 0xfe, 0x41])]), 'x'); }, minEntries: 1 },
  { name: 'a sparse file past the hash cap', build: (t) => { const fd = fs.openSync(path.join(t, 'sparse'), 'w'); fs.ftruncateSync(fd, 8 * 1024 ** 3); fs.closeSync(fd); }, minEntries: 1 },
  { name: 'an empty file and an unreadable directory', build: (t) => { fs.writeFileSync(path.join(t, 'empty'), ''); fs.mkdirSync(path.join(t, 'closed'), { mode: 0o000 }); }, minEntries: 2 },
  { name: 'hard links', build: (t) => { fs.writeFileSync(path.join(t, 'orig'), 'x'); for (let i = 0; i < 20; i++) fs.linkSync(path.join(t, 'orig'), path.join(t, `l${i}`)); }, minEntries: 21 },
  { name: 'set-ID and odd modes', build: (t) => { for (const [n, m] of [['suid', 0o4755], ['sgid', 0o2755], ['sticky', 0o1777], ['none', 0o000]] as const) { fs.writeFileSync(path.join(t, n), n); fs.chmodSync(path.join(t, n), m); } }, minEntries: 4 },
  {
    name: 'a catastrophic exclude regex against a long name', excludeRegex: ['^(a+)+$', '(x+x+)+y'], minEntries: 1,
    build: files({ ['a'.repeat(250) + '!']: 'x', ['x'.repeat(250)]: 'y' }),
  },
];

for (const c of CASES) {
  test(`FIM over a hostile tree: ${c.name}`, { timeout: 60_000 }, async () => {
    const { dir, tree, cleanup } = tempTree();
    try {
      await c.build(tree);
      const { rt, problems } = await fimRuntime(dir, { watch: [{ path: tree, exclude_regex: c.excludeRegex ?? [] }], hashes: ['sha256'] });
      try {
        const scanner = new TreeScanner(rt);
        const base = await within(30_000, `${c.name}: baseline`, () => scanner.scan({ mode: 'baseline', detection: 'scan', update: true, force: true }));
        assert.ok(base.scanned >= c.minEntries, `${c.name}: ${base.scanned} entries recorded, at least ${c.minEntries} wanted (problems: ${problems.join('; ')})`);
        const check = await within(30_000, `${c.name}: check`, () => scanner.scan({ mode: 'compare', detection: 'scan', update: false }));
        assert.equal(check.created + check.modified + check.attributes + check.deleted + check.moved, 0, `${c.name}: an unchanged tree shows changes`);
        for (const p of problems) assert.doesNotMatch(p, /^\s+at /m, `${c.name}: a stack trace in ${p}`);
      } finally {
        await rt.close();
      }
    } finally {
      fs.chmodSync(dir, 0o755);
      cleanup();
    }
  });
}
