/**
 * sshd `Match` criteria, evaluated as sshd's match_cfg_line does: every criterion must hold;
 * pattern lists are comma-separated with `*` / `?` wildcards and `!` negation (a negated hit
 * vetoes); Address / LocalAddress also take CIDR blocks. Without connection information
 * (plain `sshd -T`) only `Match All` applies.
 */
import { SpyglassError } from '../core/errors.js';
import { compileUserRegex, type UserRegex } from '../core/user-regex.js';

export interface SshdConnection {
  user?: string | undefined;
  /** the user's groups (primary and supplementary), for Match Group */
  groups?: string[] | undefined;
  host?: string | undefined;
  addr?: string | undefined;
  laddr?: string | undefined;
  lport?: number | undefined;
  rdomain?: string | undefined;
}

/** On RE2: a Match pattern of many `*` would backtrack for minutes on a long name. */
function wildcardToRegExp(pattern: string, caseInsensitive: boolean): UserRegex {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return compileUserRegex(`^${body}$`, { ignoreCase: caseInsensitive });
}

/** match_pattern_list: true when some positive pattern matches and no negated one does. */
export function matchPatternList(value: string, list: string, caseInsensitive = false): boolean {
  let matched = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern === '') continue;
    if (wildcardToRegExp(pattern, caseInsensitive).test(value)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function ipToBits(addr: string): { bits: bigint; width: number } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(addr)) {
    const parts = addr.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { bits: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), width: 32 };
  }
  if (addr.includes(':')) {
    const [head, tail] = addr.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (addr.split('::').length > 2) return undefined;
    const fill = addr.includes('::') ? 8 - h.length - t.length : 0;
    const groups = [...h, ...Array(fill).fill('0'), ...t];
    if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
    return { bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n), width: 128 };
  }
  return undefined;
}

function inCidr(addr: string, cidr: string): boolean {
  const [net, lenText] = cidr.split('/') as [string, string];
  const a = ipToBits(addr);
  const n = ipToBits(net);
  const len = Number(lenText);
  if (!a || !n || a.width !== n.width || !Number.isInteger(len) || len < 0 || len > a.width) return false;
  const shift = BigInt(a.width - len);
  return a.bits >> shift === n.bits >> shift;
}

/** addr_match_list: like matchPatternList, where an entry with "/" is a CIDR block. */
export function matchAddressList(addr: string, list: string): boolean {
  let matched = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern === '') continue;
    const hit = pattern.includes('/') ? inCidr(addr, pattern) : wildcardToRegExp(pattern, true).test(addr);
    if (hit) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/**
 * Whether a Match line's criteria (its arguments) hold for a connection; `connection`
 * undefined is plain `sshd -T`. Throws SpyglassError 'parse_error' for a malformed line.
 */
export function matchCriteriaHold(args: readonly string[], connection: SshdConnection | undefined, where: { file: string; line: number }): boolean {
  if (args.length === 0) throw new SpyglassError('parse_error', `${where.file}:${where.line}: Match without criteria`, { file: where.file, line: where.line });
  if (args.length === 1 && args[0]!.toLowerCase() === 'all') return true;
  let result = true;
  for (let i = 0; i < args.length; i += 2) {
    const attr = args[i]!.toLowerCase();
    const list = args[i + 1];
    if (attr === 'all') throw new SpyglassError('parse_error', `${where.file}:${where.line}: "All" cannot be combined with other Match criteria`, { file: where.file, line: where.line });
    if (list === undefined) throw new SpyglassError('parse_error', `${where.file}:${where.line}: Match ${args[i]} needs an argument`, { file: where.file, line: where.line });
    if (!connection) { result = false; continue; }
    switch (attr) {
      case 'user': if (connection.user === undefined || !matchPatternList(connection.user, list)) result = false; break;
      case 'group': if (!(connection.groups ?? []).some((g) => matchPatternList(g, list))) result = false; break;
      case 'host': if (connection.host === undefined || !matchPatternList(connection.host.toLowerCase(), list.toLowerCase())) result = false; break;
      case 'address': if (connection.addr === undefined || !matchAddressList(connection.addr, list)) result = false; break;
      case 'localaddress': if (connection.laddr === undefined || !matchAddressList(connection.laddr, list)) result = false; break;
      case 'localport': if (connection.lport === undefined || !matchPatternList(String(connection.lport), list)) result = false; break;
      case 'rdomain': if (connection.rdomain === undefined || !matchPatternList(connection.rdomain, list)) result = false; break;
      default: throw new SpyglassError('parse_error', `${where.file}:${where.line}: unsupported Match attribute ${args[i]}`, { file: where.file, line: where.line });
    }
  }
  return result;
}
