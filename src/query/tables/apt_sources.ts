/**
 * osquery's `apt_sources`: the binary ("deb") repositories apt is configured with, one row
 * per URI and suite, from /etc/apt/sources.list, sources.list.d/*.list (one-line format)
 * and sources.list.d/*.sources (deb822; `Enabled: no` stanzas skipped). Repository metadata
 * (name = Label or Origin, maintainer = Origin, version, architectures) comes from the
 * downloaded Release / InRelease file in /var/lib/apt/lists when apt has fetched it; an
 * `arch=` option of the source takes precedence for architectures. deb-src entries are not listed.
 */
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, listDirSync, readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('apt_sources');

export interface AptSource { file: string; uri: string; suite: string; components: string[]; architectures: string[] }

export function parseOneLineSources(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of lines(text)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m || m[1] !== 'deb') continue;
    const options = new Map((m[2] ?? '').trim().split(/\s+/).filter(Boolean).map((o) => o.split('=') as [string, string]));
    out.push({ file, uri: m[3]!, suite: m[4]!, components: m[5]!.split(/\s+/).filter(Boolean), architectures: options.get('arch')?.split(',') ?? [] });
  }
  return out;
}

export function parseDeb822Sources(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = '';
    for (const raw of stanza.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (/^\s/.test(raw) && last) { fields.set(last, `${fields.get(last)} ${raw.trim()}`); continue; }
      const m = /^([\w-]+):\s*(.*)$/.exec(raw);
      if (m) { last = m[1]!.toLowerCase(); fields.set(last, m[2]!.trim()); }
    }
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    if (/^(no|false|0)$/i.test(fields.get('enabled') ?? '')) continue;
    const split = (k: string) => (fields.get(k) ?? '').split(/\s+/).filter(Boolean);
    for (const uri of split('uris')) for (const suite of split('suites')) {
      out.push({ file, uri, suite, components: split('components'), architectures: split('architectures') });
    }
  }
  return out;
}

export function readAptSources(root: HostRoot): AptSource[] {
  const out: AptSource[] = [];
  const main = readTextSync(root, '/etc/apt/sources.list');
  if (main !== undefined) out.push(...parseOneLineSources(main, '/etc/apt/sources.list'));
  for (const name of listDirSync(root, '/etc/apt/sources.list.d')) {
    const file = `/etc/apt/sources.list.d/${name}`;
    if (!/^[\w.-]+\.(list|sources)$/.test(name)) continue; // apt ignores other names (.disabled, .save)
    const text = readTextSync(root, file);
    if (text === undefined) continue;
    out.push(...(name.endsWith('.list') ? parseOneLineSources(text, file) : parseDeb822Sources(text, file)));
  }
  return out;
}

/** apt's name for a downloaded list file: the URI without scheme and credentials, '/' -> '_'. */
export function listFilePrefix(uri: string, suite: string): string {
  const bare = uri.replace(/^[a-z0-9+.-]+:\/\//i, '').replace(/^[^/@]*@/, '').replace(/\/+$/, '');
  const path = suite.endsWith('/') ? `${bare}/${suite}`.replace(/\/+$/, '') : `${bare}/dists/${suite}`;
  return path.replace(/\//g, '_');
}

function releaseFields(root: HostRoot, s: AptSource): Map<string, string> {
  const prefix = `/var/lib/apt/lists/${listFilePrefix(s.uri, s.suite)}`;
  let text = readTextSync(root, `${prefix}_InRelease`) ?? readTextSync(root, `${prefix}_Release`) ?? '';
  // InRelease is clear-signed: the fields start after the armor header's blank line
  if (text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) text = text.slice(text.indexOf('\n\n') + 2);
  const fields = new Map<string, string>();
  for (const raw of lines(text)) {
    if (raw === '' && fields.size > 0) break; // end of the header stanza (the checksums follow as continuation lines)
    const m = /^([\w-]+):\s*(.*)$/.exec(raw);
    if (m && !fields.has(m[1]!)) fields.set(m[1]!, m[2]!);
  }
  return fields;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const s of readAptSources(ctx.root)) {
      const rel = releaseFields(ctx.root, s);
      const row: Row = {
        name: rel.get('Label') ?? rel.get('Origin') ?? '', source: s.file, base_uri: s.uri, release: s.suite,
        version: rel.get('Version') ?? '', maintainer: rel.get('Origin') ?? '', components: s.components.join(' '),
        architectures: s.architectures.length ? s.architectures.join(' ') : rel.get('Architectures') ?? '', pid_with_namespace: null,
      };
      yield row;
    }
  },
};
