/**
 * Recognising password hashes in text read from the host, so that evidence, reports and
 * shipped events never carry one. Two ways, because either alone misses some:
 * - by file: a line of a file known to hold hashes in a given field (shadow, gshadow,
 *   opasswd) has that field replaced, whatever it looks like (a DES hash is 13 plain
 *   characters);
 * - by shape, in any text: crypt(3) strings (`$6$salt$hash`, `$y$…`), GRUB's
 *   `grub.pbkdf2.…` hashes and the secret word of GRUB `password` lines.
 * What a person needs to judge the account stays: the lock marks (`!`, `*`, `!!`), an empty
 * field, and the algorithm prefix (`$6$`).
 */

export const REDACTED = '<redacted>';

/** Host paths whose colon-separated lines hold a password hash, and the 0-based field. */
const HASH_FIELD_OF_FILE: ReadonlyMap<string, number> = new Map([
  ['/etc/shadow', 1], ['/etc/shadow-', 1], ['/etc/gshadow', 1], ['/etc/gshadow-', 1],
  ['/etc/security/opasswd', 3], ['/etc/security/opasswd.old', 3],
]);

/** True when lines of `hostPath` carry a password hash field. */
export function isHashBearingFile(hostPath: string): boolean {
  return HASH_FIELD_OF_FILE.has(hostPath);
}

/** A password field with the secret part replaced: "!$6$abc$def" -> "!$6$<redacted>". */
export function redactPasswordField(field: string): string {
  const lock = /^[!*]*/.exec(field)![0];
  const rest = field.slice(lock.length);
  if (rest === '') return field;
  // opasswd keeps a comma-separated list of old hashes
  return lock + rest.split(',').map((h) => {
    const prefix = /^\$[^$]+\$/.exec(h)?.[0];
    return (prefix ?? '') + REDACTED;
  }).join(',');
}

/** The hash field of one line of a hash-bearing file replaced (other lines unchanged). */
export function redactHashFileLine(hostPath: string, line: string): string {
  const field = HASH_FIELD_OF_FILE.get(hostPath);
  if (field === undefined) return line;
  const parts = line.split(':');
  if (parts.length <= field || parts[0]!.trimStart().startsWith('#')) return line;
  parts[field] = redactPasswordField(parts[field]!);
  return parts.join(':');
}

/** The secret values of a hash-bearing line (for removing the same value elsewhere). */
export function hashValuesOf(hostPath: string, line: string): string[] {
  const field = HASH_FIELD_OF_FILE.get(hostPath);
  if (field === undefined) return [];
  const value = line.split(':')[field];
  if (value === undefined) return [];
  return value.replace(/^[!*]*/, '').split(',').filter((h) => h.length >= 2);
}

const CRYPT_HASH = /\$(1|2[abxy]?|5|6|7|y|gy|sha1|md5|argon2(?:id|i|d)|pbkdf2(?:-sha\d+)?|scrypt)\$[./0-9A-Za-z$,=+-]{6,}/g;
const GRUB_PBKDF2 = /\bgrub\.pbkdf2\.[a-z0-9]+\.[./0-9A-Za-z.]+/gi;
/** GRUB `password USER SECRET` / `password_pbkdf2 USER HASH` lines, and GRUB2_PASSWORD= in user.cfg */
const GRUB_PASSWORD_LINE = /^(\s*password(?:_pbkdf2)?\s+\S+\s+)\S.*$/gm;
const GRUB2_PASSWORD_ASSIGNMENT = /^(\s*GRUB2?_PASSWORD\s*=\s*)\S.*$/gm;
/** A shadow(5) line: name, password, then six numeric-or-empty fields and a reserved one */
const SHADOW_SHAPED_LINE = /(^|[\s'"`])([^\s:'"`]+):([^\s:]*)((?::\d*){6}:[^\s:]*)(?=$|[\s'"`])/gm;

/** `text` with every password hash it recognises by shape replaced. */
export function redactHashesByShape(text: string): string {
  if (!text) return text;
  return text
    .replace(SHADOW_SHAPED_LINE, (_m, before: string, name: string, field: string, tail: string) => `${before}${name}:${redactPasswordField(field)}${tail}`)
    .replace(CRYPT_HASH, (_m, id: string) => `$${id}$${REDACTED}`)
    .replace(GRUB_PBKDF2, `grub.pbkdf2.${REDACTED}`)
    .replace(GRUB_PASSWORD_LINE, `$1${REDACTED}`)
    .replace(GRUB2_PASSWORD_ASSIGNMENT, `$1${REDACTED}`);
}
