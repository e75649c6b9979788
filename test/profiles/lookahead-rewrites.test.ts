/**
 * The shipped profiles once used lookaheads, which RE2 lacks. Each was rewritten by hand;
 * this compares the rewrite with the original JavaScript pattern on every line built from
 * the characters that matter (exhaustively up to a length, then at random), so the controls
 * still decide exactly as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileUserRegex } from '../../src/core/user-regex.js';

const REWRITES = [
  { file: 'profiles/library/services.yaml', original: /^\s*user\s+(?!_chrony\s*$)\S+/, prefixes: ['user ', ' user\t', 'user  ', 'users ', ''], alphabet: '_chrony x\t' },
  { file: 'profiles/library/system-maintenance.yaml', original: /^[^:#]+:(?!x:)[^:]*:/, prefixes: ['root:', 'a#:', ''], alphabet: 'x:#a' },
  { file: 'profiles/library/accounts.yaml', original: /^(?!root:)[^:]*:[^:]*:0:/, prefixes: ['', 'root:', 'ro'], alphabet: 'rot:0x' },
];

function* linesOver(alphabet: string, maxLength: number): Generator<string> {
  yield '';
  let layer = [''];
  for (let n = 1; n <= maxLength; n++) {
    const next: string[] = [];
    for (const s of layer) for (const ch of alphabet) { next.push(s + ch); yield s + ch; }
    layer = next;
  }
}


for (const r of REWRITES) {
  test(`${r.file}: the RE2 rewrite of ${r.original.source} decides every line as the original did`, () => {
    const shipped = readFileSync(r.file, 'utf8').split('\n').find((l) => l.includes('RE2 has no lookahead'));
    assert.ok(shipped, 'the rewrite is commented in the profile');
    const lines = readFileSync(r.file, 'utf8').split('\n');
    const at = lines.indexOf(shipped!);
    const source = /pattern: '((?:[^']|'')*)'/.exec(lines[at + 1]!)![1]!.replace(/''/g, "'");
    const rewrite = compileUserRegex(source);
    let compared = 0;
    const check = (line: string) => {
      compared++;
      assert.equal(rewrite.test(line), r.original.test(line), `line ${JSON.stringify(line)}`);
    };
    const exhaustiveLength = Math.floor(Math.log(20_000) / Math.log(r.alphabet.length));
    for (const p of r.prefixes) for (const tail of linesOver(r.alphabet, exhaustiveLength)) check(p + tail);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const length = Math.floor(random() * 14);
      let line = r.prefixes[Math.floor(random() * r.prefixes.length)]!;
      for (let j = 0; j < length; j++) line += r.alphabet[Math.floor(random() * r.alphabet.length)];
      check(line);
    }
    assert.ok(compared > 40_000);
  });
}
