/** `spyglass_info` (also served as osquery's `osquery_info`): the running agent itself. */
import fs from 'node:fs';
import os from 'node:os';
import { AGENT_VERSION } from '../../core/version.js';
import { runtimeInfo } from '../runtime-info.js';
import type { Table, TableSpec } from '../table.js';
import { machineIdAsUuid } from './system_info.js';

const spec: TableSpec = {
  name: 'spyglass_info',
  description: "Top level information about the running Spyglass agent (osquery_info under its osquery name).",
  columns: [
    { name: 'pid', type: 'INTEGER', description: "Process (or thread/handle) ID" },
    { name: 'uuid', type: 'TEXT', description: "Unique ID provided by the system" },
    { name: 'instance_id', type: 'TEXT', description: "Unique, long-lived ID per instance of the agent" },
    { name: 'version', type: 'TEXT', description: "Spyglass agent version" },
    { name: 'config_hash', type: 'TEXT', description: "Hash of the working configuration state" },
    { name: 'config_valid', type: 'INTEGER', description: "1 if the config was loaded and considered valid, else 0" },
    { name: 'extensions', type: 'TEXT', description: "extensions status (Spyglass has none: \"inactive\")" },
    { name: 'build_platform', type: 'TEXT', description: "Spyglass agent build platform" },
    { name: 'build_distro', type: 'TEXT', description: "Spyglass agent platform distribution name (os version)" },
    { name: 'start_time', type: 'INTEGER', description: "UNIX time in seconds when the process started" },
    { name: 'watcher', type: 'INTEGER', description: "Process (or thread/handle) ID of optional watcher process" },
    { name: 'platform_mask', type: 'INTEGER', description: "The osquery platform bitmask (9: posix + linux)" },
  ],
};

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
