/** The work behind `spyglass profiles list | show | validate`; returns exit codes. */
import { formatError } from '../../core/errors.js';
import { loadProfile, type LoadedProfile } from './load-profile.js';
import { loadProfileArg, loadShippedProfiles } from './select-profiles.js';
import { shippedProfilesDir } from './shipped-profiles.js';

type Out = NodeJS.WritableStream;

function targetsText(p: LoadedProfile): string {
  return p.targets.map((t) => `${t.os}${t.versions?.length ? ` ${t.versions.join('/')}` : ''}`).join(', ') || 'any OS';
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export async function listProfiles(opts: { json?: boolean }, stdout: Out, stderr: Out): Promise<number> {
  const { profiles, errors } = await loadShippedProfiles();
  for (const e of errors) stderr.write(`spyglass: ${formatError(e)}\n`);
  if (opts.json) {
    stdout.write(JSON.stringify(profiles.map((p) => ({ id: p.id, title: p.title, version: p.version, benchmark: p.benchmark, targets: p.targets, controls: p.controls.length, file: p.file })), null, 2) + '\n');
  } else if (profiles.length === 0) {
    stdout.write(`no profiles in ${shippedProfilesDir()}\n`);
  } else {
    stdout.write(pad([['ID', 'VERSION', 'TARGETS', 'CONTROLS', 'TITLE'], ...profiles.map((p) => [p.id, p.version, targetsText(p), String(p.controls.length), p.title])]));
  }
  return errors.length ? 2 : 0;
}

export async function showProfile(arg: string, opts: { json?: boolean }, stdout: Out, stderr: Out): Promise<number> {
  const { profile, errors } = await loadProfileArg(arg);
  for (const e of errors) stderr.write(`spyglass: ${formatError(e)}\n`);
  if (!profile) return 2;
  if (opts.json) {
    stdout.write(JSON.stringify(profile, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `${profile.id} ${profile.version}: ${profile.title}`,
    ...(profile.benchmark ? [`benchmark: ${profile.benchmark.name}${profile.benchmark.version ? ` ${profile.benchmark.version}` : ''}`] : []),
    `targets:   ${targetsText(profile)}`,
    `file:      ${profile.files.join(', ')}`,
    `controls:  ${profile.controls.length} (level 1: ${profile.controls.filter((c) => c.level === 1).length}, level 2: ${profile.controls.filter((c) => c.level === 2).length})`,
    ...(profile.exceptions.length ? [`exceptions: ${profile.exceptions.length}`] : []),
    '',
  ];
  stdout.write(lines.join('\n') + '\n');
  stdout.write(pad([
    ['ID', 'LVL', 'SEVERITY', 'CHECKS', 'TITLE'],
    ...profile.controls.map((c) => [c.id, String(c.level), c.severity, [...new Set(c.checks.map((k) => k.type))].join(','), c.title]),
  ]));
  return 0;
}

export async function validateProfiles(files: string[], stdout: Out, stderr: Out): Promise<number> {
  let bad = 0;
  for (const file of files) {
    const { profile, errors } = await loadProfile(file);
    for (const e of errors) stderr.write(`${formatError(e)}\n`);
    if (errors.length) bad++;
    else if (profile) stdout.write(`${file}: ok (profile ${profile.id} ${profile.version}, ${profile.controls.length} controls)\n`);
  }
  if (bad) stderr.write(`${bad} of ${files.length} profile${files.length === 1 ? '' : 's'} invalid\n`);
  return bad ? 2 : 0;
}
