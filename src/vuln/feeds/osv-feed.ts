/**
 * OSV feeds: a directory of OSV JSON records (searched recursively), a .zip of them (OSV's
 * per-ecosystem `all.zip`), or one .json file holding a record or an array of records.
 * Every loose file is parsed (a truncated one is an error); zip entries are CRC-checked and
 * parsed only when they mention this host's ecosystem. Records for the ecosystem are
 * validated, and each `affected` entry for it is matched by source package name against
 * the installed packages, in the ecosystem's version order.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { openRegularFile, readRegularFile } from '../../core/regular-file.js';
import type { InstalledPackage } from '../../host/packages/installed-packages.js';
import { ecosystemFamily, type HostTarget } from '../ecosystem.js';
import type { FeedMatch, VulnFinding } from '../finding.js';
import { evaluateAffected, type OsvRange } from './osv-events.js';
import { cvss3BaseScore, cvssRating } from '../cvss.js';
import { osvRecordSchema, type OsvAffected, type OsvRecord } from './osv-record.js';
import { fileAccess, ZipReader } from './zip-reader.js';

/** One record's text and where it came from (file, or archive!entry). */
interface RawRecord {
  where: string;
  bytes: Buffer;
  /** integrity already checked (a zip entry's CRC-32): a file that does not mention our
   * ecosystem can be skipped unparsed without missing a truncated record */
  verified: boolean;
}

/** Largest loose JSON file read whole (one record, or an array of them): OSV records are KBs. */
export const MAX_FEED_FILE_BYTES = 256 * 1024 * 1024;

async function* recordsOf(feedPath: string): AsyncGenerator<RawRecord> {
  const st = await fsp.stat(feedPath);
  if (st.isDirectory()) {
    const files = (await fsp.readdir(feedPath, { recursive: true, withFileTypes: true }))
      // a .json entry that is not a regular file (a FIFO, a link to a device) is read, and so
      // refused with a problem, rather than skipped without a word
      .filter((d) => !d.isDirectory() && d.name.endsWith('.json'))
      .map((d) => path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name))
      .sort();
    for (const file of files) yield { where: file, bytes: await readRegularFile(file, { maxBytes: MAX_FEED_FILE_BYTES }), verified: false };
    return;
  }
  // a FIFO would hang the open, /dev/zero would never end: regular files only
  const handle = await openRegularFile(feedPath);
  try {
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    if (magic.readUInt32LE(0) === 0x04034b50 || feedPath.endsWith('.zip')) {
      const zip = await ZipReader.open(await fileAccess(handle), feedPath);
      for (const entry of zip.entries) {
        if (!entry.name.endsWith('.json')) continue;
        yield { where: `${feedPath}!${entry.name}`, bytes: await zip.read(entry), verified: true };
      }
      return;
    }
    const size = (await handle.stat()).size;
    if (size > MAX_FEED_FILE_BYTES) throw new SpyglassError('file_too_large', `${feedPath}: ${size} bytes, over the ${MAX_FEED_FILE_BYTES}-byte limit for one JSON feed file (use a directory or a zip of records)`, { file: feedPath });
    yield { where: feedPath, bytes: await handle.readFile(), verified: false };
  } finally {
    await handle.close();
  }
}

