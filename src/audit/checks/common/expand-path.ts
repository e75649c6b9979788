/** A host path or glob to the list of existing paths it names, through the root. */
import picomatch from 'picomatch';
import type { HostRoot } from '../../../core/host-root.js';

/** True when the path holds glob syntax (*, ?, [...], {...}). */
export function isGlob(path: string): boolean {
  return picomatch.scan(path).isGlob;
}

/**
 * Brace alternatives as the shell expands them, before any globbing: `/etc/{profile,profile.d/*.sh}`
 * is `/etc/profile` and `/etc/profile.d/*.sh`. Done here rather than in the glob because an
 * alternative may span directories, and the glob matches one path component at a time.
 * Nested braces expand; a brace without a comma or without its closing brace stays literal.
 */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') { if (depth++ === 0) open = i; continue; }
    if (c !== '}' || depth === 0) continue;
    if (--depth > 0) continue;
    const alternatives = splitTopLevel(pattern.slice(open + 1, i));
    if (alternatives.length < 2) continue; // `{x}` is literal, as in bash
    const before = pattern.slice(0, open);
    const after = pattern.slice(i + 1);
    return alternatives.flatMap((alt) => expandBraces(before + alt + after));
  }
  return [pattern];
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) { parts.push(body.slice(start, i)); start = i + 1; }
  }
  parts.push(body.slice(start));
  return parts;
}

/**
 * Existing paths (links included, even dangling ones) named by `path`: the path itself when
 * it is not a glob, every match in sorted order when it is (brace alternatives in their order).
 */
export async function expandPath(root: HostRoot, path: string): Promise<string[]> {
  const alternatives = expandBraces(path);
  const out: string[] = [];
  for (const alt of alternatives) {
    if (isGlob(alt)) out.push(...(await root.glob(alt)));
    else if (await root.lstatIfExists(alt)) out.push(alt);
  }
  return [...new Set(out)];
}
