/**
 * osquery's hashing functions (sqlite_hashing.cpp): md5, sha1, sha256 of a value's text (up
 * to its first NUL, as osquery reads it), lowercase hex; community_id_v1 / _strict, the
 * Community ID flow hash (github.com/corelight/community-id-spec) of an address pair, ports
 * and protocol. community_id_v1 answers NULL on bad input, _strict makes it an error.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { compareIpAddresses, parseIpAddress } from './ip-address.js';
import { argCString, DETERMINISTIC, type SqlArg } from './values.js';

class CommunityIdInputError extends Error {}

function communityIdV1(args: SqlArg[]): string {
  const [saddrText, daddrText, sportArg, dportArg, protoArg, seedArg] = args;
  const fail = (message: string): never => { throw new CommunityIdInputError(message); };
  let seed = 0;
  if (args.length === 6) {
    if (typeof seedArg !== 'bigint') fail('Community ID seed must be an integer');
    const s = seedArg as bigint;
    if (s < -32768n || s > 32767n) fail('Community ID seed must fit in 2 bytes');
    seed = Number(s) & 0xffff;
  }
  if (typeof saddrText !== 'string' || typeof daddrText !== 'string') fail('Community ID IPs must be strings');
  let saddr = parseIpAddress(saddrText as string) ?? fail('Community ID saddr cannot be parsed as IP');
  let daddr = parseIpAddress(daddrText as string) ?? fail('Community ID daddr cannot be parsed as IP');
  if (typeof sportArg !== 'bigint' || typeof dportArg !== 'bigint') fail('Community ID ports must be integers');
  let sport = Number(sportArg);
  let dport = Number(dportArg);
  if (sport < 0 || sport > 65535 || dport < 0 || dport > 65535) fail('Community ID ports must fit in 2 bytes');
  if (typeof protoArg !== 'bigint') fail('Community ID protocol must be an integer');
  const proto = Number(protoArg);
  if (proto < 0 || proto > 255) fail('Community ID protocol must fit in 1 byte');
  const order = compareIpAddresses(saddr, daddr);
  if (!(order < 0 || (order === 0 && sport < dport))) {
    [saddr, daddr] = [daddr, saddr];
    [sport, dport] = [dport, sport];
  }
  const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
  const input = Buffer.concat([u16(seed), saddr.bytes, daddr.bytes, Buffer.from([proto, 0]), u16(sport), u16(dport)]);
  return `1:${crypto.createHash('sha1').update(input).digest('base64')}`;
}

export function registerHashingFunctions(db: Database.Database): void {
  for (const algorithm of ['md5', 'sha1', 'sha256']) {
    db.function(algorithm, DETERMINISTIC, (v: SqlArg) => {
      const text = argCString(v);
      return text === null ? null : crypto.createHash(algorithm).update(text, 'utf8').digest('hex');
    });
  }
  const options = { ...DETERMINISTIC, varargs: true };
  const arity = (args: SqlArg[]) => {
    if (args.length !== 5 && args.length !== 6) throw new Error('wrong number of arguments to function community_id_v1()');
  };
  db.function('community_id_v1', options, (...args: SqlArg[]) => {
    arity(args);
    try { return communityIdV1(args); } catch (err) { if (err instanceof CommunityIdInputError) return null; throw err; }
  });
  db.function('community_id_v1_strict', options, (...args: SqlArg[]) => {
    arity(args);
    return communityIdV1(args);
  });
}
