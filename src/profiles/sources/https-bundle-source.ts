/**
 * Profiles from an HTTPS bundle: a tar.gz fetched with If-None-Match against the ETag of the
 * last good download, so an unchanged bundle costs one 304. The bundle is kept in the cache
 * directory (a 304 reuses it) and extracted into staging; its version is the SHA-256 of its
 * bytes. Certificate verification is always on; a CA file adds private CA certificates to the
 * system ones (the shared TLS options, core/tls-options.ts).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { Redactor } from '../../core/secret.js';
import { TlsSchema, buildTlsOptions, type TlsConfigInput } from '../../core/tls-options.js';
import { z } from 'zod';
import { duration } from '../../core/config-values.js';
import { defineProfileSourceType, type ProfileSource, type StagedProfiles } from './profile-source.js';
import { checkedString, subdirProblem } from './source-input.js';
import { extractTar } from './tar-extract.js';
import { stagedSubdir } from './staged-subdir.js';

export interface HttpsBundleSourceOptions {
  url: string;
  cacheDir: string;
  /** TLS options (core/tls-options.ts): a ca_file adds private CA certificates to the system ones */
  tls?: TlsConfigInput;
  subdir?: string;
  timeoutMs?: number;
  /** largest bundle accepted (default 64 MiB compressed) */
  maxBytes?: number;
}

export class HttpsBundleSource implements ProfileSource {
  readonly description: string;

  constructor(private readonly options: HttpsBundleSourceOptions) {
    if (!/^https:\/\//i.test(options.url)) throw new SpyglassError('config_invalid', `profile bundle URL must be https:// (got ${options.url})`);
    this.description = `bundle ${options.url}`;
  }

  private get bundleFile(): string {
    return path.join(this.options.cacheDir, 'bundle.tar.gz');
  }

  private get etagFile(): string {
    return path.join(this.options.cacheDir, 'etag');
  }

  /** The bundle bytes: fresh on 200, the cached copy on 304. */
  async fetch(): Promise<Buffer> {
    await fsp.mkdir(this.options.cacheDir, { recursive: true });
    const cachedEtag = (await fsp.readFile(this.etagFile, 'utf8').catch(() => '')).trim();
    const haveCache = await fsp.stat(this.bundleFile).then(() => true, () => false);
    const tls = TlsSchema.parse(this.options.tls ?? {});
    if (!tls.verify) throw new SpyglassError('config_invalid', 'certificate verification stays on for profile bundles', { source: this.description });
    const dispatcher = new Agent({ connect: buildTlsOptions(tls, new Redactor(), this.description), headersTimeout: this.options.timeoutMs ?? 60_000, bodyTimeout: this.options.timeoutMs ?? 60_000 });
    try {
      const res = await request(this.options.url, {
        dispatcher,
        headers: cachedEtag && haveCache ? { 'if-none-match': cachedEtag } : {},
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      if (res.statusCode === 304 && haveCache) {
        await res.body.dump();
        return await fsp.readFile(this.bundleFile);
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new SpyglassError('bundle_fetch_failed', `GET ${this.options.url}: HTTP ${res.statusCode}`, { source: this.description });
      }
      const max = this.options.maxBytes ?? 64 * 1024 * 1024;
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        total += (chunk as Buffer).length;
        if (total > max) throw new SpyglassError('bundle_too_large', `bundle over ${max} bytes`, { source: this.description });
        chunks.push(chunk as Buffer);
      }
      const bundle = Buffer.concat(chunks);
      await fsp.writeFile(this.bundleFile + '.tmp', bundle);
      await fsp.rename(this.bundleFile + '.tmp', this.bundleFile);
      const etag = res.headers.etag;
      if (typeof etag === 'string') await fsp.writeFile(this.etagFile, etag);
      else await fsp.rm(this.etagFile, { force: true });
      return bundle;
    } catch (err) {
      if (err instanceof SpyglassError) throw err;
      throw new SpyglassError('bundle_fetch_failed', `GET ${this.options.url}: ${toSpyglassError(err).message}`, { source: this.description }, { cause: err });
    } finally {
      await dispatcher.close();
    }
  }

  async stage(into: string): Promise<StagedProfiles> {
    const bundle = await this.fetch();
    await fsp.mkdir(into, { recursive: true });
    await extractTar(bundle, into, this.options.url);
    const dir = await stagedSubdir(into, this.options.subdir, this.description);
    return { dir, version: createHash('sha256').update(bundle).digest('hex').slice(0, 16) };
  }
}

export const httpsBundleSourceType = defineProfileSourceType({
  type: 'https',
  description: 'profiles from a tar.gz bundle over HTTPS (ETag: unchanged bundles cost a 304)',
  schema: z.strictObject({
    type: z.literal('https').describe('profiles from a tar.gz bundle over HTTPS (ETag: unchanged bundles cost a 304)'),
    url: z.string().regex(/^https:\/\//i, 'an https:// URL').describe('bundle URL'),
    tls: TlsSchema.refine((t) => t.verify, { message: 'certificate verification stays on for profile bundles', path: ['verify'] }).optional()
      .describe('TLS options (ca_file adds private CA certificates to the system ones)'),
    subdir: checkedString(subdirProblem).optional().describe('subdirectory of the bundle holding the profiles'),
    interval: duration({ min: 1000 }).prefault('15m').describe('how often to check'),
  }),
  create: (cfg, ctx) => ({ source: new HttpsBundleSource({ url: cfg.url, tls: cfg.tls, subdir: cfg.subdir, cacheDir: ctx.cacheDir }), interval: cfg.interval }),
});
