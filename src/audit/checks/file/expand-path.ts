/** A host path or glob to the list of existing paths it names, through the root. */
import picomatch from 'picomatch';
import type { HostRoot } from '../../../core/host-root.js';

/** True when the path holds glob syntax (*, ?, [...], {...}). */
export function isGlob(path: string): boolean {
  return picomatch.scan(path).isGlob;
}

/**
 * Existing paths (links included, even dangling ones) named by `path`: the path itself when
 * it is not a glob, every match in sorted order when it is.
 */
export async function expandPath(root: HostRoot, path: string): Promise<string[]> {
  if (isGlob(path)) return root.glob(path);
  return (await root.lstatIfExists(path)) ? [path] : [];
}
