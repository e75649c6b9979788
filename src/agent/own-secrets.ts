/**
 * The agent's own secret values, so the pipeline can mask them wherever they turn up in what
 * the agent collects: its environment read back through `process_envs`, a command line in
 * `processes`, a FIM content diff of a file holding a token. Masking by key name cannot catch
 * these (the row's key is `value`); masking by value does.
 *
 * Sink secrets are registered by the sinks as they resolve them; this adds the rest: every
 * secret-looking value in the agent configuration (inline, `{env: NAME}` or `{file: PATH}`),
 * and every environment variable of the agent whose name looks like a secret.
 */
import fs from 'node:fs';
import { DEFAULT_MASK_KEYS } from '../ship/envelope.js';
import type { AgentConfig } from './config/agent-config.js';

/** Shorter values from the environment are left alone: masking "true" or "1" everywhere would ruin data. */
const MIN_ENV_SECRET_LENGTH = 8;

function secretKeyPattern(config: AgentConfig): RegExp {
  const mask = config.shipping?.mask;
  const keys = [...(mask?.defaults === false ? [] : DEFAULT_MASK_KEYS), ...(mask?.keys ?? []), 'passphrase'];
  return new RegExp(keys.map((k) => `(?:${k})`).join('|'), 'i');
}

/** The value behind a secret reference; undefined when it cannot be read (the component using it reports that). */
function resolveQuietly(ref: unknown, env: NodeJS.ProcessEnv): string | undefined {
  if (typeof ref === 'string') return ref;
  if (ref && typeof ref === 'object') {
    const r = ref as { env?: unknown; file?: unknown };
    if (typeof r.env === 'string') return env[r.env];
    if (typeof r.file === 'string') {
      try {
        return fs.readFileSync(r.file, 'utf8').replace(/\r?\n$/, '');
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function collectFromConfig(value: unknown, pattern: RegExp, env: NodeJS.ProcessEnv, out: Set<string>, depth: number): void {
  if (depth > 32 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectFromConfig(v, pattern, env, out, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (pattern.test(key)) {
      const secret = resolveQuietly(v, env);
      if (secret) out.add(secret);
      if (typeof v === 'object') collectFromConfig(v, pattern, env, out, depth + 1); // e.g. auth: {user, password}
    } else {
      collectFromConfig(v, pattern, env, out, depth + 1);
    }
  }
}

/** Every secret value of this agent: from its configuration and its environment. */
export function agentSecretValues(config: AgentConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const pattern = secretKeyPattern(config);
  const out = new Set<string>();
  collectFromConfig(config, pattern, env, out, 0);
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_ENV_SECRET_LENGTH && pattern.test(name)) out.add(value);
  }
  return [...out];
}
