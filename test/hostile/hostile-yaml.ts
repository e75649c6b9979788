/**
 * Malformed and hostile variants of a valid YAML document, generated from it: broken syntax,
 * truncation, wrong types for each top-level key, encodings, resource attacks (alias bombs,
 * anchor floods, oversize, deep nesting) and files that are not regular files. Each variant
 * says whether it is still valid (a CRLF or BOM copy is), so the expected outcome is known.
 */
import { prng, type HostileFile } from './harness.js';

export interface YamlCase {
  name: string;
  file: HostileFile;
  /** true when the variant is still a valid document of its kind */
  valid: boolean;
}

function aliasBomb(): string {
  const names = 'abcdefghij';
  let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < names.length; i++) text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]\n`;
  return text;
}

/** Top-level `key: value` lines of a block mapping, for the per-key mutations. */
function topLevelKeys(base: string): string[] {
  return [...new Set([...base.matchAll(/^([A-Za-z_][\w-]*):/gm)].map((m) => m[1]!))];
}

/** `base` with the block under top-level `key` replaced by `value`. */
function withKey(base: string, key: string, value: string): string {
  const lines = base.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${key}:`));
  let end = start + 1;
  while (end < lines.length && (lines[end]!.startsWith(' ') || lines[end]!.startsWith('-') || lines[end] === '')) end++;
  return [...lines.slice(0, start), `${key}: ${value}`, ...lines.slice(end)].join('\n');
}

export function hostileYamlCases(base: string, options: { keysRequired?: boolean } = {}): YamlCase[] {
  const random = prng(base.length);
  const cases: YamlCase[] = [
    { name: 'empty file', file: '', valid: false },
    { name: 'only a comment', file: '# nothing here\n', valid: false },
    { name: 'null document', file: '~\n', valid: false },
    { name: 'a scalar', file: 'just some words\n', valid: false },
    { name: 'a list at the top', file: '- a\n- b\n', valid: false },
    { name: 'a number at the top', file: '42\n', valid: false },
    { name: 'unclosed flow mapping', file: `${base}\nbroken: {a: 1, b: [2, 3\n`, valid: false },
    { name: 'unclosed quote', file: `${base}\nbroken: "no end\n`, valid: false },
    { name: 'tab indentation', file: base.replace(/^( {2})/gm, '\t'), valid: false },
    { name: 'duplicate top-level key', file: `${base}\n${base.split('\n').find((l) => /^[A-Za-z_]/.test(l))}\n`, valid: false },
    { name: 'two documents', file: `${base}\n---\n${base}`, valid: false },
    { name: 'undefined alias', file: `${base}\nextra: *nowhere\n`, valid: false },
    { name: 'merge key from an undefined alias', file: `${base}\nextra:\n  <<: *nowhere\n`, valid: false },
    { name: 'alias bomb', file: `${base}\n${aliasBomb()}`, valid: false },
    { name: 'anchor flood (2000 anchors)', file: `${base}\nflood:\n${Array.from({ length: 2000 }, (_, i) => `  - &a${i} v${i}`).join('\n')}\n`, valid: false },
    { name: 'oversize (5 MiB of comments)', file: `${base}\n${'# padding padding padding padding padding padding\n'.repeat(110_000)}`, valid: false },
    { name: 'deep flow nesting', file: `${base}\ndeep: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, valid: false },
    { name: 'deep block nesting', file: `${base}\ndeep:\n${Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} x\n`, valid: false },
    { name: 'NUL bytes', file: Buffer.from(`${base}\n\0\0\0\n`), valid: false },
    { name: 'invalid UTF-8', file: Buffer.concat([Buffer.from(base), Buffer.from([0x0a, 0x78, 0x3a, 0x20, 0xff, 0xfe, 0xfd, 0x0a])]), valid: false },
    { name: 'UTF-16 text', file: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base, 'utf16le')]), valid: false },
    { name: 'terminal escapes in a key', file: `${base}\n"\x1b[31mred\x07": 1\n`, valid: false },
    { name: 'one 2 MiB line', file: `${base}\nlong: ${'x'.repeat(2 * 1024 * 1024)}\n`, valid: false },
    { name: 'js-yaml function tag', file: `${base}\nextra: !!js/function "function () { return 1 }"\n`, valid: false },
    { name: 'custom tag', file: `${base}\nextra: !evil payload\n`, valid: false },
    { name: 'binary tag', file: `${base}\nextra: !!binary aGVsbG8=\n`, valid: false },
    { name: 'complex mapping key', file: `${base}\n? [a, b]\n: c\n`, valid: false },
    { name: 'huge number', file: `${base}\nextra: 1e999999\n`, valid: false },
    { name: 'unknown top-level key', file: `${base}\nzz_not_a_key: 1\n`, valid: false },
    { name: 'random bytes', file: Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))), valid: false },
    { name: 'random printable text', file: Array.from({ length: 4096 }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join(''), valid: false },
    { name: 'truncated at a quarter', file: base.slice(0, Math.floor(base.length / 4)) + '\n  - {broken: ', valid: false },
    { name: 'truncated in a flow list', file: base + '\nextra: [a, b', valid: false },
    { name: 'a FIFO', file: { fifo: true }, valid: false },
    { name: 'a directory', file: { dir: true }, valid: false },
    { name: 'a link to /dev/zero', file: { symlink: '/dev/zero' }, valid: false },
    { name: 'a dangling link', file: { symlink: '/nonexistent/nowhere.yaml' }, valid: false },
    { name: 'CRLF line ends', file: base.replace(/\n/g, '\r\n'), valid: true },
    { name: 'UTF-8 byte order mark', file: `\uFEFF${base}`, valid: true },
    { name: 'trailing comments', file: `${base}\n# a comment\n# another\n`, valid: true },
  ];
  for (const key of topLevelKeys(base)) {
    const swaps: Array<[string, string]> = [
      ['a list', '[1, 2, 3]'], ['a mapping', '{nested: {deeper: true}}'], ['a number', '12345'], ['null', '~'], ['a boolean', 'true'],
    ];
    for (const [what, value] of swaps) cases.push({ name: `${key} as ${what}`, file: withKey(base, key, value), valid: false });
  }
  if (options.keysRequired === false) for (const c of cases) if (c.name.endsWith(' as null')) c.valid = true;
  return cases;
}
