/**
 * sshd_config as sshd itself reads it, so the effective value of a setting is what `sshd -T`
 * reports (tested against the real sshd in sshd-config.test.ts). The one sshd_config parser:
 * the audit's `config` check (format sshd) and the authorized_keys table both read it.
 * - keywords are case-insensitive, `Keyword value` or `Keyword=value`, quotes group words,
 *   a word starting with `#` starts a comment;
 * - for most keywords the first value wins; AllowUsers, AcceptEnv, Port… accumulate;
 *   MaxStartups and FingerprintHash are overwritten by every line (sshd's own exceptions);
 * - `Include` (globs; relative paths are under /etc/ssh) reads files in sorted order at the
 *   position of the Include, inheriting the Match state there;
 * - `Match` blocks are kept apart: the global value applies, except that the first value from
 *   Match blocks that hold overrides it: only `Match All` for plain `sshd -T`, and the blocks
 *   matching a connection for `sshd -T -C user=…`;
 * - unset keywords take sshd's built-in defaults (sshd-keywords.ts); Ciphers, MACs,
 *   KexAlgorithms… take +, - and ^ modifiers against the default list.
 */
import path from 'node:path';
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import type { HostRoot } from '../core/host-root.js';
import { canonicalKeyword, SSHD_KEYWORDS, SSHD_MATCH_KEYWORDS, type KeywordSpec } from './sshd-keywords.js';
import { matchCriteriaHold, matchPatternList, type SshdConnection } from './sshd-match.js';

export type { SshdConnection } from './sshd-match.js';

/** sshd's SSHDIR: where relative Include paths start. */
const SSH_DIR = '/etc/ssh';
/** sshd's READCONF_MAX_DEPTH */
const MAX_INCLUDE_DEPTH = 16;

export interface SshdDirective {
  /** canonical lower-case keyword (aliases resolved) */
  keyword: string;
  /** the keyword as written */
  written: string;
  args: string[];
  file: string;
  line: number;
}

export type SshdNode =
  | { kind: 'directive'; directive: SshdDirective }
  | { kind: 'match'; args: string[]; file: string; line: number }
  | { kind: 'include'; file: string; line: number; files: SshdFile[] };

export interface SshdFile {
  path: string;
  nodes: SshdNode[];
}

const parseError = (file: string, line: number, message: string) =>
  new SpyglassError('parse_error', `${file}:${line}: ${message}`, { file, line, path: file });

/** Splits one line into words the way sshd's argv_split does (quotes, backslash, # comments). */
export function splitSshdLine(text: string, file: string, line: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] === '#') break; // a comment starts at a word boundary
    let word = '';
    let quote: string | undefined;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === '\\' && (text[i + 1] === quote || text[i + 1] === '\\')) { word += text[++i]; continue; }
        if (c === quote) { quote = undefined; continue; }
        word += c;
        continue;
      }
      if (/\s/.test(c)) break;
      if (c === '"' || c === "'") { quote = c; continue; }
      if (c === '\\' && i + 1 < text.length && /[\s"'\\]/.test(text[i + 1]!)) { word += text[++i]; continue; }
      word += c;
    }
    if (quote) throw parseError(file, line, 'unterminated quote');
    words.push(word);
  }
  return words;
}

/** Keyword and arguments of a line (`Keyword value`, `Keyword=value`), or undefined for blank/comment. */
export function parseSshdLine(text: string, file: string, line: number): { written: string; args: string[] } | undefined {
  const t = text.replace(/\r$/, '').trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const m = /^([^\s=]+)\s*(?:=\s*)?(.*)$/.exec(t);
  if (!m) return undefined;
  return { written: m[1]!, args: splitSshdLine(m[2]!, file, line) };
}

/**
 * Reads a config file and every file it includes (through the root). Answers undefined when
 * the file does not exist; throws SpyglassError (with file and line) for unreadable files,
 * too-deep includes and malformed lines. Synchronous (a handful of small files) so the SQL
 * tables read sshd_config with the same code as the audit.
 */
