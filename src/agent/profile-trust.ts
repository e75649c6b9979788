/**
 * The trust anchors the agent verifies profile sets with, read from `profiles.trust`. Start,
 * reload (SIGHUP) and `spyglass config check` all call this one function, so a configuration
 * the check calls valid is one a reload accepts: signatures required without any anchor, a
 * trust file that is missing, unreadable or holds no key or certificate are problems here.
 */
import { promises as fsp } from 'node:fs';
import { ConfigError, ConfigErrors } from '../core/config-error.js';
import { toSpyglassError, type SpyglassError } from '../core/errors.js';
import { loadTrustAnchors, type TrustAnchors } from '../profiles/signing.js';
import type { AgentConfig } from './config/agent-config.js';

/** The anchors to verify with, or undefined when signatures are not required. Throws ConfigErrors. */
export async function loadProfileTrust(profiles: AgentConfig['profiles']): Promise<TrustAnchors | undefined> {
  const problems: SpyglassError[] = [];
  const merged: TrustAnchors = { publicKeys: [], rootCertificates: [] };
  for (const file of profiles.trust) {
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      problems.push(new ConfigError(`profiles.trust: cannot read ${file}: ${toSpyglassError(err).message.replace(`${file}: `, '')}`, { path: file }));
      continue;
    }
    try {
      const anchors = loadTrustAnchors([text]);
      if (anchors.publicKeys.length + anchors.rootCertificates.length === 0) {
        problems.push(new ConfigError(`profiles.trust: ${file} holds no PEM public key or certificate`, { path: file }));
      }
      merged.publicKeys.push(...anchors.publicKeys);
      merged.rootCertificates.push(...anchors.rootCertificates);
    } catch (err) {
      problems.push(new ConfigError(`profiles.trust: ${file}: not a usable public key or certificate (${toSpyglassError(err).message})`, { path: file }));
    }
  }
  if (profiles.require_signature && profiles.trust.length === 0) {
    problems.push(new ConfigError('profiles.require_signature is set but profiles.trust names no key or certificate'));
  }
  if (problems.length) throw new ConfigErrors(problems, 'profile trust settings');
  return profiles.require_signature ? merged : undefined;
}
