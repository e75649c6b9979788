/**
 * `spyglass config check` on the README's shipping example written entirely in snake_case
 * (valid, no warning) and on the same configuration in the previous release's spelling
 * (valid, one warning per old key naming the new one, at file:line:column).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });

test('config check: the README example in snake_case passes cleanly; old keys pass with warnings naming the new keys', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-config-check-'));
  const example = [...readFileSync('README.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith('shipping:'))!;
  const current = `state_dir: ${dir}/state\nhost: {id: web-01, tags: {env: prod}}\njobs:\n  audit: {enabled: false}\n  fim: {every: 6h, config: /etc/spyglass/fim.yaml}\nwatchdog: {max_memory: 256M, hold: 10m}\n${example}`;
  writeFileSync(path.join(dir, 'agent.yaml'), current);
  const ok = cli('config', 'check', '-c', path.join(dir, 'agent.yaml'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^configuration valid: /);
  assert.equal(ok.stderr, '', 'no warning for a configuration in the current spelling');

  const old = current
    .replace('max_memory: 256M', 'memory_mb: 256')
    .replace('max_bytes: 256M', 'maxBytes: 268435456')
    .replace('data_stream:', 'dataStream:')
    .replace('api_key:', 'apiKey:');
  writeFileSync(path.join(dir, 'old.yaml'), old);
  const warned = cli('config', 'check', '-c', path.join(dir, 'old.yaml'));
  assert.equal(warned.status, 0, warned.stderr);
  assert.match(warned.stdout, /configuration valid \(4 warning\(s\)\)/);
  const lines = warned.stderr.trim().split('\n');
  assert.equal(lines.length, 4, warned.stderr);
  assert.match(warned.stderr, /old\.yaml:6:\d+: warning: watchdog\.memory_mb is deprecated: write watchdog\.max_memory: "256M"/);
  assert.match(warned.stderr, /old\.yaml:\d+:\d+: warning: shipping\.sinks\.siem-archive\.dataStream is deprecated: write shipping\.sinks\.siem-archive\.data_stream/);
  assert.match(warned.stderr, /warning: shipping\.sinks\.siem-archive\.auth\.apiKey is deprecated: write shipping\.sinks\.siem-archive\.auth\.api_key/);
  assert.match(warned.stderr, /warning: shipping\.spool\.maxBytes is deprecated: write shipping\.spool\.max_bytes/);
});
