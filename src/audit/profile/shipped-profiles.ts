/**
 * The profiles shipped with Spyglass, in `profiles/` at the package root. The directory is
 * found from this module's own location, so it works from src (tsx) and from dist alike.
 * Control libraries shared by several profiles live in `profiles/lib/` and are not listed.
 */
import { existsSync, readFileSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest parent directory with Spyglass's package.json. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'spyglass') return dir;
      } catch { /* not ours: keep climbing */ }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the spyglass package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function shippedProfilesDir(): string {
  return path.join(packageRoot(), 'profiles');
}

/** Paths of the shipped profile files (*.yaml, *.yml), sorted. */
export async function shippedProfileFiles(dir = shippedProfilesDir()): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
}
