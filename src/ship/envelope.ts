/**
 * The one event envelope every component's events are shipped in. Producers hand an
 * EventDraft (`src/core/event.ts`); the pipeline adds an id (used by sinks that can
 * de-duplicate, e.g. Elasticsearch `_id`), the host, the agent version and the configured
 * custom fields, and masks values whose key looks like a secret before the event is spooled:
 * a masked value never reaches the disk.
 */
import { randomUUID } from 'node:crypto';
import type { EventDraft, EventKind } from '../core/event.js';
import { AGENT_VERSION } from '../core/version.js';
import type { HostIdentity } from './host-identity.js';
import type { Redactor } from '../core/secret.js';
import { compileUserRegex, type UserRegex } from '../core/user-regex.js';

export interface EventEnvelope {
  /** random UUID, unique per event; a re-delivered event keeps it */
  id: string;
  /** ISO 8601 UTC */
  time: string;
  kind: EventKind;
  source: string;
  /** the host name, its stable id and its configured tags (host.tags) */
  host: { name: string; id: string; tags: Record<string, string> };
  agent: { name: 'spyglass'; version: string };
  /** configured custom fields (environment, team, ...) */
  fields: Record<string, string>;
  data: Record<string, unknown>;
}

export interface EnvelopeOptions {
  host: Pick<HostIdentity, 'name' | 'id'> & { tags?: Record<string, string> };
  fields?: Record<string, string>;
  /** key patterns (case-insensitive regular expressions) whose values are masked */
  maskKeys?: string[];
  maskReplacement?: string;
  /** the agent's own secret values (sink tokens, passwords): masked wherever they appear in event data */
  secretValues?: Redactor;
}

const RAW_JSON = Symbol('spyglass.rawJson');

/** Remembers the JSON an envelope was read from, so sinks can embed it without serializing again. */
export function attachRawJson(e: EventEnvelope, json: string): EventEnvelope {
  Object.defineProperty(e, RAW_JSON, { value: json, enumerable: false });
  return e;
}

/** The envelope as JSON: the spooled text when known, else serialized now. */
export function envelopeJson(e: EventEnvelope): string {
  return (e as unknown as Record<symbol, string | undefined>)[RAW_JSON] ?? JSON.stringify(e);
}

/** Secret-looking keys masked by default; configured patterns are added to these. */
export const DEFAULT_MASK_KEYS = ['passw(or)?d', 'secret', 'token', 'api[_-]?key', 'private[_-]?key', 'credential', '^auth(orization)?$', 'cookie'];

/** Builds envelopes from drafts with one fixed configuration. */
export class EnvelopeBuilder {
  private readonly mask: UserRegex | undefined;
  private readonly replacement: string;

  constructor(private readonly opts: EnvelopeOptions) {
    const keys = opts.maskKeys ?? DEFAULT_MASK_KEYS;
    this.mask = keys.length ? compileUserRegex(keys.map((k) => `(?:${k})`).join('|'), { ignoreCase: true }) : undefined;
    this.replacement = opts.maskReplacement ?? '***';
  }

  build(draft: EventDraft, now = new Date()): EventEnvelope {
    let data = this.mask && hasMaskedKey(draft.data, this.mask, 0) ? (maskValue(draft.data, this.mask, this.replacement, 0) as Record<string, unknown>) : draft.data;
    // By value too: a query row of process_envs or a FIM diff holds a token under no telling key.
    const secrets = this.opts.secretValues;
    if (secrets?.size && holdsSecret(data, secrets, 0)) data = maskSecrets(data, secrets, this.replacement, 0) as Record<string, unknown>;
    return {
      id: randomUUID(),
      time: (draft.time ?? now).toISOString(),
      kind: draft.kind,
      source: draft.source,
      host: { name: this.opts.host.name, id: this.opts.host.id, tags: { ...(this.opts.host.tags ?? {}) } },
      agent: { name: 'spyglass', version: AGENT_VERSION },
      fields: { ...(this.opts.fields ?? {}) },
      data,
    };
  }
}

/** True when some key at any depth matches (checked first so most events are not copied). */
function hasMaskedKey(value: unknown, mask: UserRegex, depth: number): boolean {
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasMaskedKey(v, mask, depth + 1));
  for (const k in value as Record<string, unknown>) {
    if (mask.test(k) || hasMaskedKey((value as Record<string, unknown>)[k], mask, depth + 1)) return true;
  }
  return false;
}

/** Copies `value`, replacing the value of every key matching `mask` (at any depth). */
function maskValue(value: unknown, mask: UserRegex, replacement: string, depth: number): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, mask, replacement, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = mask.test(k) && v !== null && v !== undefined && v !== '' ? replacement : maskValue(v, mask, replacement, depth + 1);
  }
  return out;
}

/** True when some string (value or key) at any depth holds a secret value. */
function holdsSecret(value: unknown, secrets: Redactor, depth: number): boolean {
  if (typeof value === 'string') return secrets.finds(value);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => holdsSecret(v, secrets, depth + 1));
  for (const k in value as Record<string, unknown>) {
    if (secrets.finds(k) || holdsSecret((value as Record<string, unknown>)[k], secrets, depth + 1)) return true;
  }
  return false;
}

/** Copies `value` with every secret value inside its strings (values and keys) replaced. */
function maskSecrets(value: unknown, secrets: Redactor, replacement: string, depth: number): unknown {
  if (typeof value === 'string') return secrets.redact(value, replacement);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, secrets, replacement, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[secrets.redact(k, replacement)] = maskSecrets(v, secrets, replacement, depth + 1);
  return out;
}
