/** Profiles from a local directory: copied whole into staging, so a half-written edit in the
 * source cannot change the active set after it was verified. */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { buildManifest } from '../manifest.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineProfileSourceType, type ProfileSource, type StagedProfiles } from './profile-source.js';

export class DirectorySource implements ProfileSource {
  readonly description: string;

  constructor(private readonly dir: string) {
    this.description = `dir ${dir}`;
  }

  async stage(into: string): Promise<StagedProfiles> {
    await fsp.cp(this.dir, into, { recursive: true, dereference: false, filter: (src) => path.basename(src) !== '.git' });
    const digest = createHash('sha256');
    for (const entry of await buildManifest(into)) digest.update(`${entry.sha256} ${entry.path}\n`);
    return { dir: into, version: digest.digest('hex').slice(0, 16) };
  }
}

export const directorySourceType = defineProfileSourceType({
  type: 'dir',
  description: 'profiles from a local directory',
  schema: z.strictObject({
    type: z.literal('dir').describe('profiles from a local directory'),
    path: z.string().describe('directory holding profiles, packs and FIM settings'),
  }),
  // a local directory is cheap to look at: every 15 minutes, like the remote sources' default
  create: (cfg) => ({ source: new DirectorySource(cfg.path), interval: 900_000 }),
});
