/**
 * osquery's `block_devices`: disks and partitions from /sys/class/block (live root only).
 * `size` is in 512-byte sectors and `block_size` the logical block size, as osquery gives
 * them; vendor, model and serial come from the device's sysfs attributes; `uuid`, `label`
 * and `type` (filesystem type) from udev's database and /dev/disk/by-uuid, by-label links
 * where udev runs (empty otherwise: probing superblocks is blkid's job, not a table's).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HostRoot } from '../../core/host-root.js';
import type { Table, TableSpec } from '../table.js';
import { listDirSync, readTextSync, readlinkSync } from './host-files.js';

const spec: TableSpec = {
  name: "block_devices",
  description: "Block (buffered access) device file nodes: disks, ramdisks, and DMG containers.",
  columns: [
    { name: "name", type: "TEXT", description: "Block device name", index: true },
    { name: "parent", type: "TEXT", description: "Block device parent name" },
    { name: "vendor", type: "TEXT", description: "Block device vendor string" },
    { name: "model", type: "TEXT", description: "Block device model string identifier" },
    { name: "serial", type: "TEXT", description: "Disk serial number" },
    { name: "size", type: "BIGINT", description: "Block device size in blocks" },
    { name: "block_size", type: "INTEGER", description: "Block size in bytes" },
    { name: "uuid", type: "TEXT", description: "Block device Universally Unique Identifier" },
    { name: "type", type: "TEXT", description: "Block device type string" },
    { name: "label", type: "TEXT", description: "Block device label string" },
  ],
  examples: ["select name, parent, size * 512 as bytes, type, label from block_devices"],
  liveOnly: true,
};

/** /dev/disk/by-<kind>/<value> -> ../../<name>: device name -> value. */
function byLinks(root: HostRoot, kind: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of listDirSync(root, `/dev/disk/by-${kind}`)) {
    const target = readlinkSync(root, `/dev/disk/by-${kind}/${value}`);
    // udev escapes unsafe characters in labels as \xNN
    if (target) map.set(path.posix.basename(target), value.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
  }
  return map;
}

function udevProperty(root: HostRoot, devNumber: string, key: string): string {
  const text = readTextSync(root, `/run/udev/data/b${devNumber}`) ?? '';
  return new RegExp(`^E:${key}=(.*)$`, 'm').exec(text)?.[1] ?? '';
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const uuids = byLinks(ctx.root, 'uuid');
    const labels = byLinks(ctx.root, 'label');
    const wanted = ctx.equalsValues('name')?.map((n) => String(n).replace(/^\/dev\//, ''));
    for (const name of listDirSync(ctx.root, '/sys/class/block')) {
      if (wanted && !wanted.includes(name)) continue;
      const base = `/sys/class/block/${name}`;
      const read = (f: string) => readTextSync(ctx.root, `${base}/${f}`)?.trim() ?? '';
      let parent = '';
      let deviceDir = base;
      if (fs.existsSync(ctx.root.join(`${base}/partition`))) {
        try {
          const real = fs.realpathSync(ctx.root.join(base));
          parent = `/dev/${path.basename(path.dirname(real))}`;
          deviceDir = `/sys/class/block/${path.basename(path.dirname(real))}`;
        } catch { /* gone */ }
      }
      const dev = (f: string) => readTextSync(ctx.root, `${deviceDir}/device/${f}`)?.trim() ?? '';
      const devNumber = read('dev');
      const size = read('size');
      const blockSize = readTextSync(ctx.root, `${deviceDir}/queue/logical_block_size`)?.trim() ?? '';
      yield {
        name: `/dev/${name}`, parent, vendor: dev('vendor'), model: dev('model'), serial: dev('serial') || read('serial'),
        size: size === '' ? null : Number(size), block_size: blockSize === '' ? null : Number(blockSize),
        uuid: uuids.get(name) ?? udevProperty(ctx.root, devNumber, 'ID_FS_UUID'),
        type: udevProperty(ctx.root, devNumber, 'ID_FS_TYPE'),
        label: labels.get(name) ?? udevProperty(ctx.root, devNumber, 'ID_FS_LABEL'),
      };
    }
  },
};
