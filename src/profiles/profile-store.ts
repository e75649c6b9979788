/**
 * The agent's active profile set, updated atomically from a source. An update is staged in
 * a fresh directory, its signature verified (when required) and its content validated; only
 * then does the `current` link swing to it with one rename(2). A bad update never touches the
 * active set: the last good set stays in force and the result says which file failed and why.
 *
 * Layout under the state directory:
 *   profiles/versions/<version>/   one directory per accepted set (the last KEEP_VERSIONS kept)
 *   profiles/current -> versions/<version>
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import type { TrustAnchors } from './signing.js';
import { verifyProfileDirectory } from './verify-directory.js';
import type { ProfileSource } from './sources/profile-source.js';

const KEEP_VERSIONS = 3;

export interface ProfileStoreOptions {
  stateDir: string;
  /** when set, a set whose MANIFEST signature or digests do not verify is never activated */
  trust?: TrustAnchors;
  /** content validation of a staged set (profiles parse, packs load); problems reject it */
  validate?: (dir: string) => Promise<SpyglassError[]>;
}

export type UpdateStatus = 'updated' | 'unchanged' | 'rejected';

export interface UpdateResult {
  status: UpdateStatus;
  source: string;
  /** version now active (the previous one when rejected) */
  activeVersion: string | undefined;
  /** version that was offered */
  offeredVersion?: string;
  problems: SpyglassError[];
}

export class ProfileStore {
  private readonly base: string;
  /** the active version whose signature this store has checked (with `trust`) */
  private verifiedVersion?: string;

  constructor(private readonly options: ProfileStoreOptions) {
    this.base = path.join(options.stateDir, 'profiles');
  }

  private get currentLink(): string {
    return path.join(this.base, 'current');
  }

  /** The directory of the active set, or undefined before the first good update. */
  async activeDir(): Promise<string | undefined> {
    try {
      return await fsp.realpath(this.currentLink);
    } catch {
      return undefined;
    }
  }

  async activeVersion(): Promise<string | undefined> {
    try {
      return path.basename(await fsp.readlink(this.currentLink));
    } catch {
      return undefined;
    }
  }

  /**
   * With signatures required, the active set must verify too: a set accepted while they were
   * off (or signed by a key no longer trusted) is taken out of use, not kept because its
   * digest did not change. Returns the problems of a set taken out (none when it verifies).
   */
  async verifyActive(): Promise<SpyglassError[]> {
    if (!this.options.trust) return [];
    const version = await this.activeVersion();
    const dir = await this.activeDir();
    if (version === undefined || dir === undefined || version === this.verifiedVersion) return [];
    const verification = await verifyProfileDirectory(dir, this.options.trust);
    if (verification.ok) {
      this.verifiedVersion = version;
      return [];
    }
    await fsp.rm(this.currentLink, { force: true });
    return verification.problems.map((p) => p.withContext({ version }));
  }

  async update(source: ProfileSource): Promise<UpdateResult> {
    const versionsDir = path.join(this.base, 'versions');
    await fsp.mkdir(versionsDir, { recursive: true });
    let before = await this.activeVersion();
    const staging = await fsp.mkdtemp(path.join(versionsDir, '.staging-'));
    const reject = async (problems: SpyglassError[], offeredVersion?: string): Promise<UpdateResult> => {
      await fsp.rm(staging, { recursive: true, force: true });
      return { status: 'rejected', source: source.description, activeVersion: before, offeredVersion, problems };
    };

    let staged;
    try {
      staged = await source.stage(path.join(staging, 'set'));
    } catch (err) {
      return reject([toSpyglassError(err, 'source_failed', { source: source.description })]);
    }
    // The store moves staged.dir into place: it must be the staging directory or lie inside it.
    const stagedReal = await fsp.realpath(staged.dir).catch(() => staged.dir);
    const inside = path.relative(await fsp.realpath(staging), stagedReal);
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      return reject([new SpyglassError('subdir_outside', `${source.description} staged ${staged.dir}, outside its staging directory`, { source: source.description })]);
    }
    const version = staged.version.replace(/[^A-Za-z0-9._-]/g, '_');
    // The same version still has to verify now; when it does not it is out of use, and the
    // staged copy gets the full check below (the signature files are not part of the version).
    if (version === before && (await this.verifyActive()).length === 0) {
      await fsp.rm(staging, { recursive: true, force: true });
      return { status: 'unchanged', source: source.description, activeVersion: before, offeredVersion: version, problems: [] };
    }
    if (version === before) before = undefined;
    if (this.options.trust) {
      const verification = await verifyProfileDirectory(staged.dir, this.options.trust);
      if (!verification.ok) return reject(verification.problems.map((p) => p.withContext({ source: source.description, version })), version);
    }
    if (this.options.validate) {
      const problems = await this.options.validate(staged.dir);
      if (problems.length) return reject(problems.map((p) => p.withContext({ source: source.description, version })), version);
    }

    const finalDir = path.join(versionsDir, version);
    await fsp.rm(finalDir, { recursive: true, force: true });
    await fsp.rename(staged.dir, finalDir);
    await fsp.rm(staging, { recursive: true, force: true });
    const tmpLink = path.join(this.base, `.current-${process.pid}`);
    await fsp.rm(tmpLink, { force: true });
    await fsp.symlink(path.join('versions', version), tmpLink);
    await fsp.rename(tmpLink, this.currentLink); // atomic swap: readers see the old set or the new one
    if (this.options.trust) this.verifiedVersion = version;
    await this.prune(versionsDir, version, before);
    return { status: 'updated', source: source.description, activeVersion: version, offeredVersion: version, problems: [] };
  }

  /** Keeps the newest KEEP_VERSIONS sets (always the active and the previous one). */
  private async prune(versionsDir: string, active: string, previous: string | undefined): Promise<void> {
    const entries = [];
    for (const name of await fsp.readdir(versionsDir)) {
      if (name.startsWith('.') || name === active || name === previous) continue;
      entries.push({ name, mtime: (await fsp.stat(path.join(versionsDir, name))).mtimeMs });
    }
    entries.sort((a, b) => b.mtime - a.mtime);
    for (const old of entries.slice(Math.max(0, KEEP_VERSIONS - 2))) await fsp.rm(path.join(versionsDir, old.name), { recursive: true, force: true });
  }
}