function parseRecords(raw: RawRecord): unknown[] {
  let value: unknown;
  const text = raw.bytes.toString('utf8');
  try {
    value = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    let context: { line?: number; column?: number } = {};
    if (m) {
      const before = text.slice(0, Number(m[1]));
      const lines = before.split('\n');
      context = { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
    }
    throw new SpyglassError('feed_malformed', `invalid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}${text.trim() === '' ? ' (empty file)' : ''}`, { file: raw.where, ...context });
  }
  return Array.isArray(value) ? value : [value];
}

function validateRecord(value: unknown, where: string, index: number | undefined): OsvRecord {
  const parsed = osvRecordSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const at = [...(index !== undefined ? [index] : []), ...issue.path].join('.');
  const id = typeof (value as { id?: unknown })?.id === 'string' ? ` ${(value as { id: string }).id}` : '';
  throw new SpyglassError('feed_malformed', `OSV record${id}: ${at ? `${at}: ` : ''}${issue.message}`, { file: where });
}

/**
 * The severity word the record or its affected entry carries, most specific first; a CVSS v3
 * vector alone gives its rating. Also the CVSS vector and score when there is one.
 */
function severityOf(record: OsvRecord, affected: OsvAffected): { severity: string | null; cvss?: { vector: string; score: number | null } } {
  const all = [...(affected.severity ?? []), ...(record.severity ?? [])];
  const vector = all.find((s) => s.type === 'CVSS_V3') ?? all.find((s) => s.type.startsWith('CVSS'));
  const score = vector ? cvss3BaseScore(vector.score) ?? null : null;
  const cvss = vector ? { cvss: { vector: vector.score, score } } : {};
  const urgency = affected.ecosystem_specific?.urgency;
  if (typeof urgency === 'string' && urgency) return { severity: urgency, ...cvss };
  const word = all.find((s) => s.type === 'Ubuntu') ?? all.find((s) => !s.type.startsWith('CVSS'));
  if (word) return { severity: word.score, ...cvss };
  for (const src of [affected.database_specific, record.database_specific]) {
    const s = src?.severity;
    if (typeof s === 'string' && s) return { severity: s.toLowerCase(), ...cvss };
  }
  return { severity: score !== null ? cvssRating(score) : null, ...cvss };
}

const MODIFIED_MEMBER = /"modified"\s*:\s*"([^"]*)"/;
const NAME_MEMBER = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** True when some `"name": "…"` member of the text names an installed source package. */
function namesAnInstalledSource(bytes: Buffer, bySource: Map<string, unknown>): boolean {
  const text = bytes.toString('latin1'); // names are ASCII; latin1 keeps byte offsets and is cheap
  for (const m of text.matchAll(NAME_MEMBER)) {
    const raw = m[1]!;
    if (bySource.has(raw)) return true;
    if (raw.includes('\\')) {
      try {
        if (bySource.has(JSON.parse(`"${raw}"`) as string)) return true;
      } catch {
        return true; // a broken escape: let the full parse report it
      }
    }
  }
  return false;
}

/**
 * False only for a record whose `affected` entries are well-formed enough to see that none
 * is for one of our ecosystems and installed source packages: those are not validated in
 * full (an export holds tens of thousands of records for packages a host does not have).
 * Anything odd answers true, so validation reports it.
 */
function mayConcernUs(value: unknown, ecosystems: Set<string>, bySource: Map<string, unknown>): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const affected = (value as { affected?: unknown }).affected;
  if (!Array.isArray(affected)) return true;
  return affected.some((a: unknown) => {
    const pkg = typeof a === 'object' && a !== null ? (a as { package?: unknown }).package : undefined;
    if (typeof pkg !== 'object' || pkg === null) return true;
    const { ecosystem, name } = pkg as { ecosystem?: unknown; name?: unknown };
    if (typeof ecosystem !== 'string' || typeof name !== 'string') return true;
    return ecosystems.has(ecosystem) && bySource.has(name);
  });
}

