/**
 * docs/agent-config.md, generated from AgentConfigSchema (and the shipping schema inside it),
 * so the configuration reference never disagrees with the code. `npm run docs` writes it; a
 * test fails when the committed file is stale.
 */
import { AgentConfigSchema } from './agent-config.js';
import { OPTION_TABLE_HEADER, jsonSchemaOf, optionRows } from '../../core/schema-docs.js';

export const AGENT_CONFIG_DOC = 'docs/agent-config.md';

export function agentConfigMarkdown(): string {
  const schema = jsonSchemaOf(AgentConfigSchema);
  const { shipping, ...rest } = schema.properties ?? {};
  return [
    '# Agent configuration',
    '',
    '<!-- Generated from src/agent/config/agent-config.ts by `npm run docs`; do not edit by hand. -->',
    '',
    '`/etc/spyglass/agent.yaml`, with drop-ins in `/etc/spyglass/agent.d/*.yaml` merged over it in',
    'name order (mappings merge key by key; lists and values are replaced). Every key is snake_case.',
    'Durations are written `500ms`, `30s`, `15m`, `6h`, `1d` (or a number of seconds); sizes `64K`,',
    '`256M`, `1G` (or a number of bytes). A job runs `every` an interval (at a per-host phase, so a',
    'fleet spreads out) or on a `cron` expression (plus a per-host `splay`); a job with',
    '`enabled: false` needs neither. Keys of the previous release (camelCase shipping keys such as',
    '`maxInFlight`, millisecond keys such as `fsyncIntervalMs`, `memory_mb`, `max_query_seconds`,',
    '`max_feed_age_days`) still load for one release, with a warning naming the new key.',
    'Check a file with `spyglass config check -c FILE`; the commented default is',
    '[`packaging/agent.yaml`](../packaging/agent.yaml).',
    '',
    ...OPTION_TABLE_HEADER,
    ...optionRows({ ...schema, properties: rest }, { nested: true }),
    '',
    '## shipping',
    '',
    shipping?.description ?? '',
    'Sinks, the spool and the envelope are described in [`src/ship/README.md`](../src/ship/README.md);',
    '`spyglass ship schema` prints the JSON Schema of this section.',
    '',
  ].join('\n');
}

// `node --import tsx src/agent/config/config-docs.ts` (npm run docs) writes the file.
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(AGENT_CONFIG_DOC, agentConfigMarkdown());
  process.stdout.write(`wrote ${AGENT_CONFIG_DOC}\n`);
}
