/**
 * The agent's state directory, made and proven writable before anything is opened in it, so a
 * missing, read-only or misplaced `state_dir` is one clear message at start (or a refused
 * reload) instead of an error from deep in the spool. Node's recursive mkdir never returns
 * under /proc (each level answers ENOENT), so the parents are made one level at a time.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SpyglassError, toSpyglassError } from '../core/errors.js';

const MAX_DEPTH = 64;

function unusable(dir: string, what: string, err: unknown): SpyglassError {
  const reason = (err as NodeJS.ErrnoException).code === 'EROFS' ? 'read-only file system' : toSpyglassError(err).message.replace(/^.*: /, '');
  return new SpyglassError('state_dir_unusable', `state_dir ${dir}: ${what}: ${reason} (the agent keeps its spool, baselines and status there)`, { path: dir });
}

async function makeDir(dir: string, depth: number): Promise<void> {
  try {
    await fsp.mkdir(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth >= MAX_DEPTH) throw err;
    await makeDir(parent, depth + 1);
    await fsp.mkdir(dir, { mode: 0o700 }).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** Creates `dir` if needed and checks that it is a directory the agent can write. Throws state_dir_unusable. */
export async function prepareStateDir(dir: string): Promise<void> {
  const absolute = path.resolve(dir);
  try {
    await makeDir(absolute, 0);
  } catch (err) {
    throw unusable(dir, 'cannot create it', err);
  }
  const stat = await fsp.stat(absolute).catch((err: unknown) => { throw unusable(dir, 'cannot read it', err); });
  if (!stat.isDirectory()) throw new SpyglassError('state_dir_unusable', `state_dir ${dir}: not a directory`, { path: dir });
  const probe = path.join(absolute, `.write-test-${process.pid}`);
  try {
    await fsp.writeFile(probe, '');
    await fsp.rm(probe, { force: true });
  } catch (err) {
    throw unusable(dir, 'cannot write there', err);
  }
}
