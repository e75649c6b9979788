/**
 * `spyglass profiles keygen | sign DIR | verify DIR`: key pairs, MANIFEST signing and
 * verification of a profile set. Attached to the `profiles` command (listing and validation
 * live in profiles.ts), created here if that command is not registered.
 */
import { promises as fsp } from 'node:fs';
import type { Command } from 'commander';
import { SpyglassError, formatError, toSpyglassError } from '../../core/errors.js';
import { countNoun } from '../../core/count-noun.js';
import { ExitCode } from '../exit-code.js';
import { generateKeyPair, loadTrustAnchors, type SignatureAlgorithm } from '../../profiles/signing.js';
import { signProfileDirectory, verifyProfileDirectory } from '../../profiles/verify-directory.js';

async function readFileFor(what: string, file: string): Promise<string> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    throw new SpyglassError('usage', `cannot read ${what} ${file}: ${(err as Error).message}`, { file });
  }
}

export function register(program: Command): void {
  const profiles = program.commands.find((c) => c.name() === 'profiles') ?? program.command('profiles').description('Profile sets: signing and verification');

  profiles
    .command('keygen')
    .description('Create a signing key pair (private key 0600, public key to distribute to agents)')
    .option('--algorithm <alg>', 'ed25519 or rsa-pss-sha256', 'ed25519')
    .requiredOption('--out <prefix>', 'writes <prefix>.key and <prefix>.pub')
    .action(async (opts: { algorithm: string; out: string }) => {
      if (opts.algorithm !== 'ed25519' && opts.algorithm !== 'rsa-pss-sha256') throw new SpyglassError('usage', `unknown algorithm ${opts.algorithm} (ed25519, rsa-pss-sha256)`);
      const keys = generateKeyPair(opts.algorithm as SignatureAlgorithm);
      await fsp.writeFile(`${opts.out}.key`, keys.privateKeyPem, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        throw new SpyglassError('usage', err.code === 'EEXIST' ? `${opts.out}.key exists: not overwriting a key` : err.message);
      });
      await fsp.writeFile(`${opts.out}.pub`, keys.publicKeyPem, { mode: 0o644 });
      process.stdout.write(`wrote ${opts.out}.key (private, keep it off the agents) and ${opts.out}.pub\n`);
    });

  profiles
    .command('sign <dir>')
    .description('Write MANIFEST (SHA-256 of every file) and MANIFEST.sig into a profile directory')
    .requiredOption('--key <file>', 'private key (PEM)')
    .option('--cert <file...>', 'signer certificate, then intermediates (PEM), for X.509 trust')
    .action(async (dir: string, opts: { key: string; cert?: string[] }) => {
      const certs = [];
      for (const file of opts.cert ?? []) certs.push(await readFileFor('certificate', file));
      const count = await signProfileDirectory(dir, await readFileFor('key', opts.key), certs).catch((err: unknown) => {
        if (err instanceof SpyglassError && err.code === 'key_invalid') throw err.withContext({ file: opts.key });
        throw toSpyglassError(err, 'io_error', { path: dir });
      });
      process.stdout.write(`signed ${countNoun(count, 'file')} in ${dir}\n`);
    });

  profiles
    .command('verify <dir>')
    .description('Check MANIFEST.sig against trusted keys or CA certificates, and every file against MANIFEST')
    .requiredOption('--trust <file...>', 'public key(s) or root CA certificate(s) (PEM)')
    .action(async (dir: string, opts: { trust: string[] }) => {
      const pems = [];
      for (const file of opts.trust) pems.push(await readFileFor('trust anchor', file));
      let trust;
      try {
        trust = loadTrustAnchors(pems);
      } catch (err) {
        throw toSpyglassError(err, 'trust_invalid', { file: opts.trust.join(', ') });
      }
      const result = await verifyProfileDirectory(dir, trust);
      for (const problem of result.problems) process.stderr.write(`${dir}: ${formatError(problem)}\n`);
      if (!result.ok) throw new ExitCode(1);
      process.stdout.write(`${dir}: ${countNoun(result.verifiedFiles.length, 'file')} verified\n`);
    });
}