export function loadSshdConfigSync(root: HostRoot, file: string, depth = 0): SshdFile | undefined {
  const text = root.readTextIfExistsSync(file);
  if (text === undefined) return undefined;
  const nodes: SshdNode[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const parsed = parseSshdLine(lines[i]!, file, lineNo);
    if (!parsed) continue;
    const keyword = canonicalKeyword(parsed.written);
    if (keyword === 'match') {
      nodes.push({ kind: 'match', args: parsed.args, file, line: lineNo });
    } else if (keyword === 'include') {
      if (parsed.args.length === 0) throw parseError(file, lineNo, 'Include needs a path');
      if (depth + 1 > MAX_INCLUDE_DEPTH) throw parseError(file, lineNo, `Include nested more than ${MAX_INCLUDE_DEPTH} deep`);
      const files: SshdFile[] = [];
      for (const arg of parsed.args) {
        const pattern = arg.startsWith('/') ? arg : path.posix.join(SSH_DIR, arg);
        let matches: string[];
        try {
          matches = root.globSync(pattern);
        } catch (err) {
          throw toSpyglassError(err, 'io_error', { file, line: lineNo, path: pattern });
        }
        for (const m of matches) {
          try {
            if (root.statSync(m).isDirectory()) continue;
            const included = loadSshdConfigSync(root, m, depth + 1);
            if (included) files.push(included);
          } catch (err) {
            throw toSpyglassError(err, 'io_error', { file, line: lineNo, path: m });
          }
        }
      }
      nodes.push({ kind: 'include', file, line: lineNo, files });
    } else {
      nodes.push({ kind: 'directive', directive: { keyword, written: parsed.written, args: parsed.args, file, line: lineNo } });
    }
  }
  return { path: file, nodes };
}

export async function loadSshdConfig(root: HostRoot, file: string): Promise<SshdFile | undefined> {
  return loadSshdConfigSync(root, file);
}

/** Every file read (the main file and its includes, in reading order). */
export function sshdFilesRead(config: SshdFile): string[] {
  const out = [config.path];
  for (const n of config.nodes) if (n.kind === 'include') for (const f of n.files) out.push(...sshdFilesRead(f));
  return out;
}

interface WalkState {
  active: boolean;
  inMatch: boolean;
  never: boolean;
}

/**
 * The directives that apply, in reading order, in one of sshd's two passes. The first pass
 * (`reparse` false) reads the global lines (and Match All blocks). The second pass (`reparse`
 * true) reads only the lines of Match blocks that hold for the connection (with no connection,
 * as plain `sshd -T` does, only Match All holds); what it sets overrides the first pass. An
 * Include inside a Match block that does not hold makes every Match in the included files
 * inapplicable too, as in sshd.
 */
export function applicableDirectives(config: SshdFile, connection?: SshdConnection, reparse = connection !== undefined): SshdDirective[] {
  const out: SshdDirective[] = [];
  const walk = (file: SshdFile, state: WalkState) => {
    for (const node of file.nodes) {
      if (node.kind === 'directive') {
        const d = node.directive;
        // sshd refuses to start on such a line (seen while it reads past a Match that does not apply)
        if (!reparse && state.inMatch && !state.active && !SSHD_MATCH_KEYWORDS.has(d.keyword)) {
          throw parseError(d.file, d.line, `Directive '${d.written}' is not allowed within a Match block`);
        }
        if (state.active) out.push(d);
      } else if (node.kind === 'match') {
        const holds = matchCriteriaHold(node.args, connection, { file: node.file, line: node.line });
        state.active = !state.never && holds;
        state.inMatch = true;
      } else {
        const never = state.never || (state.inMatch && !state.active);
        for (const f of node.files) walk(f, { active: state.active, inMatch: state.inMatch, never });
      }
    }
  };
  walk(config, { active: !reparse, inMatch: false, never: false });
  return out;
}

export interface SshdValue {
  keyword: string;
  /** what sshd -T prints (lists comma-joined for algorithms, space-joined for accumulating keywords); undefined: not set and no default */
  value: string | undefined;
  /** the value as a list, for list keywords */
  items?: string[];
  /** the lines that set it (empty when it is the built-in default) */
  from: SshdDirective[];
  fromDefault: boolean;
}

/** sshd's convtime: 90, 1m30s, 2h, 1w… in seconds. */
export function sshdSeconds(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const re = /(\d+)([smhdw]?)/gi;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    consumed += m[0].length;
    const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]!.toLowerCase()]!;
    total += Number(m[1]) * unit;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/** kex_assemble_names: a list, or +list / -patterns / ^list against the default. */
export function assembleAlgorithms(spec: string, defaults: readonly string[], all: readonly string[], where: { file: string; line: number }, accepted: readonly string[] = all): string[] {
  const mod = spec[0];
  const list = (mod === '+' || mod === '-' || mod === '^' ? spec.slice(1) : spec).split(',').filter((s) => s !== '');
  const unknown = (names: string[]) => names.filter((n) => !accepted.includes(n));
  let result: string[];
  if (mod === '-') {
    result = defaults.filter((a) => !matchPatternList(a, list.join(',')));
  } else {
    const bad = unknown(list);
    if (bad.length) throw parseError(where.file, where.line, `unsupported algorithm ${bad.join(', ')}`);
    if (mod === '+') result = [...defaults, ...list.filter((a) => !defaults.includes(a))];
    else if (mod === '^') result = [...list, ...defaults.filter((a) => !list.includes(a))];
    else result = list;
  }
  return [...new Set(result)].filter((a) => all.includes(a));
}

