/**
 * Detached signatures over a profile MANIFEST: Ed25519 for teams that just want a key pair,
 * RSA-PSS (SHA-256) for teams with X.509 PKI, where the signature file may carry the signer's
 * certificate chain up to (not including) a root the agent is configured to trust.
 *
 * MANIFEST.sig is JSON: { "format": "spyglass-signature-v1", "algorithm": "ed25519" |
 * "rsa-pss-sha256", "signature": base64, "certificates"?: [leaf PEM, intermediate PEM…] }.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { SpyglassError } from '../core/errors.js';

export type SignatureAlgorithm = 'ed25519' | 'rsa-pss-sha256';

export interface SignatureFile {
  format: 'spyglass-signature-v1';
  algorithm: SignatureAlgorithm;
  signature: string;
  certificates?: string[];
}

/** What a verifier trusts: plain public keys, and/or root certificates for chains. */
export interface TrustAnchors {
  publicKeys: KeyObject[];
  rootCertificates: crypto.X509Certificate[];
}

const PSS_SALT_LENGTH = 32;

export function generateKeyPair(algorithm: SignatureAlgorithm): { privateKeyPem: string; publicKeyPem: string } {
  if (algorithm === 'ed25519') {
    const pair = crypto.generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return { privateKeyPem: pair.privateKey, publicKeyPem: pair.publicKey };
  }
  const pair = crypto.generateKeyPairSync('rsa-pss', {
    modulusLength: 3072,
    hashAlgorithm: 'sha256',
    mgf1HashAlgorithm: 'sha256',
    // @types/node declares saltLength as a string; Node takes the number of bytes.
    saltLength: PSS_SALT_LENGTH as unknown as string,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: pair.privateKey, publicKeyPem: pair.publicKey };
}

function algorithmOf(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return 'rsa-pss-sha256';
  throw new SpyglassError('unsupported_key', `keys of type ${key.asymmetricKeyType} cannot sign profiles (use ed25519 or RSA)`);
}

export function signManifest(manifest: Buffer, privateKeyPem: string, certificatesPem: string[] = []): SignatureFile {
  let key: KeyObject;
  try {
    key = crypto.createPrivateKey(privateKeyPem);
  } catch {
    // OpenSSL's decoder messages ("DECODER routines::unsupported") say nothing to a person.
    throw new SpyglassError('key_invalid', 'not a PEM private key (expected -----BEGIN PRIVATE KEY----- from `spyglass profiles keygen`)');
  }
  const algorithm = algorithmOf(key);
  const signature =
    algorithm === 'ed25519'
      ? crypto.sign(null, manifest, key)
      : crypto.sign('sha256', manifest, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH });
  const file: SignatureFile = { format: 'spyglass-signature-v1', algorithm, signature: signature.toString('base64') };
  if (certificatesPem.length) file.certificates = certificatesPem;
  return file;
}

export function parseSignatureFile(text: string, file: string): SignatureFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SpyglassError('signature_malformed', `not JSON: ${(err as Error).message}`, { file });
  }
  const v = value as Partial<SignatureFile>;
  if (v.format !== 'spyglass-signature-v1' || (v.algorithm !== 'ed25519' && v.algorithm !== 'rsa-pss-sha256') || typeof v.signature !== 'string') {
    throw new SpyglassError('signature_malformed', 'expected {"format":"spyglass-signature-v1","algorithm":"ed25519"|"rsa-pss-sha256","signature":"…"}', { file });
  }
  if (v.certificates !== undefined && (!Array.isArray(v.certificates) || v.certificates.some((c) => typeof c !== 'string'))) {
    throw new SpyglassError('signature_malformed', '"certificates" must be a list of PEM strings', { file });
  }
  return v as SignatureFile;
}

function verifyWithKey(manifest: Buffer, sig: SignatureFile, key: KeyObject): boolean {
  const signature = Buffer.from(sig.signature, 'base64');
  try {
    if (sig.algorithm === 'ed25519') return key.asymmetricKeyType === 'ed25519' && crypto.verify(null, manifest, key, signature);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return false;
    return crypto.verify('sha256', manifest, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH }, signature);
  } catch {
    return false;
  }
}

/**
 * The signer's public key from a certificate chain, once every link is checked: each
 * certificate issued and signed by the next, all valid now, the last one issued by a
 * trusted root, and every issuer a CA. Throws 'certificate_untrusted' naming the broken link.
 */
export function publicKeyFromChain(chainPem: string[], roots: crypto.X509Certificate[], now = new Date()): KeyObject {
  if (chainPem.length === 0) throw new SpyglassError('certificate_untrusted', 'the signature carries no certificate');
  const chain = chainPem.map((pem, i) => {
    try {
      return new crypto.X509Certificate(pem);
    } catch (err) {
      throw new SpyglassError('certificate_untrusted', `certificate ${i + 1} cannot be parsed: ${(err as Error).message}`);
    }
  });
  for (const [i, cert] of chain.entries()) {
    if (new Date(cert.validFrom) > now || new Date(cert.validTo) < now) {
      throw new SpyglassError('certificate_untrusted', `certificate ${i + 1} (${cert.subject.replace(/\n/g, ', ')}) is not valid now (${cert.validFrom} – ${cert.validTo})`);
    }
    const issuer = chain[i + 1];
    if (issuer) {
      if (!issuer.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
        throw new SpyglassError('certificate_untrusted', `certificate ${i + 1} is not signed by certificate ${i + 2}`);
      }
    }
  }
  const top = chain[chain.length - 1]!;
  const root = roots.find((r) => r.ca && top.checkIssued(r) && top.verify(r.publicKey) && new Date(r.validTo) >= now);
  if (!root) throw new SpyglassError('certificate_untrusted', `certificate chain does not lead to a trusted root (top issuer: ${top.issuer.replace(/\n/g, ', ')})`);
  return chain[0]!.publicKey;
}

/** Verifies a signature over the MANIFEST bytes against the trust anchors; throws with the reason. */
export function verifyManifestSignature(manifest: Buffer, sig: SignatureFile, trust: TrustAnchors, file = 'MANIFEST.sig'): void {
  if (sig.certificates?.length) {
    let key: KeyObject;
    try {
      key = publicKeyFromChain(sig.certificates, trust.rootCertificates);
    } catch (err) {
      throw (err as SpyglassError).withContext({ file });
    }
    if (!verifyWithKey(manifest, sig, key)) throw new SpyglassError('signature_invalid', 'signature does not match the MANIFEST for the certificate it carries', { file });
    return;
  }
  if (trust.publicKeys.length === 0) throw new SpyglassError('signature_invalid', 'no trusted public key is configured to verify this signature', { file });
  if (!trust.publicKeys.some((key) => verifyWithKey(manifest, sig, key))) {
    throw new SpyglassError('signature_invalid', 'signature does not verify with any trusted key (MANIFEST altered, or signed by another key)', { file });
  }
}

/** Loads trust anchors from PEM texts: public keys and/or CA certificates (a bundle may hold several). */
export function loadTrustAnchors(pemTexts: string[]): TrustAnchors {
  const trust: TrustAnchors = { publicKeys: [], rootCertificates: [] };
  for (const text of pemTexts) {
    for (const block of text.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? []) {
      try {
        if (block.includes('CERTIFICATE')) trust.rootCertificates.push(new crypto.X509Certificate(block));
        else trust.publicKeys.push(crypto.createPublicKey(block));
      } catch {
        throw new SpyglassError('trust_invalid', `a PEM block (${/-----BEGIN ([A-Z ]+)-----/.exec(block)?.[1]}) is not a usable public key or certificate`);
      }
    }
  }
  return trust;
}
