/**
 * IP addresses as 16 or 4 bytes, parsed as boost::asio::ip::make_address does for osquery
 * (IPv6 first, with an optional %scope; then strict dotted IPv4).
 */
import net from 'node:net';

export interface IpAddress {
  version: 4 | 6;
  bytes: Buffer;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const withoutScope = text.includes(':') ? text.replace(/%[^%]+$/, '') : text;
  if (net.isIPv6(withoutScope)) return { version: 6, bytes: ipv6Bytes(withoutScope) };
  if (net.isIPv4(text)) return { version: 4, bytes: Buffer.from(text.split('.').map(Number)) };
  return undefined;
}

function ipv6Bytes(text: string): Buffer {
  let s = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    s = s.slice(0, -v4[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = s.includes('::') ? s.split('::') as [string, string] : [s, undefined];
  const words = (part: string) => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
  const left = words(head);
  const right = rest === undefined ? [] : words(rest);
  const all = rest === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((w, i) => out.writeUInt16BE(w, i * 2));
  return out;
}

/** boost's address ordering: every IPv4 address before every IPv6 one, then by bytes. */
export function compareIpAddresses(a: IpAddress, b: IpAddress): number {
  if (a.version !== b.version) return a.version - b.version;
  return Buffer.compare(a.bytes, b.bytes);
}
