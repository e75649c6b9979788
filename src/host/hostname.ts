/**
 * The host name of a root: the running system's for the live root, else the first line of
 * <root>/etc/hostname. One reader for the audit result's `host.hostname` and the host name
 * every shipped event carries; each caller keeps its own fallback when a root has none.
 */
import os from 'node:os';
import type { HostRoot } from '../core/host-root.js';

/** The root's host name, or undefined when an offline root has no (readable) /etc/hostname. */
export async function readHostName(root: HostRoot): Promise<string | undefined> {
  if (root.isLive) return os.hostname();
  const text = await root.readTextIfExists('/etc/hostname', 4096).catch(() => undefined);
  const first = text?.trim().split('\n')[0]?.trim();
  return first || undefined;
}
