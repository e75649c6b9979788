/**
 * The one way every check and table reads the host: paths are host paths ("/etc/passwd")
 * resolved under a configurable root directory, so the same code audits this machine
 * (root "/"), a mounted image or a fixture tree built by a test.
 *
 * Symlinks are followed the way the kernel would inside a chroot: an absolute link target
 * is taken relative to the root, and ".." never climbs above it. A link can therefore never
 * lead a read outside the audited tree.
 *
 * Every read has a synchronous sibling (`readTextSync`, `listDirSync`, `statSync`, ...) with
 * the same semantics, because SQL tables pull rows synchronously; the audit uses the async
 * ones. Reads refuse FIFOs, sockets and devices and stop at a size cap (core/regular-file.ts),
 * so a planted FIFO can never hang a scan.
 */
import fs, { promises as fsp, type Stats, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { SpyglassError, toSpyglassError } from './errors.js';
import { readRegularFile, readRegularFileSync } from './regular-file.js';

const MAX_SYMLINK_HOPS = 40; // Linux's own limit (MAXSYMLINKS)
/** Default cap for one read: configuration files are small; a huge one is itself worth an error. */
export const DEFAULT_MAX_READ_BYTES = 16 * 1024 * 1024;

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
        st = fs.lstatSync(this.join(candidate));
      } catch (err) {
        if (options.missing === 'keep') return '/' + [...done, part, ...pending].join('/');
        throw toSpyglassError(err, 'io_error', { path: candidate });
      }
      if (!st.isSymbolicLink()) { done.push(part); continue; }
      if (++hops > MAX_SYMLINK_HOPS) {
        throw new SpyglassError('symlink_loop', `${hostPath}: too many levels of symbolic links`, { path: hostPath });
      }
      const target = fs.readlinkSync(this.join(candidate));
      if (target.startsWith('/')) done.length = 0;
      pending = [...target.split('/').filter(Boolean), ...pending];
    }
    return '/' + done.join('/');
  }

  /** Machine path of a host path with all links resolved inside the root. */
  async resolve(hostPath: string): Promise<string> {
    return this.resolveSync(hostPath);
  }

  /**
   * The same, synchronously. A missing component is kept as written so the fs call made
   * with the answer reports ENOENT itself.
   */
  resolveSync(hostPath: string): string {
    if (this.isLive) return this.join(hostPath); // the kernel resolves links correctly on the live root
    return this.join(this.realHostPathSync(hostPath, { missing: 'keep' }));
  }

  /**
   * Machine path for lstat/readlink: the parent directories resolved inside the root, the
   * last component kept (it is the link being asked about). Joining without resolving the
   * parents would let an absolute parent link (/etc -> /etc) lead outside the root.
   */
  private resolveParentSync(hostPath: string): string {
    const normal = path.posix.normalize('/' + hostPath);
    if (this.isLive || normal === '/') return this.join(normal);
    const parent = this.realHostPathSync(path.posix.dirname(normal), { missing: 'keep' });
    return this.join(path.posix.join(parent, path.posix.basename(normal)));
  }

  async stat(hostPath: string): Promise<Stats> {
    try {
      return await fsp.stat(this.resolveSync(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /** stat, following links inside the root. */
  statSync(hostPath: string): Stats {
    try {
      return fs.statSync(this.resolveSync(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  async lstat(hostPath: string): Promise<Stats> {
    try {
      return await fsp.lstat(this.resolveParentSync(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /** lstat: the last component is not followed, its parents are (inside the root). */
  lstatSync(hostPath: string): Stats {
    try {
      return fs.lstatSync(this.resolveParentSync(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /** lstat that answers undefined for a path that does not exist (other errors still throw). */
  async lstatIfExists(hostPath: string): Promise<Stats | undefined> {
    try {
      return await this.lstat(hostPath);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  lstatIfExistsSync(hostPath: string): Stats | undefined {
    try {
      return this.lstatSync(hostPath);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async exists(hostPath: string): Promise<boolean> {
    try {
      await fsp.access(this.resolveSync(hostPath));
      return true;
    } catch {
      return false;
    }
  }

  /** True when the path exists after following links inside the root. */
  existsSync(hostPath: string): boolean {
    try {
      fs.accessSync(this.resolveSync(hostPath));
      return true;
    } catch {
      return false;
    }
  }

  async readlink(hostPath: string): Promise<string> {
    try {
      return await fsp.readlink(this.resolveParentSync(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /** The target of a symlink, as written in the link (not resolved). */
  readlinkSync(hostPath: string): string {
    try {
      return fs.readlinkSync(this.resolveParentSync(hostPath));
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /**
   * Reads a text file. Files larger than `maxBytes` (default 16 MiB) are refused with
   * 'file_too_large' rather than read whole: configuration files are small, and a huge
   * file where one is expected is itself worth an error. FIFOs, sockets and devices are
   * refused with 'not_regular_file'.
   */
  async readText(hostPath: string, maxBytes = DEFAULT_MAX_READ_BYTES): Promise<string> {
    const buf = await this.readBytes(hostPath, maxBytes);
    return buf.toString('utf8');
  }

  readTextSync(hostPath: string, maxBytes = DEFAULT_MAX_READ_BYTES): string {
    return this.readBytesSync(hostPath, maxBytes).toString('utf8');
  }

  async readBytes(hostPath: string, maxBytes = DEFAULT_MAX_READ_BYTES): Promise<Buffer> {
    let real: string;
    try {
      real = this.resolveSync(hostPath);
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
    return readRegularFile(real, { maxBytes, label: hostPath });
  }

  readBytesSync(hostPath: string, maxBytes = DEFAULT_MAX_READ_BYTES): Buffer {
    let real: string;
    try {
      real = this.resolveSync(hostPath);
    } catch (err) {
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
    return readRegularFileSync(real, { maxBytes, label: hostPath });
  }

  /** Like readText, but a missing file (or missing parent directory) answers undefined. */
  async readTextIfExists(hostPath: string, maxBytes?: number): Promise<string | undefined> {
    try {
      return await this.readText(hostPath, maxBytes);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  readTextIfExistsSync(hostPath: string, maxBytes?: number): string | undefined {
    try {
      return this.readTextSync(hostPath, maxBytes);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /** Directory entries (names, sorted), or [] when the directory does not exist. */
  async listDir(hostPath: string): Promise<string[]> {
    return (await this.listDirEntries(hostPath)).map((d) => d.name);
  }

  listDirSync(hostPath: string): string[] {
    return this.listDirEntriesSync(hostPath).map((d) => d.name);
  }

  async listDirEntries(hostPath: string): Promise<Dirent[]> {
    try {
      const entries = await fsp.readdir(this.resolveSync(hostPath), { withFileTypes: true });
      return entries.sort(byName);
    } catch (err) {
      if (isMissing(err)) return [];
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /** Directory entries with their types (not following links), sorted; [] when missing. */
  listDirEntriesSync(hostPath: string): Dirent[] {
    try {
      return fs.readdirSync(this.resolveSync(hostPath), { withFileTypes: true }).sort(byName);
    } catch (err) {
      if (isMissing(err)) return [];
      throw toSpyglassError(err, 'io_error', { path: hostPath });
    }
  }

  /**
   * Expands a glob of host paths (`/etc/modprobe.d/*.conf`, `/home/*\/.ssh/authorized_keys`,
   * `**` for any depth), in sorted order. Only the parts with wildcards are listed, so
   * `/etc/ssh/sshd_config.d/*.conf` reads one directory.
   */
  async glob(pattern: string): Promise<string[]> {
    return this.globSync(pattern);
  }

  globSync(pattern: string): string[] {
    const parts = path.posix.normalize('/' + pattern).split('/').filter(Boolean);
    let current: string[] = ['/'];
    for (const part of parts) {
      const next: string[] = [];
      if (part === '**') {
        // any depth, including zero: collect every directory below each current path
        for (const base of current) next.push(...this.walkDirsSync(base));
      } else if (picomatch.scan(part).isGlob) {
        const isMatch = picomatch(part, { dot: false });
        for (const base of current) {
          for (const name of this.listDirSync(base)) if (isMatch(name)) next.push(path.posix.join(base, name));
        }
      } else {
        for (const base of current) next.push(path.posix.join(base, part));
      }
      current = next;
    }
    const found: string[] = [];
    for (const p of new Set(current)) if (this.lstatIfExistsSync(p)) found.push(p);
    return found.sort();
  }

  private walkDirsSync(base: string, depth = 0): string[] {
    const out = [base];
    if (depth > 32) return out;
    for (const entry of this.listDirEntriesSync(base)) {
      if (entry.isDirectory()) out.push(...this.walkDirsSync(path.posix.join(base, entry.name), depth + 1));
    }
    return out;
  }
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A path that is not there: missing file, or a parent that is missing or not a directory. */
function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'not_found' || code === 'not_directory';
}

