/**
 * The one set of TLS options, shared by every sink that speaks TLS and by the HTTPS profile
 * source: verification on by default, extra CA certificates, a client certificate.
 *
 * `ca_file` ADDS to the system CA store. Node (and undici, which passes `ca` to tls.connect)
 * treats a `ca` option as the whole trust store, replacing the system one; so the file is
 * appended to tls.rootCertificates here, and `system_roots: false` trusts only the file.
 */
import fs from 'node:fs';
import tls, { type ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { SpyglassError } from './errors.js';
import type { LegacyKeys } from './legacy-keys.js';
import { SecretRefSchema, resolveSecret, type Redactor } from './secret.js';

export const TlsSchema = z.strictObject({
  verify: z.boolean().default(true).describe('verify the server certificate and name (never turn off in production)'),
  ca_file: z.string().optional().describe('PEM file of CA certificates trusted in addition to the system store'),
  system_roots: z.boolean().default(true).describe('also trust the system CA store; false: trust only ca_file'),
  cert_file: z.string().optional().describe('PEM client certificate (mutual TLS)'),
  key_file: z.string().optional().describe('PEM private key of the client certificate'),
  key_passphrase: SecretRefSchema.optional().describe('passphrase of key_file'),
  server_name: z.string().optional().describe('name to verify instead of the host of the URL (SNI)'),
}).refine((c) => (c.cert_file === undefined) === (c.key_file === undefined), { message: 'cert_file and key_file go together', path: ['cert_file'] })
  .refine((c) => c.system_roots || c.ca_file !== undefined, { message: 'system_roots: false needs a ca_file to trust', path: ['system_roots'] })
  .describe('TLS options');
export type TlsConfig = z.output<typeof TlsSchema>;
export type TlsConfigInput = z.input<typeof TlsSchema>;

/** The camelCase keys of the previous release. caFile replaced the system store, so it keeps doing that. */
export const TLS_LEGACY_KEYS: LegacyKeys = {
  renamed: {
    caFile: { to: 'ca_file', alongside: { system_roots: false }, note: 'ca_file adds to the system CA store, so system_roots: false is set to keep trusting only this file as caFile did' },
    certFile: 'cert_file',
    keyFile: 'key_file',
    keyPassphrase: 'key_passphrase',
    serverName: 'server_name',
  },
};

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new SpyglassError('tls_file', `${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, { path: file });
  }
}

/** Builds node:tls options (reads the files and the passphrase: the build step, not validation). */
export function buildTlsOptions(cfg: TlsConfig | undefined, redactor: Redactor, what: string): ConnectionOptions {
  const c = cfg ?? TlsSchema.parse({});
  const ca = c.ca_file ? readPem(c.ca_file, 'tls.ca_file') : undefined;
  return {
    rejectUnauthorized: c.verify,
    ca: ca && c.system_roots ? [...tls.rootCertificates, ca.toString('utf8')] : ca,
    cert: c.cert_file ? readPem(c.cert_file, 'tls.cert_file') : undefined,
    key: c.key_file ? readPem(c.key_file, 'tls.key_file') : undefined,
    passphrase: c.key_passphrase ? resolveSecret(c.key_passphrase, `${what}: tls.key_passphrase`, redactor) : undefined,
    servername: c.server_name,
  };
}
