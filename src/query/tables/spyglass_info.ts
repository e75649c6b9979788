/** `spyglass_info` (also served as osquery's `osquery_info`): the running agent itself. */
import os from 'node:os';
import { HostRoot } from '../../core/host-root.js';
import { AGENT_VERSION } from '../../core/version.js';
import { readOsReleaseSync, type OsRelease } from '../../host/os-release.js';
import { runtimeInfo } from '../runtime-info.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { machineIdAsUuid } from './system_info.js';

const spec = osqueryTableSpec('spyglass_info', { osqueryName: 'osquery_info' });

// The agent itself runs on this machine, whatever root the queries read: its facts come from "/".
const THIS_MACHINE = new HostRoot('/');

function read(hostPath: string): string | undefined {
  try { return THIS_MACHINE.readTextSync(hostPath).trim(); } catch { return undefined; }
}

/** "debian12": the distribution the agent runs on (os-release ID and VERSION_ID). */
function distro(): string {
  let rel: OsRelease | undefined;
  try { rel = readOsReleaseSync(THIS_MACHINE); } catch { /* unreadable: as absent */ }
  return rel ? `${rel.id}${rel.versionId}` : 'linux';
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
