/** Pack and config validation: osquery's JSON unchanged, the same in YAML, problems as file:line. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProfileError } from '../../core/errors.js';
import { fileURLToPath } from 'node:url';
import { loadScheduleConfig, packJsonSchema, platformMatches, versionSatisfied } from './pack-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-packs-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };

test('an osquery pack is accepted as osquery writes it: string intervals, duplicate keys, extra fields', () => {
  const file = write('incident.conf', `{
  "queries": {
    "crontab": {
      "query" : "select * from crontab;",
      "interval" : "3600",
      "version" : "1.4.5",
      "description" : "Retrieves all the jobs scheduled in crontab in the target system.",
      "value" : "Identify malware that uses this persistence mechanism to launch at a given interval"
    },
    "startup_items": { "query" : "select 1;", "interval" : "86400", "platform" : "darwin" },
    "startup_items": { "query" : "select 2;", "interval" : "3600", "platform" : "darwin" }
  }
}
`);
  const config = loadScheduleConfig(file);
  assert.deepEqual(config.problems, []);
  const [pack] = config.packs;
  assert.equal(pack!.name, 'incident');
  assert.deepEqual(pack!.queries.map((q) => [q.name, q.interval, q.line]), [['pack_incident_crontab', 3600, 3], ['pack_incident_startup_items', 3600, 11]]);
  assert.equal(pack!.queries[1]!.query, 'select 2;', 'the last duplicate wins, as in osquery');
  assert.equal(pack!.queries[0]!.removed, true);
  assert.equal(pack!.queries[0]!.snapshot, false);
});

test('problems carry file:line, and the valid queries of the same pack remain', () => {
  const file = write('bad.json', `{
  "queries": {
    "good": { "query": "select 1;", "interval": 60 },
    "no_query": { "interval": 60 },
    "bad_interval": { "query": "select 1;", "interval": 0 },
    "bad_snapshot": { "query": "select 1;", "snapshot": "sometimes" }
  }
}
`);
  const config = loadScheduleConfig(file);
  assert.deepEqual(config.packs[0]!.queries.map((q) => q.key), ['good']);
  assert.deepEqual(config.problems.map((p) => [p.context.file, p.context.line]), [[file, 4], [file, 5], [file, 6]]);
  assert.match(config.problems[0]!.message, /queries\.no_query\.query/);
  assert.match(config.problems[1]!.message, /interval from 1 to 604800/);
});

test('the same pack in YAML, with errors at their YAML lines; a syntax error is one error with its line', () => {
  const file = write('pack.yaml', `# a pack in YAML
discovery:
  - SELECT 1 FROM os_version WHERE platform = 'debian';
queries:
  users:
    query: SELECT * FROM users;
    interval: 600
    snapshot: true
  broken:
    query: SELECT 1;
    interval: soon
`);
  const config = loadScheduleConfig(file);
  assert.equal(config.packs[0]!.queries[0]!.snapshot, true);
  assert.deepEqual(config.packs[0]!.discovery, ["SELECT 1 FROM os_version WHERE platform = 'debian';"]);
  assert.equal(config.problems.length, 1);
  assert.equal(config.problems[0]!.context.line, 11);
  const syntax = write('syntax.json', '{\n  "queries": {\n    "a": { "query": "select 1;" \n    "b": {}\n  }\n}\n');
  assert.throws(() => loadScheduleConfig(syntax), (err: unknown) => err instanceof ProfileError && err.code === 'pack_syntax' && err.context.file === syntax && typeof err.context.line === 'number' && err.context.line >= 3 && err.context.line <= 4);
  assert.throws(() => loadScheduleConfig(path.join(dir, 'missing.conf')), (err: unknown) => err instanceof ProfileError && err.code === 'pack_unreadable');
  assert.throws(() => loadScheduleConfig(write('list.json', '[1, 2]')), (err: unknown) => err instanceof ProfileError && err.context.line === 1);
});

test('an osquery config names packs by path; platform and version checks follow osquery', () => {
  const packFile = write('sub.conf', '{"queries": {"q": {"query": "select 1;", "interval": 10}}}');
  const config = loadScheduleConfig(write('osquery.conf', JSON.stringify({ packs: { sub: packFile, missing: 'nope.conf' } })));
  assert.deepEqual(config.packs.map((p) => [p.name, p.queries[0]!.name]), [['sub', 'pack_sub_q']]);
  assert.equal(config.problems[0]!.code, 'pack_unreadable');
  assert.ok(platformMatches(undefined) && platformMatches('linux') && platformMatches('posix') && platformMatches('darwin,linux') && platformMatches('ubuntu'));
  assert.ok(!platformMatches('darwin') && !platformMatches('windows'));
  assert.ok(versionSatisfied('1.4.5') && versionSatisfied('5.12.0') && !versionSatisfied('6.0.0') && versionSatisfied(undefined));
});

test('pack.schema.json is generated from the zod schemas and up to date', () => {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pack.schema.json');
  const expected = JSON.stringify(packJsonSchema(), null, 2) + '\n';
  assert.equal(fs.readFileSync(file, 'utf8'), expected, 'stale: regenerate with  node --import tsx -e "import(\'./src/query/schedule/pack-config.ts\').then((m) => process.stdout.write(JSON.stringify(m.packJsonSchema(), null, 2) + \'\\n\'))" > src/query/schedule/pack.schema.json');
});
