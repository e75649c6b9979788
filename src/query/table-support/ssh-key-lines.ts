/**
 * Parsing of OpenSSH public key lines (authorized_keys(5)): `[options] keytype base64 [comment]`,
 * where options may hold quoted strings with spaces and commas.
 */

export interface KeyLine {
  options: string;
  algorithm: string;
  key: string;
  comment: string;
}

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|(ssh|ecdsa|rsa)-[a-z0-9-]+-cert-v01@openssh\.com|ssh-[a-z0-9-]+-cert-v01@openssh\.com)$/;

/** Splits at unquoted whitespace, keeping quoted parts (with their quotes) in the word. */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && quoted && i + 1 < line.length) { cur += c + line[++i]; continue; }
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === ' ' || c === '\t')) { if (cur) out.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** One authorized_keys line, or undefined for a blank line, a comment or a line without a key. */
export function parseKeyLine(raw: string): KeyLine | undefined {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return undefined;
  const w = words(line);
  const typeAt = w.findIndex((x) => KEY_TYPE.test(x));
  if (typeAt < 0 || typeAt > 1 || w[typeAt + 1] === undefined) return undefined;
  return {
    options: typeAt === 1 ? w[0]! : '',
    algorithm: w[typeAt]!,
    key: w[typeAt + 1]!,
    comment: w.slice(typeAt + 2).join(' '),
  };
}
