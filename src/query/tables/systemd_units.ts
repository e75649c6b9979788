/**
 * osquery's `systemd_units`, from the unit files on disk (no D-Bus: the agent may audit a
 * mounted image, and this table must work where systemd is not PID 1). One row per unit
 * file in the system search path; alias names and templates (foo@.service) are left out,
 * as systemd lists neither as a unit. `unit_file_state` follows systemd's rules and agrees
 * with `systemctl list-unit-files`; `load_state` is loaded or masked.
 * Runtime state is only known on a live root where systemd runs: a service whose cgroup
 * holds processes is active/running and every unit gets its D-Bus object path; otherwise
 * active_state, sub_state and object_path are empty. following and the job_* columns
 * (queued jobs of a running manager) are empty / NULL.
 */
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { readTextSync, statSync } from '../table-support/host-files.js';
import { readUnitFiles, unitSetting, type UnitFile } from '../../host/systemd-units.js';

const spec = osqueryTableSpec('systemd_units');

/** systemd's bus_label_escape: [A-Za-z0-9] kept, every other byte as _xx. */
export function unitObjectPath(name: string): string {
  const escaped = [...Buffer.from(name)].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `_${b.toString(16).padStart(2, '0')}`)).join('');
  return `/org/freedesktop/systemd1/unit/${escaped}`;
}

function systemdRunning(root: HostRoot): boolean {
  return root.isLive && statSync(root, '/run/systemd/system')?.isDirectory() === true;
}

function runtimeState(root: HostRoot, u: UnitFile): [string, string] {
  if (!u.name.endsWith('.service')) return ['', ''];
  const procs = readTextSync(root, `/sys/fs/cgroup/system.slice/${u.name}/cgroup.procs`);
  return procs !== undefined && procs.trim() !== '' ? ['active', 'running'] : ['', ''];
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const live = systemdRunning(ctx.root);
    for (const u of readUnitFiles(ctx.root)) {
      if (u.state === 'alias' || /@\.[a-z]+$/.test(u.name)) continue;
      const [active, sub] = live ? runtimeState(ctx.root, u) : ['', ''];
      yield {
        id: u.name,
        description: unitSetting(u.settings, 'Unit', 'Description'),
        load_state: u.state === 'masked' ? 'masked' : u.state === 'bad' ? 'error' : 'loaded',
        active_state: active,
        sub_state: sub,
        unit_file_state: u.state === 'bad' ? '' : u.state,
        following: '',
        object_path: live ? unitObjectPath(u.name) : '',
        job_id: null,
        job_type: '',
        job_path: '',
        fragment_path: u.state === 'masked' ? '' : u.fragmentPath,
        user: unitSetting(u.settings, 'Service', 'User'),
        source_path: unitSetting(u.settings, 'Unit', 'SourcePath'),
      };
    }
  },
};
