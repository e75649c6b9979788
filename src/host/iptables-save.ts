/**
 * iptables-save / ip6tables-save text, the format of the rules saved for boot
 * (/etc/iptables/rules.v4 and rules.v6 of iptables-persistent, /etc/sysconfig/iptables) and of
 * ufw's own rule files (/etc/ufw/user.rules, user6.rules, before.rules). Parsed into tables,
 * chains with their policies and counters, and rules with their options; what a rule means is
 * left to the caller (the iptables table, the audit's firewall checks).
 */

export interface SavedChain {
  table: string;
  name: string;
  /** ACCEPT, DROP, … for a built-in chain; '' for a user chain ("-") */
  policy: string;
  packets: number | null;
  bytes: number | null;
}

export interface SavedRule {
  table: string;
  chain: string;
  /** the first value of each option (`-p` → "tcp", `--dport` → "22"); '' for a flag */
  options: Map<string, string>;
  /** match extensions in order (`-m tcp -m multiport` → ["tcp", "multiport"]) */
  matches: string[];
  /** options preceded by `!` */
  negated: Set<string>;
  packets: number | null;
  bytes: number | null;
  line: number;
  text: string;
}

export interface SavedRuleset {
  chains: SavedChain[];
  rules: SavedRule[];
}

/** Splits a line into words, honouring double quotes (comments). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

export function parseIptablesSave(text: string): SavedRuleset {
  const out: SavedRuleset = { chains: [], rules: [] };
  let table = '';
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) { table = line.slice(1); continue; }
    if (line === 'COMMIT') continue;
    const chain = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
    if (chain) {
      out.chains.push({ table, name: chain[1]!, policy: chain[2] === '-' ? '' : chain[2]!, packets: chain[3] ? Number(chain[3]) : null, bytes: chain[4] ? Number(chain[4]) : null });
      continue;
    }
    let w = words(line);
    let packets: number | null = null;
    let bytes: number | null = null;
    const counters = /^\[(\d+):(\d+)\]$/.exec(w[0] ?? '');
    if (counters) { packets = Number(counters[1]); bytes = Number(counters[2]); w = w.slice(1); }
    if (w[0] !== '-A' || !w[1]) continue;
    const options = new Map<string, string>();
    const matches: string[] = [];
    const negated = new Set<string>();
    let negateNext = false;
    for (let i = 2; i < w.length; i++) {
      const k = w[i]!;
      if (k === '!') { negateNext = true; continue; } // the option after it (or its value) is negated
      if (k === '-m') { matches.push(w[++i] ?? ''); continue; }
      if (k === '-c') { packets = Number(w[++i]); bytes = Number(w[++i]); continue; }
      if (k.startsWith('-')) {
        if (negateNext) negated.add(k);
        negateNext = false;
        let next = w[i + 1];
        if (next === '!') { negated.add(k); i++; next = w[i + 1]; }
        if (next !== undefined && !next.startsWith('-')) { if (!options.has(k)) options.set(k, next); i++; } else options.set(k, '');
      }
    }
    out.rules.push({ table, chain: w[1], options, matches, negated, packets, bytes, line: n + 1, text: line });
  }
  return out;
}

/** The first of several spellings of one option (`-p` / `--protocol`). */
export function ruleOption(rule: SavedRule, ...names: string[]): string | undefined {
  for (const n of names) if (rule.options.has(n)) return rule.options.get(n);
  return undefined;
}

/** The destination ports a rule matches: `--dport a[:b]` or multiport `--dports a,b:c`; undefined when it matches any port. */
export function ruleDestinationPorts(rule: SavedRule): Array<[number, number]> | undefined {
  const single = ruleOption(rule, '--dport', '--destination-port');
  const multi = ruleOption(rule, '--dports', '--destination-ports');
  const spec = single ?? multi;
  if (spec === undefined) return undefined;
  return spec.split(',').map((part) => {
    const [lo, hi] = part.split(':');
    const a = lo === '' || lo === undefined ? 0 : Number(lo);
    const b = hi === undefined ? a : hi === '' ? 65535 : Number(hi);
    return [a, b] as [number, number];
  });
}
