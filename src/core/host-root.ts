/**
 * The one way every check and table reads the host: paths are host paths ("/etc/passwd")
 * resolved under a configurable root directory, so the same code audits this machine
 * (root "/"), a mounted image or a fixture tree built by a test.
 *
 * Symlinks are followed the way the kernel would inside a chroot: an absolute link target
 * is taken relative to the root, and ".." never climbs above it. A link can therefore never
 * lead a read outside the audited tree.
 */
import { promises as fsp, lstatSync, readlinkSync, type Stats, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { SpyglassError, toSpyglassError } from './errors.js';

const MAX_SYMLINK_HOPS = 40; // Linux's own limit (MAXSYMLINKS)

export class HostRoot {
  /** Absolute path of the root directory on this machine. */
  readonly dir: string;

  constructor(dir = '/') {
    this.dir = path.resolve(dir);
  }

  /** True when the root is this running system, so /proc, /sys and live state describe it. */
  get isLive(): boolean {
    return this.dir === '/';
  }

  /** Joins a host path under the root without following any link (for lstat and readlink). */
  join(hostPath: string): string {
    const normal = path.posix.normalize('/' + hostPath);
    return this.dir === '/' ? normal : path.join(this.dir, normal);
  }

  /** Maps a path under the root back to the host path it stands for. */
  toHostPath(realPath: string): string {
    if (this.dir === '/') return realPath;
    const rel = path.relative(this.dir, realPath);
    return '/' + rel.split(path.sep).join('/');
  }

  /**
   * Resolves every symlink in a host path, inside the root. Returns the host path of the
   * final target (not the machine path). Throws SpyglassError 'symlink_loop' after 40 hops
   * and 'not_found' / I/O errors as they come.
   */
  async realHostPath(hostPath: string): Promise<string> {
    return this.realHostPathSync(hostPath);
  }

  /**
   * The same, synchronously (SQL tables read synchronously). With `missing: 'keep'` a
   * component that does not exist ends the walk and the rest is kept as written, so the
   * caller's own fs call reports the missing file the way fs does.
   */
  realHostPathSync(hostPath: string, options: { missing?: 'throw' | 'keep' } = {}): string {
    let pending = path.posix.normalize('/' + hostPath).split('/').filter(Boolean);
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') { done.pop(); continue; }
      if (part === '.') continue;
      const candidate = '/' + [...done, part].join('/');
      let st: Stats;
      try {
        st = lstatSync(this.join(candidate));
      } catch (err) {
        if (options.missing === 'keep') return '/' + [...done, part, ...pending].join('/');
        throw toSpyglassError(err, 'io_error', { path: candidate });
      }
      if (!st.isSymbolicLink()) { done.push(part); continue; }
      if (++hops > MAX_SYMLINK_HOPS) {
        throw new SpyglassError('symlink_loop', `${hostPath}: too many levels of symbolic links`, { path: hostPath });
      }
      const target = readlinkSync(this.join(candidate));
      if (target.startsWith('/')) done.length = 0;
      pending = [...target.split('/').filter(Boolean), ...pending];
    }
    return '/' + done.join('/');
  }

  /** Machine path of a host path with all links resolved inside the root. */
  async resolve(hostPath: string): Promise<string> {
    if (this.isLive) return this.join(hostPath); // the kernel resolves links correctly on the live root
    return this.join(await this.realHostPath(hostPath));
  }

  async stat(hostPath: string): Promise<Stats> {
    try {
      return await fsp.stat(await this.resolve(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  async lstat(hostPath: string): Promise<Stats> {
    try {
      return await fsp.lstat(this.join(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /** lstat that answers undefined for a path that does not exist (other errors still throw). */
  async lstatIfExists(hostPath: string): Promise<Stats | undefined> {
    try {
      return await fsp.lstat(this.join(hostPath));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  async exists(hostPath: string): Promise<boolean> {
    try {
      await fsp.access(await this.resolve(hostPath));
      return true;
    } catch {
      return false;
    }
  }

  async readlink(hostPath: string): Promise<string> {
    try {
      return await fsp.readlink(this.join(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /**
   * Reads a text file. Files larger than `maxBytes` (default 16 MiB) are refused with
   * 'file_too_large' rather than read whole: configuration files are small, and a huge
   * file where one is expected is itself worth an error.
   */
  async readText(hostPath: string, maxBytes = 16 * 1024 * 1024): Promise<string> {
    const buf = await this.readBytes(hostPath, maxBytes);
    return buf.toString('utf8');
  }

  async readBytes(hostPath: string, maxBytes = 16 * 1024 * 1024): Promise<Buffer> {
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(await this.resolve(hostPath), 'r');
      const st = await handle.stat();
      if (st.isDirectory()) throw new SpyglassError('is_directory', `${hostPath}: is a directory`, { path: hostPath });
      if (st.isFile() && st.size > maxBytes) {
        throw new SpyglassError('file_too_large', `${hostPath}: ${st.size} bytes, over the ${maxBytes}-byte limit for this read`, { path: hostPath });
      }
      // Files in /proc report size 0: read until EOF, still bounded.
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const chunk = Buffer.allocUnsafe(64 * 1024);
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total > maxBytes) throw new SpyglassError('file_too_large', `${hostPath}: over the ${maxBytes}-byte limit for this read`, { path: hostPath });
        chunks.push(chunk.subarray(0, bytesRead));
      }
      return Buffer.concat(chunks, total);
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    } finally {
      await handle?.close();
    }
  }

  /** Like readText, but a missing file (or missing parent directory) answers undefined. */
  async readTextIfExists(hostPath: string, maxBytes?: number): Promise<string | undefined> {
    try {
      return await this.readText(hostPath, maxBytes);
    } catch (err) {
      if (err instanceof SpyglassError && (err.code === 'not_found' || err.code === 'not_directory')) return undefined;
      throw err;
    }
  }

  /** Directory entries (names, sorted), or [] when the directory does not exist. */
  async listDir(hostPath: string): Promise<string[]> {
    return (await this.listDirEntries(hostPath)).map((d) => d.name);
  }

  async listDirEntries(hostPath: string): Promise<Dirent[]> {
    try {
      const entries = await fsp.readdir(await this.resolve(hostPath), { withFileTypes: true });
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      if (err instanceof SpyglassError && (err.code === 'not_found' || err.code === 'not_directory')) return [];
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /**
   * Expands a glob of host paths (`/etc/modprobe.d/*.conf`, `/home/*\/.ssh/authorized_keys`,
   * `**` for any depth), in sorted order. Only the parts with wildcards are listed, so
   * `/etc/ssh/sshd_config.d/*.conf` reads one directory.
   */
  async glob(pattern: string): Promise<string[]> {
    const parts = path.posix.normalize('/' + pattern).split('/').filter(Boolean);
    let current: string[] = ['/'];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const next: string[] = [];
      if (part === '**') {
        // any depth, including zero: collect every directory below each current path
        for (const base of current) next.push(...(await this.walkDirs(base)));
      } else if (picomatch.scan(part).isGlob) {
        const isMatch = picomatch(part, { dot: false });
        for (const base of current) {
          for (const name of await this.listDir(base)) if (isMatch(name)) next.push(path.posix.join(base, name));
        }
      } else {
        for (const base of current) next.push(path.posix.join(base, part));
      }
      current = next;
    }
    const found: string[] = [];
    for (const p of new Set(current)) if (await this.lstatIfExists(p)) found.push(p);
    return found.sort();
  }

  private async walkDirs(base: string, depth = 0): Promise<string[]> {
    const out = [base];
    if (depth > 32) return out;
    for (const entry of await this.listDirEntries(base)) {
      if (entry.isDirectory()) out.push(...(await this.walkDirs(path.posix.join(base, entry.name), depth + 1)));
    }
    return out;
  }
}
