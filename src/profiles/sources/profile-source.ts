/**
 * Where profiles come from (the contract): a ProfileSource stages a profile set; a
 * ProfileSourceType is the plugin behind one `type:` of `profiles.sources` in the agent
 * configuration: its options schema (validated, no I/O) and the factory that builds the
 * source. Sources are listed in sources/registry.ts; adding one is a file plus one line there.
 */
import type { z } from 'zod';

export interface StagedProfiles {
  /** directory holding the staged profile set */
  dir: string;
  /** what was staged: a commit id, or a content digest for a directory */
  version: string;
}

export interface ProfileSource {
  /** for messages and events: "git https://…@main", "dir /srv/profiles" */
  readonly description: string;
  /** Copies the current profile set into `into` (an empty directory the store made). */
  stage(into: string): Promise<StagedProfiles>;
}

/** What a source factory gets besides its own options. */
export interface ProfileSourceContext {
  /** a directory of its own for caches (a git mirror, the last bundle) */
  cacheDir: string;
}

export interface ProfileSourceType<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly description: string;
  /** the options, including `type: <literal>` */
  readonly schema: S;
  /** builds the source and says how often to pull it (milliseconds) */
  create(config: z.output<S>, ctx: ProfileSourceContext): { source: ProfileSource; interval: number };
}

export function defineProfileSourceType<S extends z.ZodType>(t: ProfileSourceType<S>): ProfileSourceType<S> {
  return t;
}
