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
import { ipv4Netmask } from '../../host/net-addresses.js';
import { parseIptablesSave, ruleOption } from '../../host/iptables-save.js';

const spec = osqueryTableSpec('iptables');

export const SAVED_RULE_FILES = ['/etc/iptables/rules.v4', '/etc/sysconfig/iptables', '/etc/iptables/iptables.rules'];
const BUILTIN_PROTOCOLS: Record<string, number> = { all: 0, icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, sctp: 132, udplite: 136 };

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

export function iptablesRows(root: HostRoot, text: string): Row[] {
  const saved = parseIptablesSave(text);
  const rows: Row[] = [];
  const byChain = new Map(saved.chains.map((c) => [`${c.table}\0${c.name}`, c]));
  const withRules = new Set<string>();
  for (const r of saved.rules) {
    const key = `${r.table}\0${r.chain}`;
    withRules.add(key);
    const c = byChain.get(key);
    const proto = ruleOption(r, '-p', '--protocol');
    const portMatch = r.matches.includes('tcp') || r.matches.includes('udp');
    const [srcIp, srcMask] = addressAndMask(ruleOption(r, '-s', '--source'));
    const [dstIp, dstMask] = addressAndMask(ruleOption(r, '-d', '--destination'));
    const iniface = ruleOption(r, '-i', '--in-interface');
    const outiface = ruleOption(r, '-o', '--out-interface');
    rows.push({
      filter_name: r.table, chain: r.chain, policy: c?.policy ?? '', target: ruleOption(r, '-j', '--jump', '-g', '--goto') ?? '',
      protocol: proto ? protocolNumber(root, proto) : 0,
      src_port: portMatch ? portRange(ruleOption(r, '--sport', '--source-port')) : '',
      dst_port: portMatch ? portRange(ruleOption(r, '--dport', '--destination-port')) : '',
      src_ip: srcIp, src_mask: srcMask, iniface: iniface || 'all', iniface_mask: interfaceMask(iniface),
      dst_ip: dstIp, dst_mask: dstMask, outiface: outiface || 'all', outiface_mask: interfaceMask(outiface),
      match: r.matches.length > 0 ? 'yes' : 'no', packets: r.packets, bytes: r.bytes,
    });
  }
  // a chain without rules still gets a row, so its policy is visible; listed after the rules of its table, as before
  const out: Row[] = [];
  const tables = [...new Set([...saved.chains.map((c) => c.table), ...saved.rules.map((r) => r.table)])];
  for (const t of tables) {
    out.push(...rows.filter((row) => row.filter_name === t));
    for (const c of saved.chains) {
      if (c.table !== t || withRules.has(`${c.table}\0${c.name}`)) continue;
      out.push({
        filter_name: c.table, chain: c.name, policy: c.policy, target: '', protocol: 0, src_port: '', dst_port: '', src_ip: '0.0.0.0', src_mask: '0.0.0.0',
        iniface: 'all', iniface_mask: '', dst_ip: '0.0.0.0', dst_mask: '0.0.0.0', outiface: 'all', outiface_mask: '', match: 'no', packets: c.packets, bytes: c.bytes,
      });
    }
  }
  return out;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const loaded = ctx.root.isLive ? (readTextSync(ctx.root, '/proc/net/ip_tables_names') ?? '').trim() : '';
    for (const file of SAVED_RULE_FILES) {
      const text = readTextSync(ctx.root, file);
      if (text === undefined) continue;
      if (loaded) ctx.warn(`iptables: rows are the saved rules of ${file}; the running ruleset (tables ${loaded.split(/\s+/).join(', ')}) can only be read with libiptc`);
      yield* iptablesRows(ctx.root, text);
      return;
    }
    if (loaded) ctx.warn(`iptables: the kernel has tables ${loaded.split(/\s+/).join(', ')} loaded but no saved rules file exists (${SAVED_RULE_FILES.join(', ')}); the running ruleset can only be read with libiptc`);
  },
};
