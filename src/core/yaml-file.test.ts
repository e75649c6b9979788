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

test('hostile YAML is refused with a clean ProfileError: alias bombs, anchor floods, oversize text, FIFOs', async () => {
  const { parseYamlFile: parse, readYamlText, MAX_YAML_BYTES } = await import('./yaml-file.js');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const os = await import('node:os');
  const names = 'abcdefghij';
  let bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 10; i++) bomb += `${names[i]}: &${names[i]} [${Array(9).fill('*' + names[i - 1]).join(', ')}]\n`;
  const refused = (text: string, code: string) => assert.throws(() => parse(text, 'h.yaml'), (e: Error & { code?: string; context?: { file?: string } }) => e.code === code && e.context?.file === 'h.yaml' && e.message.startsWith('YAML: '));
  refused(bomb, 'yaml_aliases');
  refused(Array.from({ length: 1001 }, (_, i) => `k${i}: &a${i} v`).join('\n'), 'yaml_too_large');
  refused('#'.repeat(MAX_YAML_BYTES + 1), 'yaml_too_large');
  const dir = mkdtempSync(`${os.tmpdir()}/yaml-fifo-`);
  try {
    execFileSync('mkfifo', [`${dir}/pipe.yaml`]);
    await assert.rejects(readYamlText(`${dir}/pipe.yaml`), (e: Error & { code?: string }) => e.code === 'not_regular_file' && /FIFO/.test(e.message));
    await assert.rejects(readYamlText('/dev/zero'), (e: Error & { code?: string }) => e.code === 'not_regular_file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
