/**
 * The --root option every command that reads a host takes. A root that does not exist (a
 * typo: /mnt/imgae) must stop the command with exit 2, as `spyglass audit` does: read through
 * it, every table is empty and every file absent, which is a wrong answer, not an empty one.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { SpyglassError } from '../core/errors.js';

/** The absolute root directory; throws a usage error when it is missing or not a directory. */
export function existingRootDir(root: string, option = '--root'): string {
  const dir = path.resolve(root);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new SpyglassError('usage', `${option} ${root}: no such directory`, { path: dir });
  }
  if (!isDir) throw new SpyglassError('usage', `${option} ${root}: not a directory`, { path: dir });
  return dir;
}
