/**
 * osquery's `routes`: the IPv4 main routing table (/proc/net/route) and the IPv6 routes
 * (/proc/net/ipv6_route), live root only. osquery asks netlink; /proc gives the same
 * destination, prefix, gateway, flags, interface, MTU and metric. `type` comes from the
 * route flags (unicast, local, anycast, unreachable); `source` (preferred source address,
 * RTA_PREFSRC) is not in /proc and is empty; `hopcount` is NULL (netlink only, and unused on Linux).
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, readTextSync } from '../table-support/host-files.js';
import { ipv4FromLeHex, ipv4PrefixLength, ipv6FromBeHex } from '../../host/net-addresses.js';

const spec = osqueryTableSpec('routes', { liveOnly: true });

const RTF_REJECT = 0x0200;
const RTF_ANYCAST = 0x00100000;
const RTF_LOCAL = 0x80000000;

function routeType(flags: number): string {
  if (flags & RTF_REJECT) return 'unreachable';
  if ((flags & RTF_LOCAL) >>> 0) return 'local';
  if (flags & RTF_ANYCAST) return 'anycast';
  return 'unicast';
}

export function parseIpv4Routes(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of lines(text).slice(1)) {
    // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT
    const f = line.trim().split(/\s+/);
    if (f.length < 11) continue;
    const flags = parseInt(f[3]!, 16);
    rows.push({
      destination: ipv4FromLeHex(f[1]!), netmask: ipv4PrefixLength(ipv4FromLeHex(f[7]!)), gateway: ipv4FromLeHex(f[2]!), source: '',
      flags, interface: f[0]!, mtu: Number(f[8]), metric: Number(f[6]), type: routeType(flags), hopcount: null,
    });
  }
  return rows;
}

export function parseIpv6Routes(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of lines(text)) {
    // dest destlen src srclen gateway metric refcnt use flags iface
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const flags = parseInt(f[8]!, 16) >>> 0;
    rows.push({
      destination: ipv6FromBeHex(f[0]!), netmask: parseInt(f[1]!, 16), gateway: ipv6FromBeHex(f[4]!), source: '',
      flags: flags | 0, interface: f[9]!, mtu: null, metric: parseInt(f[5]!, 16) >>> 0, type: routeType(flags), hopcount: null,
    });
  }
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const types = ctx.equalsValues('type')?.map(String);
    const v4 = readTextSync(ctx.root, '/proc/net/route');
    const v6 = readTextSync(ctx.root, '/proc/net/ipv6_route');
    for (const row of [...(v4 ? parseIpv4Routes(v4) : []), ...(v6 ? parseIpv6Routes(v6) : [])]) {
      if (!types || types.includes(row.type as string)) yield row;
    }
  },
};
