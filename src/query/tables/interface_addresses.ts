/**
 * osquery's `interface_addresses`: the IPv4 and IPv6 addresses of the network interfaces
 * (live root only), read without netlink (Node has no AF_NETLINK sockets) and without
 * running `ip`:
 * - IPv6 from /proc/net/if_inet6: address, prefix length and interface, exactly.
 * - IPv4 from /proc/net/fib_trie (every local address is a "/32 host LOCAL" leaf) joined to
 *   the interface routes of /proc/net/route (the connected subnet containing the address
 *   gives its interface and prefix length); 127.0.0.0/8 addresses belong to `lo`. An IPv4
 *   address with no connected route (a /32 on a device) is reported with an empty interface
 *   and a /32 mask. The broadcast address is given when the interface has IFF_BROADCAST and
 *   the kernel keeps a broadcast route for the subnet.
 * `point_to_point` (the peer address of a P2P link) is empty: /proc does not expose it.
 * `type` is "unknown" on every row, as osquery's (Linux records no address origin it reads).
 */
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, listDirSync, readTextSync } from '../table-support/host-files.js';
import { ipv4FromLeHex, ipv4Netmask, ipv4PrefixLength, ipv4ToNumber, ipv6FromBeHex, ipv6Netmask } from '../../host/net-addresses.js';

const spec = osqueryTableSpec('interface_addresses', { liveOnly: true });

const IFF_BROADCAST = 0x2;

interface Fib { locals: string[]; broadcasts: Set<string>; hostSubnets: Array<{ net: number; prefix: number }> }

/** The local and broadcast addresses of /proc/net/fib_trie (Local table, where the kernel puts them). */
export function parseFibTrie(text: string): Fib {
  const locals: string[] = [];
  const broadcasts = new Set<string>();
  const hostSubnets: Fib['hostSubnets'] = [];
  let current = '';
  let inLocal = false;
  for (const line of lines(text)) {
    if (/^\S/.test(line)) { inLocal = line.startsWith('Local'); continue; }
    if (!inLocal) continue;
    const leaf = /\|--\s+(\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (leaf) { current = leaf[1]!; continue; }
    const info = /^\s+\/(\d+)\s+(\w+)\s+(\w+)/.exec(line);
    if (!info || !current) continue;
    const [prefix, , kind] = [Number(info[1]), info[2], info[3]];
    if (kind === 'LOCAL' && prefix === 32 && !locals.includes(current)) locals.push(current);
    else if (kind === 'LOCAL' && prefix < 32) hostSubnets.push({ net: ipv4ToNumber(current), prefix });
    else if (kind === 'BROADCAST') broadcasts.add(current);
  }
  return { locals, broadcasts, hostSubnets };
}

interface LinkRoute { iface: string; net: number; prefix: number }

function linkRoutes(text: string | undefined): LinkRoute[] {
  const out: LinkRoute[] = [];
  for (const line of lines(text ?? '').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || ipv4FromLeHex(f[2]!) !== '0.0.0.0') continue; // via a gateway: not connected
    out.push({ iface: f[0]!, net: ipv4ToNumber(ipv4FromLeHex(f[1]!)), prefix: ipv4PrefixLength(ipv4FromLeHex(f[7]!)) });
  }
  return out;
}

const contains = (net: number, prefix: number, addr: number) => prefix === 0 || ((addr ^ net) >>> (32 - prefix)) === 0;

function interfaceFlags(root: HostRoot, iface: string): number {
  return Number(readTextSync(root, `/sys/class/net/${iface}/flags`)?.trim() ?? 0);
}

export function* ipv4Addresses(root: HostRoot): Generator<Row> {
  const fib = parseFibTrie(readTextSync(root, '/proc/net/fib_trie') ?? '');
  const routes = linkRoutes(readTextSync(root, '/proc/net/route'));
  const hasLo = listDirSync(root, '/sys/class/net').includes('lo');
  for (const address of fib.locals) {
    const a = ipv4ToNumber(address);
    let best: LinkRoute | undefined;
    for (const r of routes) if (contains(r.net, r.prefix, a) && (!best || r.prefix > best.prefix)) best = r;
    if (!best && (a >>> 24) === 127 && hasLo) {
      const sub = fib.hostSubnets.find((s) => contains(s.net, s.prefix, a));
      best = { iface: 'lo', net: sub?.net ?? 0x7f000000, prefix: sub?.prefix ?? 8 };
    }
    const prefix = best?.prefix ?? 32;
    let broadcast = '';
    if (best && interfaceFlags(root, best.iface) & IFF_BROADCAST && prefix < 31) {
      const b = (best.net | (0xffffffff >>> prefix)) >>> 0;
      const text = [b >>> 24, (b >>> 16) & 0xff, (b >>> 8) & 0xff, b & 0xff].join('.');
      if (fib.broadcasts.has(text)) broadcast = text;
    }
    yield { interface: best?.iface ?? '', address, mask: ipv4Netmask(prefix), broadcast, point_to_point: '', type: 'unknown' };
  }
}

export function* ipv6Addresses(root: HostRoot): Generator<Row> {
  for (const line of lines(readTextSync(root, '/proc/net/if_inet6') ?? '')) {
    // address ifindex prefixlen scope flags name
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    yield { interface: f[5]!, address: ipv6FromBeHex(f[0]!), mask: ipv6Netmask(parseInt(f[2]!, 16)), broadcast: '', point_to_point: '', type: 'unknown' };
  }
}

export const table: Table = {
  spec,
  *generate(ctx) {
    yield* ipv4Addresses(ctx.root);
    yield* ipv6Addresses(ctx.root);
  },
};
