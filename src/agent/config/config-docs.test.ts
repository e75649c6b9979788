import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENT_CONFIG_DOC, agentConfigMarkdown } from './config-docs.js';
import { loadAgentConfig } from './agent-config.js';

test('docs/agent-config.md is generated from the schema and up to date (npm run docs)', () => {
  assert.equal(readFileSync(AGENT_CONFIG_DOC, 'utf8'), agentConfigMarkdown());
});

test('the shipped default configuration validates', async () => {
  const { config } = await loadAgentConfig('packaging/agent.yaml');
  assert.equal(config.jobs.audit?.cron, '0 3 * * *');
  assert.deepEqual(config.jobs.queries?.packs.length, 3);
});

/** The ```yaml blocks of a Markdown file. */
function yamlBlocks(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function writeConfig(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-doc-config-'));
  writeFileSync(path.join(dir, 'agent.yaml'), text);
  return path.join(dir, 'agent.yaml');
}

test('every configuration example in the README and the shipping docs loads, in snake_case, with no warning', async () => {
  const examples: Array<[string, string]> = [];
  for (const block of yamlBlocks('README.md')) if (/^shipping:/m.test(block)) examples.push(['README.md', block]);
  for (const block of yamlBlocks('src/ship/README.md')) if (/^shipping:/m.test(block)) examples.push(['src/ship/README.md', block]);
  for (const dir of readdirSync('src/ship/sinks', { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const readme = path.join('src/ship/sinks', dir.name, 'README.md');
    for (const block of yamlBlocks(readme)) examples.push([readme, `shipping:\n  sinks:\n${block.replace(/^/gm, '    ')}`]);
  }
  assert.ok(examples.length >= 9, `${examples.length} examples`);
  for (const [from, text] of examples) {
    const { config, warnings } = await loadAgentConfig(writeConfig(text)).catch((err: unknown) => {
      throw new Error(`${from}: ${err instanceof Error ? err.message : String(err)}\n${text}`);
    });
    assert.deepEqual(warnings, [], `${from}: no old keys`);
    assert.ok(config.shipping && Object.keys(config.shipping.sinks).length > 0, from);
  }
});