function valueOf(spec: KeywordSpec | undefined, keyword: string, from: SshdDirective[]): { value: string | undefined; items?: string[] } {
  const first = from[0];
  if (!spec) return { value: first ? first.args.join(' ') : undefined };
  if (spec.kind === 'accumulate') {
    if (from.length === 0) return spec.default === undefined ? { value: undefined } : { value: spec.default, items: spec.default.split(' ') };
    const items = from.flatMap((d) => d.args);
    return { value: items.join(' '), items };
  }
  if (spec.kind === 'algorithms') {
    const defaults = spec.default!.split(',');
    if (!first) return { value: spec.default, items: defaults };
    if (first.args.length === 0) throw parseError(first.file, first.line, `${first.written} needs a value`);
    const items = assembleAlgorithms(first.args[0]!, defaults, spec.all!, first, spec.accepted);
    return { value: items.join(','), items };
  }
  if (!first) return { value: spec.default };
  const arg = first.args[0];
  if (arg === undefined) throw parseError(first.file, first.line, `${first.written} needs a value`);
  switch (spec.kind) {
    case 'enum': {
      const word = spec.caseSensitive ? arg : arg.toLowerCase();
      const v = Object.hasOwn(spec.values!, word) ? spec.values![word] : undefined;
      if (v === undefined) throw parseError(first.file, first.line, `${first.written}: unsupported value "${arg}" (sshd accepts ${Object.keys(spec.values!).join(', ')})`);
      return { value: v };
    }
    case 'int':
      if (!/^-?\d+$/.test(arg)) throw parseError(first.file, first.line, `${first.written}: "${arg}" is not a number`);
      return { value: String(Number(arg)) };
    case 'time': {
      const s = sshdSeconds(arg);
      if (s === undefined) throw parseError(first.file, first.line, `${first.written}: "${arg}" is not a time (e.g. 60, 1m30s)`);
      return { value: String(s) };
    }
    case 'upper': return { value: arg.toUpperCase() };
    case 'string': return { value: spec.noneWord && first.args.length === 1 && arg.toLowerCase() === 'none' ? 'none' : first.args.join(' ') };
    case 'maxstartups': {
      // sshd overwrites MaxStartups on every line (the last wins); a bare number keeps the rate set before
      let begin = 10, rate = 30, full = 100;
      for (const d of from) {
        const m = /^(\d+)(?::(\d+):(\d+))?$/.exec(d.args[0] ?? '');
        if (!m) throw parseError(d.file, d.line, `${d.written}: "${d.args[0] ?? ''}" is not start:rate:full or a number`);
        begin = Number(m[1]);
        if (m[2] !== undefined) { rate = Number(m[2]); full = Number(m[3]); } else full = begin;
      }
      return { value: `${begin}:${rate}:${full}` };
    }
  }
  return { value: first.args.join(' ') };
}

/**
 * The effective value of a keyword: from the first pass (global), overridden by matching
 * Match blocks when a connection is given, else sshd's built-in default.
 */
export function sshdEffectiveValue(config: SshdFile, keyword: string, connection?: SshdConnection): SshdValue {
  const k = canonicalKeyword(keyword);
  const pick = (ds: SshdDirective[]) => ds.filter((d) => d.keyword === k);
  let from = pick(applicableDirectives(config));
  // sshd -T always re-reads the config for a connection (an empty one without -C): values from
  // Match blocks that hold (Match All at least) override the global ones
  const matched = pick(applicableDirectives(config, connection, true));
  if (matched.length) from = matched;
  const spec = SSHD_KEYWORDS[k];
  if (spec?.lastWins) from = from.slice(-1);
  else if (spec?.kind !== 'accumulate' && spec?.kind !== 'maxstartups') from = from.slice(0, 1);
  const { value, items } = valueOf(spec, k, from);
  return { keyword: k, value, ...(items ? { items } : {}), from, fromDefault: from.length === 0 && value !== undefined };
}

/** Normalises a value a control expects the way sshd -T prints it (prohibit-password → without-password, 1m → 60). */
export function canonicalSshdValue(keyword: string, value: string): string {
  const spec = SSHD_KEYWORDS[canonicalKeyword(keyword)];
  if (!spec) return value;
  switch (spec.kind) {
    case 'enum': {
      const word = spec.caseSensitive ? value : value.toLowerCase();
      return Object.hasOwn(spec.values!, word) ? spec.values![word]! : value;
    }
    case 'time': { const s = sshdSeconds(value); return s === undefined ? value : String(s); }
    case 'upper': return value.toUpperCase();
    default: return value;
  }
}
