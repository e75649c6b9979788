/** TLS settings shared by every sink that speaks TLS: verification on by default, CA file, client certificate. */
import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { SpyglassError } from '../core/errors.js';
import { SecretRefSchema, resolveSecret, type Redactor } from './secret.js';

export const TlsSchema = z.strictObject({
  verify: z.boolean().default(true).describe('verify the server certificate and name (never turn off in production)'),
  caFile: z.string().optional().describe('PEM file of CA certificates to trust instead of the system store'),
  certFile: z.string().optional().describe('PEM client certificate (mutual TLS)'),
  keyFile: z.string().optional().describe('PEM private key of the client certificate'),
  keyPassphrase: SecretRefSchema.optional().describe('passphrase of keyFile'),
  serverName: z.string().optional().describe('name to verify instead of the host of the URL (SNI)'),
}).describe('TLS options');
export type TlsConfig = z.infer<typeof TlsSchema>;

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new SpyglassError('tls_file', `${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, { path: file });
  }
}

/** Builds node:tls options (reads the files: the build step, not validation). */
export function buildTlsOptions(cfg: TlsConfig | undefined, redactor: Redactor, what: string): ConnectionOptions {
  const c = cfg ?? { verify: true };
  if ((c.certFile === undefined) !== (c.keyFile === undefined)) {
    throw new SpyglassError('tls_config', `${what}: tls.certFile and tls.keyFile go together`);
  }
  return {
    rejectUnauthorized: c.verify,
    ca: c.caFile ? readPem(c.caFile, 'tls.caFile') : undefined,
    cert: c.certFile ? readPem(c.certFile, 'tls.certFile') : undefined,
    key: c.keyFile ? readPem(c.keyFile, 'tls.keyFile') : undefined,
    passphrase: c.keyPassphrase ? resolveSecret(c.keyPassphrase, `${what}: tls.keyPassphrase`, redactor) : undefined,
    servername: c.serverName,
  };
}
