#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (TypeScript through tsx).
// Arguments narrow the run: `npm run test:one -- src/fim test/cli` runs only tests under those paths.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'test'];
const files = [];
function walk(p) {
  const st = statSync(p);
  if (st.isFile()) { if (p.endsWith('.test.ts')) files.push(p); return; }
  for (const name of readdirSync(p).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    walk(join(p, name));
  }
}
for (const r of roots) walk(r);
if (files.length === 0) { console.error(`no test files under ${roots.join(', ')}`); process.exit(1); }
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files.map((f) => relative('.', f))];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
