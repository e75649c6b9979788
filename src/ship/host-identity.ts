/**
 * Who this host is, for every event: the host name and a stable host id. The id is the
 * systemd/D-Bus machine id read through the HostRoot (`/etc/machine-id`, then
 * `/var/lib/dbus/machine-id`); a host without one gets a random id generated once and kept in
 * the state directory, so it stays the same across restarts. A configured id (`host.id` in the
 * agent configuration) overrides all of them; configured tags (`host.tags`) travel with it.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { HostRoot } from '../core/host-root.js';
import { readHostName } from '../host/hostname.js';

export interface HostIdentity {
  name: string;
  id: string;
  /** where the id came from: the configuration, the machine ids, or generated and kept in the state dir */
  idSource: 'config' | 'machine-id' | 'dbus-machine-id' | 'state';
  /** host tags (host.tags), carried in every event's envelope */
  tags: Record<string, string>;
}

const MACHINE_ID = /^[0-9a-f]{32}$/;

/** Reads (or on first use creates) the host identity. `name` and `id` override what the host says. */
export async function resolveHostIdentity(opts: { root?: HostRoot; stateDir: string; name?: string; id?: string; tags?: Record<string, string> }): Promise<HostIdentity> {
  const identity = await resolveNameAndId(opts);
  return { ...identity, tags: { ...(opts.tags ?? {}) } };
}

async function resolveNameAndId(opts: { root?: HostRoot; stateDir: string; name?: string; id?: string }): Promise<Omit<HostIdentity, 'tags'>> {
  const root = opts.root ?? new HostRoot('/');
  const name = opts.name ?? (await hostName(root));
  if (opts.id) return { name, id: opts.id, idSource: 'config' };
  for (const [file, source] of [['/etc/machine-id', 'machine-id'], ['/var/lib/dbus/machine-id', 'dbus-machine-id']] as const) {
    const text = (await root.readTextIfExists(file, 4096).catch(() => undefined))?.trim();
    if (text && MACHINE_ID.test(text)) return { name, id: text, idSource: source };
  }
  const idFile = path.join(opts.stateDir, 'host-id');
  const kept = (await fsp.readFile(idFile, 'utf8').catch(() => '')).trim();
  if (MACHINE_ID.test(kept)) return { name, id: kept, idSource: 'state' };
  const id = randomUUID().replaceAll('-', '');
  await fsp.mkdir(opts.stateDir, { recursive: true });
  const tmp = `${idFile}.tmp-${process.pid}`;
  await fsp.writeFile(tmp, id + '\n', { mode: 0o644 });
  await fsp.rename(tmp, idFile);
  return { name, id, idSource: 'state' };
}

async function hostName(root: HostRoot): Promise<string> {
  // an offline root without a name: events still need one, and this machine ships them
  return (await readHostName(root)) ?? os.hostname();
}
