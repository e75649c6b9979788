/**
 * Secrets (tokens, passwords) in shipping configuration: from an environment variable
 * (`{env: NAME}`), a file (`{file: /path}`, trailing newline trimmed) or, discouraged, inline.
 * A resolved secret is registered with a Redactor so no log line, status or error message
 * built by the pipeline can carry it.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { SpyglassError } from './errors.js';

export const SecretRefSchema = z.union([
  z.strictObject({ env: z.string().min(1).describe('name of the environment variable holding the secret') }),
  z.strictObject({ file: z.string().min(1).describe('file holding the secret (trailing newline trimmed)') }),
  z.string().min(1).describe('the secret inline (prefer env or file)'),
]).describe('a secret: {env: NAME}, {file: PATH} or an inline string');
export type SecretRef = z.infer<typeof SecretRefSchema>;

/** Resolves a secret reference; errors name the variable or file, never the value. */
export function resolveSecret(ref: SecretRef, what: string, redactor: Redactor): string {
  let value: string | undefined;
  if (typeof ref === 'string') value = ref;
  else if ('env' in ref) {
    value = process.env[ref.env];
    if (value === undefined || value === '') throw new SpyglassError('secret_missing', `${what}: environment variable ${ref.env} is not set`);
  } else {
    try {
      value = fs.readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new SpyglassError('secret_missing', `${what}: cannot read secret file ${ref.file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { path: ref.file });
    }
    if (!value) throw new SpyglassError('secret_missing', `${what}: secret file ${ref.file} is empty`, { path: ref.file });
  }
  redactor.add(value);
  return value;
}

/** Replaces every known secret (and its base64 forms, as used by Basic auth) with [REDACTED]. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    if (secret.length < 3) return;
    this.secrets.add(secret);
    this.secrets.add(Buffer.from(secret).toString('base64'));
  }

  /** Registers the base64 of a Basic credential pair. */
  addBasic(user: string, password: string): void {
    this.secrets.add(Buffer.from(`${user}:${password}`).toString('base64'));
  }

  redact(text: string, replacement = '[REDACTED]'): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(replacement);
    return out;
  }

  /** True when `text` holds a known secret (checked before copying an event). */
  finds(text: string): boolean {
    for (const s of this.secrets) if (text.includes(s)) return true;
    return false;
  }

  get size(): number {
    return this.secrets.size;
  }
}
