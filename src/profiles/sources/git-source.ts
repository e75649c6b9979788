/**
 * Profiles pulled from a git repository (branch, tag or commit) with the system's git client.
 * The agent keeps one bare mirror per source and exports the wanted commit into a fresh
 * staging directory; nothing from the repository is ever executed (hooks are switched off,
 * and a clone never carries hooks or local config anyway).
 *
 * Nothing the configuration says reaches git unchecked: the url and the ref are validated
 * (source-input.ts) and passed after --end-of-options, only the documented transports are
 * allowed (GIT_ALLOW_PROTOCOL; never ext::), and the subdir must stay inside the checkout.
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SpyglassError } from '../../core/errors.js';
import { z } from 'zod';
import { duration } from '../../core/config-values.js';
import { defineProfileSourceType, type ProfileSource, type StagedProfiles } from './profile-source.js';
import { ALLOWED_GIT_PROTOCOLS, checkedString, gitRefProblem, gitUrlProblem, subdirProblem } from './source-input.js';
import { stagedSubdir } from './staged-subdir.js';

const execFileAsync = promisify(execFile);

export interface GitSourceOptions {
  /** anything `git clone` takes: https://…, git://…, ssh://…, a local path */
  url: string;
  /** a branch, a tag or a full commit id (default: the remote's HEAD) */
  ref?: string;
  /** a subdirectory of the repository that holds the profiles (default: its top) */
  subdir?: string;
  /** where the bare mirror lives */
  cacheDir: string;
  /** for each git call */
  timeoutMs?: number;
}

export class GitSource implements ProfileSource {
  readonly description: string;

  constructor(private readonly options: GitSourceOptions) {
    this.description = `git ${options.url}${options.ref ? `@${options.ref}` : ''}`;
    const problem = gitUrlProblem(options.url) ?? (options.ref === undefined ? undefined : gitRefProblem(options.ref))
      ?? (options.subdir === undefined ? undefined : subdirProblem(options.subdir));
    if (problem) throw new SpyglassError('config_invalid', `git profile source: ${problem}`, { source: this.description });
  }

  private async git(args: string[], cwd?: string): Promise<string> {
    try {
      const { stdout } = await execFileAsync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'protocol.ext.allow=never', '-c', 'advice.detachedHead=false', ...args], {
        cwd,
        timeout: this.options.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false', LC_ALL: 'C', GIT_ALLOW_PROTOCOL: ALLOWED_GIT_PROTOCOLS.join(':') },
      });
      return stdout.trim();
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      const detail = (e.stderr || e.message).trim().split('\n').slice(-2).join(' ');
      throw new SpyglassError('git_failed', `git ${args[0]} failed for ${this.options.url}: ${detail}`, { source: this.description });
    }
  }

  private get mirror(): string {
    return path.join(this.options.cacheDir, 'mirror.git');
  }

  /** Fetches and returns the commit id the ref points to now. */
  async resolve(): Promise<string> {
    await fsp.mkdir(this.options.cacheDir, { recursive: true });
    const exists = await fsp.stat(path.join(this.mirror, 'HEAD')).then(() => true, () => false);
    if (!exists) await this.git(['clone', '--bare', '--quiet', '--end-of-options', this.options.url, this.mirror]);
    await this.git(['fetch', '--quiet', '--prune', '--tags', '--force', 'origin', '+refs/heads/*:refs/heads/*'], this.mirror);
    const ref = this.options.ref ?? 'HEAD';
    const commit = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], this.mirror).catch(async () => {
      // A commit id that no branch names can still be fetched directly.
      await this.git(['fetch', '--quiet', 'origin', '--end-of-options', ref], this.mirror);
      return this.git(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`], this.mirror);
    });
    if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new SpyglassError('git_failed', `ref ${ref} does not name a commit in ${this.options.url}`);
    return commit;
  }

  async stage(into: string): Promise<StagedProfiles> {
    const commit = await this.resolve();
    await fsp.mkdir(into, { recursive: true });
    await this.git(['--work-tree', into, 'checkout', '--force', commit, '--', '.'], this.mirror);
    // checkout into a foreign work tree also moves the bare repo's index: harmless, it is ours.
    const dir = await stagedSubdir(into, this.options.subdir, this.description);
    return { dir, version: commit };
  }
}

export const gitSourceType = defineProfileSourceType({
  type: 'git',
  description: 'profiles pulled from a git repository',
  schema: z.strictObject({
    type: z.literal('git').describe('profiles pulled from a git repository'),
    url: checkedString(gitUrlProblem).describe('repository URL (https://, ssh://, git://, file://, user@host:path, or an absolute path)'),
    ref: checkedString(gitRefProblem).optional().describe('branch, tag or commit (default: the remote HEAD)'),
    subdir: checkedString(subdirProblem).optional().describe('subdirectory holding the profiles (inside the repository)'),
    interval: duration({ min: 1000 }).prefault('15m').describe('how often to pull'),
  }),
  create: (cfg, ctx) => ({ source: new GitSource({ url: cfg.url, ref: cfg.ref, subdir: cfg.subdir, cacheDir: ctx.cacheDir }), interval: cfg.interval }),
});
