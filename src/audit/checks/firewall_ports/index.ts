/**
 * `firewall_ports` check type: each TCP port in LISTEN and each bound UDP port of the live host
 * (its /proc/net socket tables), other than on loopback, has a rule for that port and protocol
 * in the firewall's persisted rules, as the CIS "rules exist for all open ports" recommendations
 * ask. Any target counts (ACCEPT, DROP, REJECT): the point is that a decision was written down.
 * A rule without a destination port does not count for a port. Offline the listening sockets are
 * unknown, so the check is not_applicable there.
 */
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { readSocketTables, type SocketInfo } from '../../../host/proc-net.js';
import { parseIptablesSave, ruleDestinationPorts, ruleOption, type SavedRule } from '../../../host/iptables-save.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { firewallPortsSchema, type Firewall, type FirewallPortsSpec } from './schema.js';

interface RuleSource { file: string; table: string; chain: string; family: 'v4' | 'v6' }

const SOURCES: Record<Firewall, RuleSource[]> = {
  ufw: [
    { file: '/etc/ufw/user.rules', table: 'filter', chain: 'ufw-user-input', family: 'v4' },
    { file: '/etc/ufw/user6.rules', table: 'filter', chain: 'ufw6-user-input', family: 'v6' },
  ],
  iptables: [{ file: '/etc/iptables/rules.v4', table: 'filter', chain: 'INPUT', family: 'v4' }],
  ip6tables: [{ file: '/etc/iptables/rules.v6', table: 'filter', chain: 'INPUT', family: 'v6' }],
};

const SOCKET_FILES = { v4: ['tcp', 'udp'], v6: ['tcp6', 'udp6'] } as const;

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

interface OpenPort { protocol: 'tcp' | 'udp'; port: number; address: string }

function openPorts(sockets: Iterable<SocketInfo>): OpenPort[] {
  const seen = new Map<string, OpenPort>();
  for (const s of sockets) {
    if (!s.listening || (s.protocol !== 6 && s.protocol !== 17) || isLoopback(s.localAddress)) continue;
    const protocol = s.protocol === 6 ? 'tcp' : 'udp';
    const key = `${protocol}/${s.localPort}`;
    if (!seen.has(key)) seen.set(key, { protocol, port: s.localPort, address: s.localAddress });
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

function covers(rule: SavedRule, p: OpenPort): boolean {
  const proto = ruleOption(rule, '-p', '--protocol');
  if (proto !== p.protocol && proto !== (p.protocol === 'tcp' ? '6' : '17')) return false;
  if (rule.negated.has('-p') || rule.negated.has('--dport') || rule.negated.has('--dports')) return false;
  const ports = ruleDestinationPorts(rule);
  return ports !== undefined && ports.some(([lo, hi]) => p.port >= lo && p.port <= hi);
}

async function evaluateFirewallPorts(spec: FirewallPortsSpec, ctx: CheckContext): Promise<CheckOutcome> {
  if (!ctx.root.isLive) {
    return outcome.notApplicable('listening ports are only known on the live host: this root is not it', [{ source: '/proc/net', note: 'not the live root' }]);
  }
  try {
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    let checked = 0;
    for (const source of SOURCES[spec.firewall]) {
      const sockets = readSocketTables(ctx.root, '/proc/net', new Set(SOCKET_FILES[source.family]));
      const ports = openPorts(sockets.values()).filter((p) => !spec.ignore_ports.includes(p.port));
      if (ports.length === 0) continue;
      const text = await ctx.root.readTextIfExists(source.file);
      if (text === undefined) {
        problems.push(`${ports.length} open ${source.family === 'v4' ? 'IPv4' : 'IPv6'} port(s) and no ${source.file}`);
        evidence.push({ source: source.file, found: 'no file', expected: `rules for ${ports.map((p) => `${p.protocol}/${p.port}`).join(', ')}` });
        continue;
      }
      const rules = parseIptablesSave(text).rules.filter((r) => r.table === source.table && r.chain === source.chain);
      for (const p of ports) {
        checked++;
        const rule = rules.find((r) => covers(r, p));
        const found = `${p.protocol} ${p.address}:${p.port} open`;
        if (rule) evidence.push({ source: source.file, line: rule.line, found: rule.text, note: found });
        else {
          problems.push(`${p.protocol}/${p.port}`);
          evidence.push({ source: source.file, found, expected: `a rule in chain ${source.chain} for ${p.protocol} port ${p.port}` });
        }
      }
    }
    if (problems.length) return outcome.fail(`open ports without a firewall rule (${spec.firewall}): ${problems.join(', ')}`, evidence);
    return outcome.pass(checked ? `all ${checked} open port(s) have a firewall rule (${spec.firewall})` : 'no port open beyond loopback', evidence);
  } catch (err) {
    return outcome.error(err instanceof SpyglassError ? err : toSpyglassError(err, 'io_error'));
  }
}

export const firewallPortsCheck: CheckType<typeof firewallPortsSchema> = {
  type: 'firewall_ports',
  description: 'Every TCP and UDP port the live host listens on (beyond loopback) has a rule in the persisted ufw, iptables or ip6tables rules.',
  schema: firewallPortsSchema,
  evaluate: evaluateFirewallPorts,
};