export async function matchOsvFeed(feedPath: string, packages: InstalledPackage[], target: HostTarget): Promise<FeedMatch> {
  if (target.osvEcosystems.length === 0) {
    throw new SpyglassError('unknown_ecosystem', `${feedPath}: no OSV ecosystem for this host (${target.os}); pass --ecosystem, e.g. "Debian:12"`, { file: feedPath });
  }
  const ecosystems = new Set(target.osvEcosystems);
  // the package formats these ecosystems cover (Ubuntu and Ubuntu Pro are both dpkg)
  const formats = new Set([...ecosystems].map((e) => ecosystemFamily(e)!.format));
  const bySource = new Map<string, InstalledPackage[]>();
  for (const p of packages) {
    if (!formats.has(p.format)) continue;
    const list = bySource.get(p.source) ?? [];
    list.push(p);
    bySource.set(p.source, list);
  }
  const needles = [...ecosystems].map((e) => Buffer.from(JSON.stringify(e)));
  const findings: VulnFinding[] = [];
  let records = 0;
  /** records that name one of our ecosystems: none means the wrong feed for this host */
  let ours = 0;
  let advisories = 0;
  let newest: number | undefined;
  try {
    for await (const raw of recordsOf(feedPath)) {
      const mentionsUs = needles.some((n) => raw.bytes.indexOf(n) >= 0);
      if (mentionsUs) ours++;
      // a CRC-checked zip entry that does not mention our ecosystem is counted, not parsed
      // (an all-ecosystems export holds hundreds of thousands of records for other
      // systems); a loose file is always parsed, so a truncated one is never skipped
      if (!mentionsUs && raw.verified) {
        records++;
        continue;
      }
      // likewise a CRC-checked entry none of whose "name" strings is an installed source
      // package cannot concern this host (affected[].package.name is one of them)
      if (raw.verified && !namesAnInstalledSource(raw.bytes, bySource)) {
        records++;
        const modified = MODIFIED_MEMBER.exec(raw.bytes.toString('latin1'));
        const ms = modified ? Date.parse(modified[1]!) : Number.NaN;
        if (!Number.isNaN(ms) && (newest === undefined || ms > newest)) newest = ms;
        continue;
      }
      const values = parseRecords(raw);
      records += values.length;
      // a loose file is validated whole: a malformed record there is a problem even when it
      // is not for us (nothing else, such as a CRC, vouches that the file is what it seems)
      if (!raw.verified) values.forEach((value, k) => validateRecord(value, raw.where, values.length > 1 ? k : undefined));
      if (!mentionsUs) continue;
      values.forEach((value, k) => {
        // the feed's date: the newest modification of any record of our ecosystem
        const modified = Date.parse(String((value as { modified?: unknown } | null)?.modified));
        if (!Number.isNaN(modified) && (newest === undefined || modified > newest)) newest = modified;
        if (!mayConcernUs(value, ecosystems, bySource)) return;
        const record = validateRecord(value, raw.where, values.length > 1 ? k : undefined);
        if (record.withdrawn) return;
        let relevant = false;
        for (const affected of record.affected ?? []) {
          if (!ecosystems.has(affected.package.ecosystem)) continue;
          const installed = bySource.get(affected.package.name);
          if (!installed) continue;
          relevant = true;
          const compare = ecosystemFamily(affected.package.ecosystem)!.compare;
          const verdicts = new Map<string, ReturnType<typeof evaluateAffected>>();
          for (const pkg of installed) {
            let verdict = verdicts.get(pkg.sourceVersion);
            if (!verdict) {
              verdict = evaluateAffected(pkg.sourceVersion, (affected.ranges ?? []) as OsvRange[], affected.versions ?? [], compare);
              verdicts.set(pkg.sourceVersion, verdict);
            }
            if (!verdict.affected) continue;
            findings.push({
              id: record.id,
              aliases: [...new Set([...(record.aliases ?? []), ...(record.upstream ?? [])])],
              package: pkg.name,
              packageVersion: pkg.version,
              arch: pkg.arch,
              format: pkg.format,
              source: pkg.source,
              installedVersion: pkg.sourceVersion,
              fixedVersion: verdict.fixed ?? null,
              status: verdict.fixed ? 'fix_available' : 'no_fix_yet',
              ...severityOf(record, affected),
              summary: record.summary ?? (record.details ? record.details.split('\n')[0]!.slice(0, 200) : null),
              ecosystem: affected.package.ecosystem,
              feed: feedPath,
            });
          }
        }
        if (relevant) advisories++;
      });
    }
  } catch (err) {
    if (err instanceof SpyglassError && err.code.startsWith('feed_')) throw err;
    const e = toSpyglassError(err, 'feed_unreadable', { file: feedPath });
    if (e.code === 'not_found') throw new SpyglassError('feed_not_found', `${feedPath}: no such file or directory`, { file: feedPath }, { cause: err });
    throw new SpyglassError('feed_unreadable', e.message.startsWith(feedPath) ? e.message : `${feedPath}: ${e.message}`, { file: feedPath }, { cause: err });
  }
  if (records === 0) throw new SpyglassError('feed_empty', `${feedPath}: no OSV records in it (an empty directory or archive is no evidence of "no known vulnerabilities")`, { file: feedPath });
  if (ours === 0) throw new SpyglassError('feed_wrong_ecosystem', `${feedPath}: ${records} OSV records, none for ${[...ecosystems].join(', ')}: the wrong feed for this host?`, { file: feedPath });
  let date: string;
  let dateSource: 'records' | 'mtime';
  if (newest !== undefined) {
    date = new Date(newest).toISOString();
    dateSource = 'records';
  } else {
    date = (await fsp.stat(feedPath)).mtime.toISOString();
    dateSource = 'mtime';
  }
  return { info: { path: feedPath, kind: 'osv', date, dateSource, advisories, records }, findings };
}
