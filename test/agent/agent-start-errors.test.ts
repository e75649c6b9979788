/** The agent refuses to start on a bad configuration, says why, and exits (nothing half-started keeps it alive). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const agent = (config: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-agent-bad-'));
  writeFileSync(path.join(dir, 'agent.yaml'), config.replaceAll('$DIR', dir));
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), 'agent', '-c', path.join(dir, 'agent.yaml')], { encoding: 'utf8', timeout: 30_000 });
  rmSync(dir, { recursive: true, force: true });
  return r;
};

test('an invalid configuration: exit 2 with file:line:column, before anything starts', () => {
  const r = agent('state_dir: $DIR/state\njobs:\n  audit: {every: soon}\n');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /agent\.yaml:3:\d+: jobs\.audit\.every/);
});

test('signatures required but no trust anchor: exit 2 after closing the spool it opened', () => {
  const r = agent('state_dir: $DIR/state\nprofiles:\n  require_signature: true\n  sources: [{type: dir, path: $DIR}]\n');
  assert.equal(r.signal, null, 'it exited by itself, not by the test timeout');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /require_signature is set but profiles\.trust names no key/);
});
