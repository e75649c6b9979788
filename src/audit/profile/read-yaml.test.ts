/** The fast YAML path agrees with the positioned parser on every shipped profile and library. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseYamlFile } from '../../core/yaml-file.js';
import { fastYamlFile, parseYamlFast } from './read-yaml.js';
import { shippedProfilesDir } from './shipped-profiles.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

test('js-yaml and yaml read every shipped profile to the same value, and control lines agree', () => {
  const files = yamlFiles(shippedProfilesDir());
  assert.ok(files.length >= 1);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const slow = parseYamlFile(text, file);
    const fast = parseYamlFast(text, file);
    assert.ok(fast, `${file}: js-yaml rejects it`);
    assert.deepEqual(fast.value, slow.value, file);
    const view = fastYamlFile(fast);
    const controls = (slow.value as { controls?: unknown[] }).controls ?? [];
    for (let i = 0; i < controls.length; i++) {
      assert.deepEqual(view.positionOf(['controls', i, 'id']), slow.positionOf(['controls', i, 'id']), `${file}: control ${i}`);
    }
  }
});

test('the fast path rejects what it cannot read (the positioned parser then reports it)', () => {
  assert.equal(parseYamlFast('a: 1\na: 2\n', 'dup.yaml'), undefined, 'duplicate keys');
  assert.equal(parseYamlFast('a: [1\n', 'bad.yaml'), undefined, 'syntax');
  assert.deepEqual(parseYamlFast('expires: 2027-01-31\non: yes\n', 'x.yaml')?.value, { expires: '2027-01-31', on: 'yes' }, 'YAML 1.2 core: no timestamps, no yes-booleans');
});
