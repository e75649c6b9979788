/** osquery's `system_info`: host identity, CPU and memory (hardware fields only on the live root). */
import os from 'node:os';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { HostRoot } from '../../core/host-root.js';
import type { Table } from '../table.js';
import { readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('system_info');

function read(root: HostRoot, hostPath: string): string | undefined {
  return readTextSync(root, hostPath)?.trim();
}

/** A machine-id as a UUID (8-4-4-4-12), as systemd prints it. */
export function machineIdAsUuid(id: string): string {
  const h = id.trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(h)) return h;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`.toUpperCase();
}

interface CpuInfo { brand: string | null; model: string | null; physical: number | null; logical: number | null; sockets: number | null; microcode: string | null }

export function parseCpuinfo(text: string): CpuInfo {
  const blocks = text.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  const get = (b: string, k: string) => new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm').exec(b)?.[1]?.trim();
  const cores = new Set<string>();
  const sockets = new Set<string>();
  for (const b of blocks) {
    const phys = get(b, 'physical id') ?? '0';
    sockets.add(phys);
    cores.add(`${phys}:${get(b, 'core id') ?? get(b, 'processor')}`);
  }
  const first = blocks[0] ?? '';
  return {
    brand: get(first, 'model name') ?? get(first, 'Hardware') ?? null,
    model: get(first, 'model') ?? null,
    physical: blocks.length ? cores.size : null,
    logical: blocks.length || null,
    sockets: blocks.length ? sockets.size : null,
    microcode: get(first, 'microcode') ?? null,
  };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const live = ctx.root.isLive;
    const hostname = live ? os.hostname() : read(ctx.root, '/etc/hostname') ?? null;
    const machineId = read(ctx.root, '/etc/machine-id');
    const dmi = (name: string) => (live ? read(ctx.root, `/sys/class/dmi/id/${name}`) ?? '' : null);
    const productUuid = live ? read(ctx.root, '/sys/class/dmi/id/product_uuid') : undefined;
    const cpu = live ? parseCpuinfo(read(ctx.root, '/proc/cpuinfo') ?? '') : undefined;
    const memKb = live ? /^MemTotal:\s+(\d+)/m.exec(read(ctx.root, '/proc/meminfo') ?? '')?.[1] : undefined;
    if (!live) ctx.warn('hardware fields describe the running machine; empty on a non-live root');
    yield {
      hostname,
      uuid: productUuid ? productUuid.toUpperCase() : machineId ? machineIdAsUuid(machineId) : '',
      cpu_type: live ? os.machine() : null,
      cpu_subtype: cpu?.model ?? null,
      cpu_brand: cpu?.brand ?? null,
      cpu_physical_cores: cpu?.physical ?? null,
      cpu_logical_cores: cpu?.logical ?? null,
      cpu_sockets: cpu?.sockets ?? null,
      cpu_microcode: cpu?.microcode ?? null,
      physical_memory: memKb ? Number(memKb) * 1024 : null,
      hardware_vendor: dmi('sys_vendor'),
      hardware_model: dmi('product_name'),
      hardware_version: dmi('product_version'),
      hardware_serial: dmi('product_serial'),
      board_vendor: dmi('board_vendor'),
      board_model: dmi('board_name'),
      board_version: dmi('board_version'),
      board_serial: dmi('board_serial'),
      computer_name: hostname,
      local_hostname: hostname,
    };
  },
};
