import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAgentConfig, ConfigErrors } from './agent-config.js';
import { formatError } from '../../core/errors.js';

function configDir(main: string, dropIns: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-config-'));
  writeFileSync(path.join(dir, 'agent.yaml'), main);
  if (Object.keys(dropIns).length) mkdirSync(path.join(dir, 'agent.d'));
  for (const [name, text] of Object.entries(dropIns)) writeFileSync(path.join(dir, 'agent.d', name), text);
  return path.join(dir, 'agent.yaml');
}

test('drop-ins merge in name order over the main file; durations and defaults apply', async () => {
  const file = configDir('host:\n  tags: {env: prod}\njobs:\n  audit: {every: 1d, run_on_start: true}\n', {
    '20-team.yaml': 'host:\n  tags: {team: web}\njobs:\n  audit: {every: 12h}\n',
    '10-first.yaml': 'jobs:\n  audit: {every: 6h}\n',
    'README': 'not yaml, ignored',
  });
  const { config, files } = await loadAgentConfig(file);
  assert.equal(files.length, 3);
  assert.deepEqual(config.host.tags, { env: 'prod', team: 'web' });
  assert.equal(config.jobs.audit!.every, 12 * 3_600_000, 'the later drop-in wins');
  assert.equal(config.jobs.audit!.run_on_start, true, 'maps merge key by key');
  assert.equal(config.watchdog.max_memory, 200 * 1024 * 1024);
  assert.equal(config.state_dir, '/var/lib/spyglass');
});

test('every problem is reported in the file that holds it, with line and column', async () => {
  const file = configDir('jobs:\n  audit: {every: 1d}\n  vuln:\n    cron: "61 * * * *"\n    feeds: [/srv/feed.json]\n', {
    '50-bad.yaml': 'watchdog:\n  max_memory: lots\nunknown_key: 1\n',
  });
  await assert.rejects(loadAgentConfig(file), (err: unknown) => {
    assert.ok(err instanceof ConfigErrors);
    const lines = err.problems.map(formatError).sort();
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.ok(lines.some((l) => /50-bad\.yaml:2:15: watchdog\.max_memory/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /50-bad\.yaml:\d+:\d+: .*unknown_key/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /agent\.yaml:4:11: jobs\.vuln\.cron: cron "61 \* \* \* \*"/.test(l)), lines.join('\n'));
    return true;
  });
});

test('a YAML syntax error names its file and line; a job needs exactly one of every/cron', async () => {
  await assert.rejects(loadAgentConfig(configDir('jobs: [\n')), (err: unknown) => err instanceof ConfigErrors && err.problems[0]!.context.file!.endsWith('agent.yaml'));
  await assert.rejects(loadAgentConfig(configDir('jobs:\n  audit: {run_on_start: true}\n')), (err: unknown) => err instanceof ConfigErrors && /exactly one of "every" or "cron"/.test(err.problems[0]!.message));
});

test('old keys load with a warning naming the new key at their file:line:column; a problem under a renamed key is found where it was written', async () => {
  const file = configDir('watchdog: {memory_mb: 300}\njobs:\n  queries: {max_query_seconds: 5}\nshipping:\n  spool: {fsyncIntervalMs: 250}\n  sinks:\n    s: {type: file, path: /tmp/x, maxBytes: 64K, batch: {maxWaitMs: 20}}\n');
  const { config, warnings } = await loadAgentConfig(file);
  assert.equal(config.watchdog.max_memory, 300 * 1024 * 1024);
  assert.equal(config.jobs.queries!.max_query_time, 5000);
  assert.equal(config.shipping!.spool.fsync_interval, 250);
  const sink = config.shipping!.sinks.s!;
  assert.ok(sink.type === 'file' && sink.max_bytes === 64 * 1024 && sink.batch.max_wait === 20);
  const lines = warnings.map((w) => `${path.basename(w.file!)}:${w.line}:${w.column}: ${w.message}`);
  assert.equal(lines.length, 5, lines.join('\n'));
  assert.ok(lines.some((l) => /^agent\.yaml:1:23: watchdog\.memory_mb is deprecated: write watchdog\.max_memory: "300M"/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^agent\.yaml:5:28: shipping\.spool\.fsyncIntervalMs is deprecated: write shipping\.spool\.fsync_interval: "250ms"/.test(l)), lines.join('\n'));

  const bad = configDir('shipping:\n  sinks:\n    s: {type: file, path: /tmp/x, timeoutMs: 5}\n');
  await assert.rejects(loadAgentConfig(bad), (err: unknown) => {
    assert.ok(err instanceof ConfigErrors);
    assert.equal(err.code, 'config_invalid');
    assert.match(formatError(err.problems[0]!), /agent\.yaml:3:46: shipping\.sinks\.s\.timeout: at least 100ms/);
    return true;
  });
});

test('a disabled job needs no schedule; both every and cron is refused', async () => {
  const { config } = await loadAgentConfig(configDir('jobs:\n  audit: {enabled: false}\n  vuln: {enabled: false, feeds: [/f.json]}\n'));
  assert.equal(config.jobs.audit!.enabled, false);
  await assert.rejects(loadAgentConfig(configDir('jobs:\n  audit: {every: 1h, cron: "0 3 * * *"}\n')), (err: unknown) => err instanceof ConfigErrors && /not both/.test(err.problems[0]!.message));
});
