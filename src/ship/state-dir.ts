/**
 * Where shipping keeps its state, named in one place for the agent and the CLI:
 *
 *   <state_dir>/ship/            shipping state directory (pipeline `stateDir`)
 *   <state_dir>/ship/spool/      the spool (segments, cursors/)
 *   <state_dir>/ship/dead-letter/
 *
 * `state_dir` is the agent's (default /var/lib/spyglass); `spyglass ship status --state-dir`
 * and `ship test --state-dir` take the same directory.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The shipping state directory under an agent state directory. */
export function shippingStateDir(stateDir: string): string {
  return path.join(stateDir, 'ship');
}

/** The spool directory under a shipping state directory. */
export function spoolDir(shippingDir: string): string {
  return path.join(shippingDir, 'spool');
}

/**
 * The spool of an agent state directory, for the CLI. Also accepts the shipping state directory
 * itself (`<state_dir>/ship`, and spools made by `ship test --state-dir` before both used this
 * layout). Returns every place looked at when there is none.
 */
export function findSpoolDir(stateDir: string): { dir: string } | { looked: string[] } {
  const candidates = [spoolDir(shippingStateDir(stateDir)), spoolDir(stateDir)];
  for (const dir of candidates) {
    try {
      if (fs.statSync(dir).isDirectory()) return { dir };
    } catch { /* not there */ }
  }
  return { looked: candidates };
}
