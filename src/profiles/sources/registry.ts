/**
 * Every profile source type (`profiles.sources[].type` in the agent configuration). To add
 * one, write its ProfileSource and ProfileSourceType in one file here and add it to the list.
 */
import type { z } from 'zod';
import type { ProfileSource, ProfileSourceContext, ProfileSourceType } from './profile-source.js';
import { directorySourceType } from './directory-source.js';
import { gitSourceType } from './git-source.js';
import { httpsBundleSourceType } from './https-bundle-source.js';

export const PROFILE_SOURCE_TYPES = [directorySourceType, gitSourceType, httpsBundleSourceType] as const;

type SourceSchema = (typeof PROFILE_SOURCE_TYPES)[number]['schema'];
/** The source schemas, for the `type`-keyed union of the agent configuration. */
export const PROFILE_SOURCE_SCHEMAS = PROFILE_SOURCE_TYPES.map((t) => t.schema) as unknown as [SourceSchema, ...SourceSchema[]];

export type ProfileSourceConfig = z.output<SourceSchema>;

/** Builds a configured source (no I/O yet: sources fetch when staged). */
export function createProfileSource(cfg: ProfileSourceConfig, ctx: ProfileSourceContext): { source: ProfileSource; interval: number } {
  const t = (PROFILE_SOURCE_TYPES as ReadonlyArray<ProfileSourceType>).find((s) => s.type === cfg.type);
  if (!t) throw new Error(`no profile source type ${cfg.type}`);
  return t.create(cfg as never, ctx);
}
