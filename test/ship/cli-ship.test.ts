/** `spyglass ship test|status|schema` end to end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliOutput as cli } from '../helpers/cli-process.js';


test('spyglass ship test reports each sink; ship status shows the backlog; ship schema prints the JSON Schema', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-cli-ship-'));
  try {
    const out = path.join(dir, 'events.jsonl');
    fs.writeFileSync(path.join(dir, 'agent.yaml'), `shipping:
  fields: { env: test }
  sinks:
    local:
      type: file
      path: ${out}
    splunk:
      type: splunk_hec
      endpoints: [http://127.0.0.1:9]
      token: { env: SPYGLASS_CLI_TEST_TOKEN }
      retry: { initialMs: 50, maxMs: 200 }
`);
    process.env.SPYGLASS_CLI_TEST_TOKEN = 'cli-secret-token-value';
    const state = path.join(dir, 'state');
    const r = await cli('ship', 'test', '-c', path.join(dir, 'agent.yaml'), '--count', '3', '--state-dir', state, '--timeout', '2');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^local \(file\): delivered$/m);
    assert.match(r.stdout, /^splunk \(splunk_hec\): NOT DELIVERED — last error: .*ECONNREFUSED/m);
    assert.ok(!(r.stdout + r.stderr).includes('cli-secret-token-value'));
    assert.match(r.stderr, /agent\.yaml:11:\d+: warning: shipping\.sinks\.splunk\.retry\.initialMs is deprecated: write shipping\.sinks\.splunk\.retry\.initial_delay: "50ms"/, 'old keys still load, with a warning naming the new key');
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; fields: Record<string, string>; data: { n: number } });
    assert.deepEqual(lines.map((l) => l.data.n), [1, 2, 3]);
    assert.equal(lines[0]!.fields.env, 'test');

    const st = await cli('ship', 'status', '--state-dir', state);
    assert.equal(st.status, 0, st.stderr);
    assert.match(st.stdout, /^ {2}splunk: 3 event\(s\) not yet delivered, oldest [\d.]+ s old$/m);
    assert.match(st.stdout, /^ {2}local: 0 event\(s\) not yet delivered$/m);

    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'sinks:\n  x:\n    type: carrier_pigeon\n');
    const b = await cli('ship', 'test', '-c', bad);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /bad\.yaml:3:11: sinks\.x\.type: /);

    const schema = await cli('ship', 'schema');
    assert.equal(schema.status, 0, schema.stderr);
    const json = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
    assert.ok(json.properties.sinks && json.properties.spool);
  } finally {
    delete process.env.SPYGLASS_CLI_TEST_TOKEN;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
