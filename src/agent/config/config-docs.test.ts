import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
