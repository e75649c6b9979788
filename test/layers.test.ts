/**
 * The layer check of `npm test` (.dependency-cruiser.cjs) must catch what it is there for:
 * it runs on fixture trees with an import cycle, an upward import, a sibling import and a
 * type-only upward import, and on a tree that keeps to the layers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = path.join(repo, '.dependency-cruiser.cjs');
// the package exports no package.json, so its bin is found through the repository's node_modules
const depcruiseBin = path.join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

const TSCONFIG = JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src/**/*.ts'] });

/** Writes the tree into a temp directory and runs the project's layer check there. */
async function checkLayers(files: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-layers-'));
  try {
    for (const [file, text] of Object.entries({ 'tsconfig.json': TSCONFIG, ...files })) {
      await fsp.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fsp.writeFile(path.join(dir, file), text);
    }
    const run = spawnSync(process.execPath, [depcruiseBin, 'src', '--config', config], { cwd: dir, encoding: 'utf8' });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

test('a tree whose imports only point down passes', async () => {
  const r = await checkLayers({
    'src/core/errors.ts': 'export class SpyglassError extends Error {}\n',
    'src/host/passwd.ts': "import { SpyglassError } from '../core/errors.js';\nexport const parse = () => new SpyglassError();\n",
    'src/audit/check.ts': "import { parse } from '../host/passwd.js';\nexport const run = () => parse();\n",
    'src/agent/job.ts': "import { run } from '../audit/check.js';\nexport const job = () => run();\n",
    'src/cli/main.ts': "import { job } from '../agent/job.js';\njob();\n",
  });
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /no dependency violations/);
});

test('an import cycle fails the check, naming the modules on it', async () => {
  const r = await checkLayers({
    'src/audit/report/index.ts': "import { renderTable } from './table.js';\nexport interface RenderOptions { color?: boolean }\nexport const formats = [renderTable];\n",
    'src/audit/report/table.ts': "import type { RenderOptions } from './index.js';\nexport const renderTable = (o: RenderOptions) => String(o.color);\n",
  });
  assert.notEqual(r.status, 0, r.output);
  assert.match(r.output, /error no-import-cycle: src\/audit\/report\/(index|table)\.ts/);
});

test('an upward import fails the check, even a type-only one', async () => {
  const r = await checkLayers({
    'src/agent/targeting.ts': 'export function profileFitsOs(): boolean { return true; }\nexport interface HostFacts { osId: string }\n',
    'src/audit/select-profiles.ts': "import { profileFitsOs } from '../agent/targeting.js';\nexport const fits = profileFitsOs;\n",
    'src/core/event.ts': "import type { HostFacts } from '../agent/targeting.js';\nexport type Host = HostFacts;\n",
  });
  assert.notEqual(r.status, 0, r.output);
  assert.match(r.output, /error audit-imports-only-lower-layers: src\/audit\/select-profiles\.ts → src\/agent\/targeting\.ts/);
  assert.match(r.output, /error core-imports-only-lower-layers: src\/core\/event\.ts → src\/agent\/targeting\.ts/);
});

test('a component importing a sibling component fails the check', async () => {
  const r = await checkLayers({
    'src/fim/baseline.ts': 'export const baseline = 1;\n',
    'src/vuln/scan.ts': "import { baseline } from '../fim/baseline.js';\nexport const scan = baseline;\n",
  });
  assert.notEqual(r.status, 0, r.output);
  assert.match(r.output, /error vuln-imports-only-lower-layers: src\/vuln\/scan\.ts → src\/fim\/baseline\.ts/);
});

test('a test file may import from any layer', async () => {
  const r = await checkLayers({
    'src/cli/main.ts': 'export const main = () => 0;\n',
    'src/core/errors.test.ts': "import { main } from '../cli/main.js';\nmain();\n",
  });
  assert.equal(r.status, 0, r.output);
});
