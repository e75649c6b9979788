/**
 * osquery's `user_ssh_keys`: the private keys in each local user's ~/.ssh and whether they
 * are encrypted. PEM keys (PKCS#1, PKCS#8, SEC1) are read with Node's crypto; OpenSSH-format
 * keys ("openssh-key-v1", what ssh-keygen writes today) are read from their public part,
 * which is stored in clear even when the key is encrypted — so, unlike osquery (which only
 * understands PEM), type, group and length are known for them too. Semantics follow
 * OpenSSL's as osquery reports them: key_type is one of rsa, dsa, ec (or '' for others such
 * as ed25519), key_group_name the curve's OpenSSL name, key_length EVP_PKEY_bits (253 for
 * ed25519), key_security_bits NIST SP800-57 strength; -1 where unknown (an encrypted PEM key).
 */
import crypto from 'node:crypto';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { listDirSync, readBytesSync, statSync, usersWithHomes } from '../table-support/host-files.js';

const spec = osqueryTableSpec('user_ssh_keys');

export interface KeyFacts { encrypted: boolean; type: string; group: string; length: number; securityBits: number }

const UNKNOWN = { type: '', group: '', length: -1, securityBits: -1 };

/** OpenSSL's BN_security_bits for a modulus of L bits (and a subgroup of N bits, DSA). */
function finiteFieldBits(L: number, N = -1): number {
  const byL = L >= 15360 ? 256 : L >= 7680 ? 192 : L >= 3072 ? 128 : L >= 2048 ? 112 : L >= 1024 ? 80 : 0;
  return N < 0 ? byL : Math.min(byL, Math.floor(N / 2));
}

/** OpenSSL's EC security bits from the group order's size. */
function ecBits(orderBits: number): number {
  return orderBits >= 512 ? 256 : orderBits >= 384 ? 192 : orderBits >= 256 ? 128 : orderBits >= 224 ? 112 : orderBits >= 160 ? 80 : Math.floor(orderBits / 2);
}

const CURVES: Record<string, { name: string; bits: number }> = {
  nistp256: { name: 'prime256v1', bits: 256 }, nistp384: { name: 'secp384r1', bits: 384 }, nistp521: { name: 'secp521r1', bits: 521 },
  prime256v1: { name: 'prime256v1', bits: 256 }, 'P-256': { name: 'prime256v1', bits: 256 }, secp384r1: { name: 'secp384r1', bits: 384 },
  'P-384': { name: 'secp384r1', bits: 384 }, secp521r1: { name: 'secp521r1', bits: 521 }, 'P-521': { name: 'secp521r1', bits: 521 },
};

function facts(kind: string, length: number, curve = '', qBits = -1): Omit<KeyFacts, 'encrypted'> {
  switch (kind) {
    case 'rsa': return { type: 'rsa', group: '', length, securityBits: finiteFieldBits(length) };
    case 'dsa': return { type: 'dsa', group: '', length, securityBits: finiteFieldBits(length, qBits) };
    case 'ec': { const c = CURVES[curve]; return c ? { type: 'ec', group: c.name, length: c.bits, securityBits: ecBits(c.bits) } : { ...UNKNOWN, type: 'ec' }; }
    case 'ed25519': return { type: '', group: '', length: 253, securityBits: 128 };
    case 'ed448': return { type: '', group: '', length: 456, securityBits: 224 };
    default: return UNKNOWN;
  }
}

/** Reads SSH wire-format strings (uint32 length + bytes). */
class SshReader {
  private off = 0;
  constructor(private readonly buf: Buffer) {}
  bytes(): Buffer {
    const n = this.buf.readUInt32BE(this.off);
    const b = this.buf.subarray(this.off + 4, this.off + 4 + n);
    if (b.length !== n) throw new Error('truncated');
    this.off += 4 + n;
    return b;
  }
  string(): string { return this.bytes().toString('latin1'); }
  uint32(): number { const v = this.buf.readUInt32BE(this.off); this.off += 4; return v; }
}

