/**
 * Builds a fixture root filesystem in a temp directory from a plain description, so tests
 * audit and query a tree they made themselves (principle 6: everything reads through a root).
 *
 *   const root = await buildFixtureRoot({
 *     '/etc/ssh/sshd_config': 'PermitRootLogin no\n',
 *     '/etc/shadow': { content: 'root:*:19000::::::\n', mode: 0o640, gid: 42 },
 *     '/etc/alternatives/editor': { symlink: '/usr/bin/vim.basic' },
 *     '/var/empty': { dir: true, mode: 0o755 },
 *   });
 *   ... new HostRoot(root.dir) ...
 *   await root.cleanup();
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type FixtureEntry =
  | string
  | { content: string | Buffer; mode?: number; uid?: number; gid?: number; mtime?: Date }
  | { symlink: string }
  | { dir: true; mode?: number; uid?: number; gid?: number };

export type FixtureTree = Record<string, FixtureEntry>;

export interface FixtureRoot {
  dir: string;
  /** adds or replaces entries after creation */
  add(tree: FixtureTree): Promise<void>;
  cleanup(): Promise<void>;
}

export async function buildFixtureRoot(tree: FixtureTree = {}): Promise<FixtureRoot> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-root-'));
  const add = async (more: FixtureTree) => {
    for (const [hostPath, entry] of Object.entries(more)) await writeEntry(dir, hostPath, entry);
  };
  await add(tree);
  return { dir, add, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

async function writeEntry(rootDir: string, hostPath: string, entry: FixtureEntry): Promise<void> {
  const target = path.join(rootDir, hostPath);
  await fsp.mkdir(path.dirname(target), { recursive: true });
  await fsp.rm(target, { recursive: true, force: true });
  if (typeof entry === 'string') {
    await fsp.writeFile(target, entry);
    return;
  }
  if ('symlink' in entry) {
    await fsp.symlink(entry.symlink, target);
    return;
  }
  if ('dir' in entry) {
    await fsp.mkdir(target, { recursive: true });
  } else {
    await fsp.writeFile(target, entry.content);
    if (entry.mtime) await fsp.utimes(target, entry.mtime, entry.mtime);
  }
  // owner first: chown clears the set-user-ID and set-group-ID bits, so chmod comes after it
  if (entry.uid !== undefined || entry.gid !== undefined) await fsp.chown(target, entry.uid ?? 0, entry.gid ?? 0);
  if (entry.mode !== undefined) await fsp.chmod(target, entry.mode);
}
