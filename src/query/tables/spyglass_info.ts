/** `spyglass_info` (also served as osquery's `osquery_info`): the running agent itself. */
import fs from 'node:fs';
import os from 'node:os';
import { AGENT_VERSION } from '../../core/version.js';
import { runtimeInfo } from '../runtime-info.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { machineIdAsUuid } from './system_info.js';

const spec = osqueryTableSpec('spyglass_info', { osqueryName: 'osquery_info' });

function read(path: string): string | undefined {
  try { return fs.readFileSync(path, 'utf8').trim(); } catch { return undefined; }
}

function distro(): string {
  const text = read('/etc/os-release') ?? '';
  const id = /^ID="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'linux';
  const version = /^VERSION_ID="?([^"\n]*)"?$/m.exec(text)?.[1] ?? '';
  return `${id}${version}`;
}

export const table: Table = {
  spec,
  *generate() {
    // the same host UUID as system_info.uuid, as osquery reports it
    const productUuid = read('/sys/class/dmi/id/product_uuid');
    const machineId = read('/etc/machine-id');
    yield {
      pid: process.pid,
      uuid: productUuid ? productUuid.toUpperCase() : machineId ? machineIdAsUuid(machineId) : '',
      instance_id: runtimeInfo.instanceId,
      version: AGENT_VERSION,
      config_hash: runtimeInfo.configHash,
      config_valid: runtimeInfo.configValid,
      extensions: 'inactive',
      build_platform: os.platform(),
      build_distro: distro(),
      start_time: runtimeInfo.startTime,
      watcher: -1,
      platform_mask: 9,
    };
  },
};

/** The same table under osquery's name, so packs that read osquery_info run unchanged. */
export const osqueryInfo: Table = { spec: { ...spec, name: 'osquery_info' }, generate: table.generate };
