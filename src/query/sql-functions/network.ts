/**
 * osquery's in_cidr_block(cidr, ip) (sqlite_network.cpp), with boost's notion of a network's
 * hosts: for IPv4 the network and broadcast addresses are not hosts (a /32 is its one
 * address), for IPv6 every address of the prefix is. Arguments that are not text, or do not
 * parse, are errors of the query, with osquery's messages.
 */
import type Database from 'better-sqlite3';
import { parseIpAddress } from './ip-address.js';
import { DETERMINISTIC, type SqlArg } from './values.js';

/** boost's make_network_v4/v6: "address/prefix", the prefix all digits and in range. */
function parseNetwork(text: string, version: 4 | 6): { bytes: Buffer; prefix: number } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || slash === text.length - 1 || !/^\d+$/.test(text.slice(slash + 1))) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const prefix = Number(text.slice(slash + 1));
  if (!address || address.version !== version || prefix > (version === 4 ? 32 : 128)) return undefined;
  return { bytes: address.bytes, prefix };
}

const toBig = (b: Buffer): bigint => BigInt(`0x${b.toString('hex') || '0'}`);

function inHostsOf(network: { bytes: Buffer; prefix: number }, ip: Buffer, version: 4 | 6): boolean {
  const bits = version === 4 ? 32n : 128n;
  const modulus = 1n << bits;
  const prefix = BigInt(network.prefix);
  const mask = ((1n << prefix) - 1n) << (bits - prefix);
  const address = toBig(network.bytes);
  const first = address & mask;
  const last = first | (~mask & (modulus - 1n));
  const x = toBig(ip);
  let begin: bigint;
  let end: bigint; // exclusive, with boost's wrap-around past the top address
  if (version === 4) {
    [begin, end] = prefix === 32n ? [address, (address + 1n) % modulus] : [(first + 1n) % modulus, last];
  } else {
    [begin, end] = [first, (last + 1n) % modulus];
  }
  return x >= begin && x < end;
}

export function registerNetworkFunctions(db: Database.Database): void {
  db.function('in_cidr_block', DETERMINISTIC, (cidr: SqlArg, ip: SqlArg) => {
    if (typeof cidr !== 'string') throw new Error('CIDR must be a string');
    if (typeof ip !== 'string') throw new Error('IP address must be a string');
    const address = parseIpAddress(ip);
    if (!address) throw new Error('IP address cannot be parsed');
    const network = parseNetwork(cidr, address.version);
    if (!network) throw new Error(`CIDR for IP address v${address.version} cannot be parsed`);
    return inHostsOf(network, address.bytes, address.version) ? 1n : 0n;
  });
}
