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
  assert.equal(config.watchdog.memory_mb, 200);
  assert.equal(config.state_dir, '/var/lib/spyglass');
});

test('every problem is reported in the file that holds it, with line and column', async () => {
  const file = configDir('jobs:\n  audit: {every: 1d}\n  vuln:\n    cron: "61 * * * *"\n    feeds: [/srv/feed.json]\n', {
    '50-bad.yaml': 'watchdog:\n  memory_mb: lots\nunknown_key: 1\n',
  });
  await assert.rejects(loadAgentConfig(file), (err: unknown) => {
    assert.ok(err instanceof ConfigErrors);
    const lines = err.problems.map(formatError).sort();
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.ok(lines.some((l) => /50-bad\.yaml:2:14: watchdog\.memory_mb/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /50-bad\.yaml:\d+:\d+: .*unknown_key/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /agent\.yaml:4:11: jobs\.vuln\.cron: cron "61 \* \* \* \*"/.test(l)), lines.join('\n'));
    return true;
  });
});

test('a YAML syntax error names its file and line; a job needs exactly one of every/cron', async () => {
  await assert.rejects(loadAgentConfig(configDir('jobs: [\n')), (err: unknown) => err instanceof ConfigErrors && err.problems[0]!.context.file!.endsWith('agent.yaml'));
  await assert.rejects(loadAgentConfig(configDir('jobs:\n  audit: {run_on_start: true}\n')), (err: unknown) => err instanceof ConfigErrors && /exactly one of "every" or "cron"/.test(err.problems[0]!.message));
});