/** Bits of an SSH mpint (big-endian, possibly with a leading zero byte). */
function mpintBits(b: Buffer): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

export function opensshKeyFacts(pem: string): KeyFacts | undefined {
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(pem)?.[1];
  if (!body) return undefined;
  const raw = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!raw.subarray(0, magic.length).equals(magic)) return undefined;
  try {
    const r = new SshReader(raw.subarray(magic.length));
    const cipher = r.string();
    r.string(); // kdf name
    r.bytes(); // kdf options
    if (r.uint32() < 1) return undefined;
    const pub = new SshReader(r.bytes());
    const type = pub.string();
    const encrypted = cipher !== 'none';
    if (type === 'ssh-rsa') { pub.bytes(); return { encrypted, ...facts('rsa', mpintBits(pub.bytes())) }; }
    if (type === 'ssh-dss') { const p = mpintBits(pub.bytes()); const q = mpintBits(pub.bytes()); return { encrypted, ...facts('dsa', p, '', q) }; }
    if (type.startsWith('ecdsa-sha2-')) return { encrypted, ...facts('ec', 0, pub.string()) };
    if (type === 'ssh-ed25519') return { encrypted, ...facts('ed25519', 0) };
    if (type === 'ssh-ed448') return { encrypted, ...facts('ed448', 0) };
    return { encrypted, ...UNKNOWN };
  } catch {
    return undefined;
  }
}

export function pemKeyFacts(pem: string): KeyFacts | undefined {
  const m = /-----BEGIN ((?:RSA |DSA |EC |ENCRYPTED )?PRIVATE KEY)-----/.exec(pem);
  if (!m) return undefined;
  const encrypted = m[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
  if (encrypted) {
    const kind = m[1]!.startsWith('RSA') ? 'rsa' : m[1]!.startsWith('DSA') ? 'dsa' : m[1]!.startsWith('EC ') ? 'ec' : '';
    return { encrypted, ...UNKNOWN, type: kind };
  }
  try {
    const key = crypto.createPrivateKey({ key: pem, format: 'pem' });
    const d = key.asymmetricKeyDetails ?? {};
    const kind = key.asymmetricKeyType ?? '';
    if (kind === 'rsa' || kind === 'rsa-pss') return { encrypted, ...facts('rsa', d.modulusLength ?? -1) };
    if (kind === 'dsa') return { encrypted, ...facts('dsa', d.modulusLength ?? -1, '', d.divisorLength ?? -1) };
    if (kind === 'ec') return { encrypted, ...facts('ec', 0, d.namedCurve ?? '') };
    return { encrypted, ...facts(kind, 0) };
  } catch {
    return { encrypted, ...UNKNOWN };
  }
}

/** What a file holding a private key says about it, or undefined when it holds none. */
export function privateKeyFacts(text: string): KeyFacts | undefined {
  return opensshKeyFacts(text) ?? pemKeyFacts(text);
}

const MAX_KEY_FILE = 1024 * 1024;

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const u of usersWithHomes(ctx.root, ctx.equalsValues('uid'))) {
      const dir = `${u.home.replace(/\/$/, '')}/.ssh`;
      for (const name of listDirSync(ctx.root, dir)) {
        const file = `${dir}/${name}`;
        const st = statSync(ctx.root, file);
        if (!st?.isFile() || st.size > MAX_KEY_FILE) continue;
        const text = readBytesSync(ctx.root, file, MAX_KEY_FILE)?.toString('latin1');
        if (!text || !text.includes('PRIVATE KEY-----')) continue;
        const f = privateKeyFacts(text);
        if (!f) continue;
        const row: Row = {
          uid: u.uid, path: file, encrypted: f.encrypted ? 1 : 0, key_type: f.type, key_group_name: f.group,
          key_length: f.length, key_security_bits: f.securityBits, pid_with_namespace: null,
        };
        yield row;
      }
    }
  },
};
