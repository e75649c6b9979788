/**
 * Whether a unit is active now, read from files only (no D-Bus, no systemctl): on the live
 * root with systemd running (`/run/systemd/system` exists, the sd_booted() test), a unit whose
 * cgroup (`/sys/fs/cgroup/system.slice/<unit>/cgroup.events`) is populated has processes
 * running, so it is active. A unit with no running processes and no invocation record
 * (`/run/systemd/units/invocation:<unit>`) is inactive. Anything in between (an invocation but
 * no processes: a oneshot that exited, a socket, a target) cannot be told from files and is
 * reported as unknown, never guessed.
 */
import type { HostRoot } from '../../../core/host-root.js';
import type { Evidence } from '../../check.js';

export type ActiveState =
  | { known: true; active: boolean; evidence: Evidence }
  | { known: false; reason: string; evidence: Evidence };

export async function readActiveState(root: HostRoot, unit: string): Promise<ActiveState> {
  if (!root.isLive) return { known: false, reason: 'active state not read: the root is not the live system', evidence: { source: 'systemd', note: 'offline root: nothing is running' } };
  if (!(await root.lstatIfExists('/run/systemd/system'))) {
    return { known: false, reason: 'active state unknown: systemd is not running on this host (no /run/systemd/system)', evidence: { source: '/run/systemd/system', found: 'absent' } };
  }
  const events = `/sys/fs/cgroup/system.slice/${unit}/cgroup.events`;
  const text = await root.readTextIfExists(events);
  if (text !== undefined && /^populated 1$/m.test(text)) return { known: true, active: true, evidence: { source: events, found: 'populated 1', note: 'the unit has running processes' } };
  const invocation = `/run/systemd/units/invocation:${unit}`;
  if (!(await root.lstatIfExists(invocation))) {
    return { known: true, active: false, evidence: { source: invocation, found: 'absent', note: text === undefined ? 'no cgroup and no invocation: not running' : 'cgroup empty and no invocation: not running' } };
  }
  return { known: false, reason: `active state unknown: ${unit} has an invocation but no running processes (exited oneshot, socket, target…)`, evidence: { source: invocation, found: 'present', note: 'no running processes' } };
}
