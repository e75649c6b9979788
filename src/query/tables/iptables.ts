/**
 * osquery's `iptables`: IPv4 packet filter rules. osquery reads the running ruleset with
 * libiptc (getsockopt on a raw socket), which Node cannot call and which needs
 * CAP_NET_ADMIN; this table reads the rules as saved for boot instead, in iptables-save
 * format: /etc/iptables/rules.v4 (Debian's iptables-persistent), /etc/sysconfig/iptables
 * (Red Hat), /etc/iptables/iptables.rules (Arch). On a live root whose kernel has tables
 * loaded (/proc/net/ip_tables_names) a warning says the rows are the saved rules, which
 * may differ from the running ones.
 *
 * Columns as osquery fills them: one row per rule, plus one row for a chain without rules
 * (so a chain's policy is always visible); protocol by number (0 = all); an absent
 * interface is "all" and the interface masks are libiptc's hex bytes (FF for each matched
 * character plus the terminator, none for a trailing '+'); addresses and masks dotted, 0.0.0.0
 * when absent; ports "min:max" from a tcp/udp match ("0:65535" when the match sets none);
 * `match` is "yes" when the rule uses match extensions (-m); packets and bytes from the
 * saved counters ([p:b] or -c p b), NULL when the file has none.
 */
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, readTextSync } from '../table-support/host-files.js';
import { ipv4Netmask } from '../table-support/net-addresses.js';

const spec = osqueryTableSpec('iptables');

export const SAVED_RULE_FILES = ['/etc/iptables/rules.v4', '/etc/sysconfig/iptables', '/etc/iptables/iptables.rules'];
const BUILTIN_PROTOCOLS: Record<string, number> = { all: 0, icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, sctp: 132, udplite: 136 };

/** Splits an iptables-save line into words, honouring double quotes (comments). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

function protocolNumber(root: HostRoot, name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  if (name in BUILTIN_PROTOCOLS) return BUILTIN_PROTOCOLS[name]!;
  const m = new RegExp(`^${name}\\s+(\\d+)`, 'm').exec(readTextSync(root, '/etc/protocols') ?? '');
  return m ? Number(m[1]) : 0;
}

function addressAndMask(spec: string | undefined): [string, string] {
  if (!spec) return ['0.0.0.0', '0.0.0.0'];
  const [addr, mask] = spec.split('/');
  if (mask === undefined) return [addr!, '255.255.255.255'];
  return [addr!, /^\d+$/.test(mask) ? ipv4Netmask(Number(mask)) : mask];
}

function interfaceMask(name: string | undefined): string {
  if (!name) return '';
  return name.endsWith('+') ? 'FF'.repeat(name.length - 1) : 'FF'.repeat(name.length + 1);
}

function portRange(v: string | undefined): string {
  if (v === undefined) return '0:65535';
  const [lo, hi] = v.split(':');
  return `${lo || '0'}:${hi === undefined ? lo : hi || '65535'}`;
}

export function parseIptablesSave(root: HostRoot, text: string): Row[] {
  const rows: Row[] = [];
  let table = '';
  const chains: Array<{ name: string; policy: string; packets: number | null; bytes: number | null; rules: number }> = [];
  const flush = () => {
    for (const c of chains) {
      if (c.rules > 0) continue;
      rows.push({
        filter_name: table, chain: c.name, policy: c.policy, target: '', protocol: 0, src_port: '', dst_port: '', src_ip: '0.0.0.0', src_mask: '0.0.0.0',
        iniface: 'all', iniface_mask: '', dst_ip: '0.0.0.0', dst_mask: '0.0.0.0', outiface: 'all', outiface_mask: '', match: 'no', packets: c.packets, bytes: c.bytes,
      });
    }
    chains.length = 0;
  };
  for (const raw of lines(text)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) { flush(); table = line.slice(1); continue; }
    if (line === 'COMMIT') { flush(); continue; }
    const chain = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
    if (chain) {
      chains.push({ name: chain[1]!, policy: chain[2] === '-' ? '' : chain[2]!, packets: chain[3] ? Number(chain[3]) : null, bytes: chain[4] ? Number(chain[4]) : null, rules: 0 });
      continue;
    }
    let w = words(line);
    let packets: number | null = null;
    let bytes: number | null = null;
    const counters = /^\[(\d+):(\d+)\]$/.exec(w[0] ?? '');
    if (counters) { packets = Number(counters[1]); bytes = Number(counters[2]); w = w.slice(1); }
    if (w[0] !== '-A' || !w[1]) continue;
    const opts = new Map<string, string>();
    const matches: string[] = [];
    for (let i = 2; i < w.length; i++) {
      const k = w[i]!;
      if (k === '!') continue; // negation: the value that follows is still the operand
      if (k === '-m') { matches.push(w[++i] ?? ''); continue; }
      if (k === '-c') { packets = Number(w[++i]); bytes = Number(w[++i]); continue; }
      if (k.startsWith('-')) {
        const next = w[i + 1];
        if (next !== undefined && !next.startsWith('-') && next !== '!') { if (!opts.has(k)) opts.set(k, next); i++; } else opts.set(k, '');
      }
    }
    const c = chains.find((x) => x.name === w[1]);
    if (c) c.rules++;
    const proto = opts.get('-p') ?? opts.get('--protocol');
    const portMatch = matches.includes('tcp') || matches.includes('udp');
    const [srcIp, srcMask] = addressAndMask(opts.get('-s') ?? opts.get('--source'));
    const [dstIp, dstMask] = addressAndMask(opts.get('-d') ?? opts.get('--destination'));
    const iniface = opts.get('-i') ?? opts.get('--in-interface');
    const outiface = opts.get('-o') ?? opts.get('--out-interface');
    rows.push({
      filter_name: table, chain: w[1]!, policy: c?.policy ?? '', target: opts.get('-j') ?? opts.get('--jump') ?? opts.get('-g') ?? opts.get('--goto') ?? '',
      protocol: proto ? protocolNumber(root, proto) : 0,
      src_port: portMatch ? portRange(opts.get('--sport') ?? opts.get('--source-port')) : '',
      dst_port: portMatch ? portRange(opts.get('--dport') ?? opts.get('--destination-port')) : '',
      src_ip: srcIp, src_mask: srcMask, iniface: iniface || 'all', iniface_mask: interfaceMask(iniface),
      dst_ip: dstIp, dst_mask: dstMask, outiface: outiface || 'all', outiface_mask: interfaceMask(outiface),
      match: matches.length > 0 ? 'yes' : 'no', packets, bytes,
    });
  }
  flush();
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const loaded = ctx.root.isLive ? (readTextSync(ctx.root, '/proc/net/ip_tables_names') ?? '').trim() : '';
    for (const file of SAVED_RULE_FILES) {
      const text = readTextSync(ctx.root, file);
      if (text === undefined) continue;
      if (loaded) ctx.warn(`iptables: rows are the saved rules of ${file}; the running ruleset (tables ${loaded.split(/\s+/).join(', ')}) can only be read with libiptc`);
      yield* parseIptablesSave(ctx.root, text);
      return;
    }
    if (loaded) ctx.warn(`iptables: the kernel has tables ${loaded.split(/\s+/).join(', ')} loaded but no saved rules file exists (${SAVED_RULE_FILES.join(', ')}); the running ruleset can only be read with libiptc`);
  },
};
