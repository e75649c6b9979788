import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseYamlFile, issuesToErrors } from './yaml-file.js';
import { ProfileError, formatError } from './errors.js';

test('validation problems point at the offending value, file:line:column', () => {
  const yaml = parseYamlFile('agent:\n  interval: soon\n  sinks:\n    - name: a\n    - nam: b\n', 'agent.yaml');
  const schema = z.object({ agent: z.object({ interval: z.number(), sinks: z.array(z.object({ name: z.string() }).strict()) }) });
  const result = schema.safeParse(yaml.value);
  assert.equal(result.success, false);
  const errors = issuesToErrors(result.error!.issues, yaml).map(formatError).sort();
  assert.equal(errors.length, 3);
  assert.match(errors[0]!, /^agent\.yaml:2:13: agent\.interval: /);
  assert.ok(errors.some((e) => /^agent\.yaml:5:7: agent\.sinks\.1/.test(e)), errors.join('\n'));
});

test('syntax errors and duplicate keys are errors with their line', () => {
  assert.throws(() => parseYamlFile('a: [1, 2\nb: 3\n', 'x.yaml'), (err: unknown) => err instanceof ProfileError && err.context.file === 'x.yaml' && typeof err.context.line === 'number');
  assert.throws(() => parseYamlFile('a: 1\na: 2\n', 'dup.yaml'), (err: unknown) => err instanceof ProfileError && err.context.line === 2);
});
