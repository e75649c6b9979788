/**
 * PAM configuration (/etc/pam.d/<service>), the one PAM parser (the audit's `config` check with
 * format pam and the pwquality settings read it): module lines `type control module [args…]`, where
 * a leading `-` on the type makes a missing module silent, control is a keyword or a
 * `[value=action …]` list, and arguments may be bracketed (`[a b]`) to hold blanks. The stack
 * is flattened: `@include name` and the include / substack controls read /etc/pam.d/<name>
 * at that position (for include/substack, only lines of the same type), as libpam does.
 */
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import type { HostRoot } from '../core/host-root.js';

export const PAM_TYPES = ['auth', 'account', 'password', 'session'] as const;
export type PamType = (typeof PAM_TYPES)[number];

export interface PamLine {
  type: PamType;
  control: string;
  /** module path as written (pam_unix.so or /lib/…/pam_unix.so) */
  module: string;
  args: string[];
  source: string;
  line: number;
}

const PAM_DIR = '/etc/pam.d';
const MAX_DEPTH = 16;

/** Splits a PAM line into words; `[ … ]` groups (with `\]` escapes) stay one word. */
export function splitPamWords(text: string, source: string, line: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let word = '';
    if (text[i] === '[') {
      let depthClosed = false;
      for (; i < text.length; i++) {
        const c = text[i]!;
        if (c === '\\' && text[i + 1] === ']') { word += ']'; i++; continue; }
        word += c;
        if (c === ']') { depthClosed = true; i++; break; }
      }
      if (!depthClosed) throw new SpyglassError('parse_error', `${source}:${line}: "[" without "]"`, { file: source, line });
      // a bracket group used as an argument can be followed directly by more text
      while (i < text.length && !/\s/.test(text[i]!)) word += text[i++];
    } else {
      while (i < text.length && !/\s/.test(text[i]!)) word += text[i++];
    }
    words.push(word);
  }
  return words;
}

/** Module name without directory and ".so", for comparing: pam_unix. */
export function pamModuleName(module: string): string {
  return module.replace(/^.*\//, '').replace(/\.so$/, '');
}

/** One meaningful line of a PAM file, before includes are followed. */
export type PamEntry =
  | ({ kind: 'module' } & PamLine)
  /** `@include name` (every type) or an include / substack control (only `type` lines of the named file) */
  | { kind: 'include'; name: string; type?: PamType; source: string; line: number };

/**
 * Parses one PAM file: continuation lines joined, `#` comments dropped (libpam: from # to the
 * end of the line), each line a module line or an include. Malformed lines throw
 * SpyglassError 'parse_error' with file:line.
 */
export function parsePamFile(text: string, file: string): PamEntry[] {
  const out: PamEntry[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const lineNo = i + 1;
    let t = raw[i]!.replace(/\r$/, '');
    while (t.endsWith('\\') && i + 1 < raw.length) t = t.slice(0, -1) + ' ' + raw[++i]!.replace(/\r$/, '');
    const hash = t.indexOf('#');
    if (hash >= 0) t = t.slice(0, hash);
    t = t.trim();
    if (t === '') continue;
    const words = splitPamWords(t, file, lineNo);
    if (words[0] === '@include') {
      if (!words[1]) throw new SpyglassError('parse_error', `${file}:${lineNo}: @include needs a file name`, { file, line: lineNo });
      out.push({ kind: 'include', name: words[1], source: file, line: lineNo });
      continue;
    }
    if (words.length < 3) throw new SpyglassError('parse_error', `${file}:${lineNo}: expected "type control module [arguments]"`, { file, line: lineNo });
    const type = words[0]!.replace(/^-/, '').toLowerCase();
    if (!(PAM_TYPES as readonly string[]).includes(type)) {
      throw new SpyglassError('parse_error', `${file}:${lineNo}: unknown PAM type "${words[0]}" (auth, account, password, session)`, { file, line: lineNo });
    }
    const control = words[1]!;
    if (control === 'include' || control === 'substack') {
      out.push({ kind: 'include', name: words[2]!, type: type as PamType, source: file, line: lineNo });
      continue;
    }
    out.push({ kind: 'module', type: type as PamType, control, module: words[2]!, args: words.slice(3), source: file, line: lineNo });
  }
  return out;
}

/**
 * Reads a PAM service file and what it includes, flattened in stack order (an include reads
 * /etc/pam.d/<name> at that position; include/substack only its lines of the same type, as
 * libpam does). Answers undefined when the file does not exist; an included file that does
 * not exist adds nothing.
 */
export function loadPamStackSync(root: HostRoot, file: string, onlyType?: PamType, depth = 0): PamLine[] | undefined {
  const text = root.readTextIfExistsSync(file);
  if (text === undefined) return undefined;
  const out: PamLine[] = [];
  for (const entry of parsePamFile(text, file)) {
    if (entry.kind === 'module') {
      if (onlyType && entry.type !== onlyType) continue;
      const { kind: _kind, ...line } = entry;
      out.push(line);
      continue;
    }
    if (onlyType && entry.type && entry.type !== onlyType) continue;
    if (depth + 1 > MAX_DEPTH) throw new SpyglassError('parse_error', `${file}:${entry.line}: includes nested more than ${MAX_DEPTH} deep`, { file, line: entry.line });
    const target = entry.name.startsWith('/') ? entry.name : `${PAM_DIR}/${entry.name}`;
    try {
      out.push(...(loadPamStackSync(root, target, entry.type ?? onlyType, depth + 1) ?? []));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { file, line: entry.line });
    }
  }
  return out;
}

export async function loadPamStack(root: HostRoot, file: string, onlyType?: PamType): Promise<PamLine[] | undefined> {
  return loadPamStackSync(root, file, onlyType);
}
