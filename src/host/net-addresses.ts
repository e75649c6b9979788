/**
 * Address formatting for the /proc/net readers: the kernel prints IPv4 addresses as the hex
 * of a 32-bit word in host (little-endian) order and IPv6 addresses as four such words
 * (/proc/net/tcp6) or as plain big-endian hex (/proc/net/if_inet6, ipv6_route). Output is
 * what inet_ntop(3) prints, as osquery does: dotted quads and RFC 5952 compressed IPv6.
 */

/** "0100007F" (little-endian word) -> "127.0.0.1". */
export function ipv4FromLeHex(hex: string): string {
  const n = parseInt(hex, 16) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
}

/** 16 bytes -> RFC 5952 text, with the IPv4-mapped form ::ffff:a.b.c.d as inet_ntop prints it. */
export function ipv6FromBytes(b: Buffer): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i));
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  // longest run of two or more zero words, the first one on a tie
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** 32 hex digits in network order (if_inet6, ipv6_route) -> IPv6 text. */
export function ipv6FromBeHex(hex: string): string {
  return ipv6FromBytes(Buffer.from(hex, 'hex'));
}

/** 32 hex digits as four little-endian words (/proc/net/tcp6) -> IPv6 text. */
export function ipv6FromLeWordsHex(hex: string): string {
  const b = Buffer.alloc(16);
  for (let w = 0; w < 4; w++) b.writeUInt32BE(parseInt(hex.slice(w * 8, w * 8 + 8), 16) >>> 0, w * 4);
  // each word was printed from a little-endian u32: swap its bytes back
  for (let w = 0; w < 4; w++) b.subarray(w * 4, w * 4 + 4).reverse();
  return ipv6FromBytes(b);
}

/** Prefix length -> dotted IPv4 netmask. */
export function ipv4Netmask(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** Prefix length -> IPv6 netmask text (ffff:ffff:ffff:ffff::). */
export function ipv6Netmask(prefix: number): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    b[i] = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
  }
  return ipv6FromBytes(b);
}

/** Dotted IPv4 -> unsigned 32-bit number. */
export function ipv4ToNumber(a: string): number {
  return a.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}

/** Number of leading one bits of a dotted IPv4 mask. */
export function ipv4PrefixLength(mask: string): number {
  let n = ipv4ToNumber(mask);
  let bits = 0;
  while (n & 0x80000000) { bits++; n = (n << 1) >>> 0; }
  return bits;
}
