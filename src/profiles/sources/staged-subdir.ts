/**
 * The directory a source hands to the profile store: the staging directory itself, or a
 * subdirectory of it. The store moves that directory into place, so it must lie inside the
 * staging directory even after symlinks are followed; otherwise a configured "../../etc"
 * (or a link in the repository) would move a host directory into the state directory.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SpyglassError } from '../../core/errors.js';
import { subdirProblem } from './source-input.js';

export async function stagedSubdir(staging: string, subdir: string | undefined, source: string): Promise<string> {
  if (subdir === undefined) return staging;
  const problem = subdirProblem(subdir);
  if (problem) throw new SpyglassError('config_invalid', `subdir "${subdir}": ${problem}`, { source });
  const top = await fsp.realpath(staging);
  let dir: string;
  try {
    dir = await fsp.realpath(path.join(top, subdir));
  } catch {
    throw new SpyglassError('subdir_missing', `subdir "${subdir}" is not in the ${source.startsWith('git') ? 'repository at this commit' : 'bundle'}`, { source });
  }
  const rel = path.relative(top, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new SpyglassError('subdir_outside', `subdir "${subdir}" resolves outside the checkout (a symbolic link leads out of it)`, { source });
  }
  if (!(await fsp.stat(dir)).isDirectory()) throw new SpyglassError('subdir_missing', `subdir "${subdir}" is not a directory`, { source });
  return dir;
}
