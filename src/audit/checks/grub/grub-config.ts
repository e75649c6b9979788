/**
 * What the agent reads from GRUB 2 configuration: the kernel command line of every boot entry
 * in grub.cfg (`linux` / `linux16` / `linuxefi` lines, with the menu entry they belong to),
 * the superusers and password lines, and GRUB_CMDLINE_LINUX(_DEFAULT) of /etc/default/grub,
 * the source update-grub regenerates grub.cfg from.
 */

export interface KernelLine {
  entry: string;
  line: number;
  args: string[];
}

export interface GrubCfg {
  kernels: KernelLine[];
  superusers: string[];
  /** users with a password line, and whether it is a PBKDF2 hash */
  passwords: Array<{ user: string; pbkdf2: boolean; line: number }>;
}

function words(text: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

export function parseGrubCfg(text: string): GrubCfg {
  const cfg: GrubCfg = { kernels: [], superusers: [], passwords: [] };
  const entries: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const w = words(t);
    const cmd = w[0]!;
    if (cmd === 'menuentry' || cmd === 'submenu') {
      entries.push(w[1] ?? '(untitled)');
      if (!t.endsWith('{')) entries.pop();
    } else if (t === '}') {
      entries.pop();
    } else if (cmd === 'linux' || cmd === 'linux16' || cmd === 'linuxefi') {
      cfg.kernels.push({ entry: entries.join(' > ') || '(top level)', line: i + 1, args: w.slice(2).filter((a) => !a.startsWith('$')) });
    } else if (cmd === 'set' && /^superusers=/.test(w[1] ?? '')) {
      cfg.superusers = (w[1]!.slice('superusers='.length) || w[2] || '').replace(/["']/g, '').split(/[\s,;|&]+/).filter(Boolean);
    } else if (cmd === 'password_pbkdf2' || cmd === 'password') {
      if (w[1]) cfg.passwords.push({ user: w[1], pbkdf2: cmd === 'password_pbkdf2' && (w[2] ?? '').startsWith('grub.pbkdf2.'), line: i + 1 });
    }
  });
  return cfg;
}

/** An argument requirement: "audit=1", "nosmt" (present), "audit_backlog_limit>=8192". */
export interface ArgRule {
  name: string;
  op: '=' | '>=' | 'present';
  value?: string;
  text: string;
}

export function parseArgRule(text: string): ArgRule {
  const ge = /^([^=<>\s]+)>=(\d+)$/.exec(text);
  if (ge) return { name: ge[1]!, op: '>=', value: ge[2]!, text };
  const eq = /^([^=<>\s]+)=(\S*)$/.exec(text);
  if (eq) return { name: eq[1]!, op: '=', value: eq[2]!, text };
  if (/^[^=<>\s]+$/.test(text)) return { name: text, op: 'present', text };
  throw new Error(`"${text}" is not name, name=value or name>=number`);
}

/** The kernel's view: the last occurrence of an argument wins. */
function lastValue(args: readonly string[], name: string): string | undefined {
  let v: string | undefined;
  for (const a of args) {
    const eq = a.indexOf('=');
    if ((eq < 0 ? a : a.slice(0, eq)) === name) v = eq < 0 ? '' : a.slice(eq + 1);
  }
  return v;
}

export function argSatisfies(args: readonly string[], rule: ArgRule): boolean {
  const v = lastValue(args, rule.name);
  if (v === undefined) return false;
  if (rule.op === 'present') return true;
  if (rule.op === '=') return v === rule.value;
  return /^\d+$/.test(v) && Number(v) >= Number(rule.value);
}
