/**
 * The persisted nftables ruleset as nft -f would read it: /etc/nftables.conf and the files it
 * `include`s (globs, relative to the including file's directory), in the block syntax
 * (`table FAMILY NAME { chain NAME { type filter hook input priority 0; policy drop; … } }`).
 * Comments are dropped; each chain keeps its base-chain properties and its rule lines with
 * file:line. Command-style lines (`add rule …`) are kept as unparsed notes.
 */
import path from 'node:path';
import type { HostRoot } from '../../../core/host-root.js';

export interface NftRule {
  text: string;
  source: string;
  line: number;
}

export interface NftChain {
  family: string;
  table: string;
  name: string;
  type?: string;
  hook?: string;
  priority?: string;
  policy?: string;
  rules: NftRule[];
  source: string;
  line: number;
}

export interface NftRuleset {
  files: string[];
  tables: Array<{ family: string; name: string; source: string; line: number }>;
  chains: NftChain[];
  notes: string[];
}

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

function stripComment(line: string): string {
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') inQuote = !inQuote;
    else if (line[i] === '#' && !inQuote) return line.slice(0, i);
  }
  return line;
}

/** Splits `a; b; c` statements of one line, keeping braces as their own pieces. */
function pieces(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  for (const ch of line) {
    if (ch === '"') inQuote = !inQuote;
    if (!inQuote && (ch === '{' || ch === '}' || ch === ';')) {
      if (cur.trim()) out.push(cur.trim());
      if (ch !== ';') out.push(ch);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

type Frame = { kind: 'table'; family: string; name: string } | { kind: 'chain'; chain: NftChain } | { kind: 'other' };

export async function readRuleset(root: HostRoot, file: string, maxFiles = 64): Promise<NftRuleset> {
  const rs: NftRuleset = { files: [], tables: [], chains: [], notes: [] };
  const stack: Frame[] = [];
  /** a `table …` or `chain …` header waiting for its `{` */
  let pending: Frame | undefined;
  const readFile = async (p: string): Promise<void> => {
    if (rs.files.includes(p) || rs.files.length >= maxFiles) return;
    const text = await root.readText(p);
    rs.files.push(p);
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      for (const piece of pieces(stripComment(lines[i]!))) {
        if (piece === '{') { stack.push(pending ?? { kind: 'other' }); pending = undefined; continue; }
        if (piece === '}') { stack.pop(); continue; }
        const top = stack[stack.length - 1];
        const words = piece.split(/\s+/);
        const inc = /^include\s+"([^"]+)"$/.exec(piece);
        if (inc) {
          const target = path.posix.isAbsolute(inc[1]!) ? inc[1]! : path.posix.join(path.posix.dirname(p), inc[1]!);
          const files = /[*?[]/.test(target) ? await root.glob(target) : [target];
          for (const f of files) await readFile(f);
          continue;
        }
        if (!top && words[0] === 'table') {
          const [family, name] = FAMILIES.has(words[1]!) ? [words[1]!, words[2]!] : ['ip', words[1]!];
          rs.tables.push({ family, name, source: p, line: i + 1 });
          pending = { kind: 'table', family, name };
          continue;
        }
        if (top?.kind === 'table' && words[0] === 'chain') {
          const chain: NftChain = { family: top.family, table: top.name, name: words[1]!, rules: [], source: p, line: i + 1 };
          rs.chains.push(chain);
          pending = { kind: 'chain', chain };
          continue;
        }
        if (top?.kind === 'chain') {
          const c = top.chain;
          const base = /^type\s+(\S+)\s+hook\s+(\S+)\s+priority\s+(.+)$/.exec(piece);
          if (base) { c.type = base[1]; c.hook = base[2]; c.priority = base[3]!.trim(); continue; }
          const pol = /^policy\s+(\S+)$/.exec(piece);
          if (pol) { c.policy = pol[1]; continue; }
          c.rules.push({ text: piece, source: p, line: i + 1 });
          continue;
        }
        if (!top && !/^(flush ruleset|define\b)/.test(piece)) rs.notes.push(`${p}:${i + 1}: not evaluated: ${piece}`);
      }
    }
  };
  await readFile(file);
  return rs;
}
