/**
 * osquery's `block_devices`: disks and partitions from /sys/class/block (live root only).
 * `size` is in 512-byte sectors and `block_size` the logical block size, as osquery gives
 * them; vendor, model and serial come from the device's sysfs attributes; `uuid`, `label`
 * and `type` (filesystem type) from udev's database and /dev/disk/by-uuid, by-label links
 * where udev runs; without udev, the device's own superblock is read for ext2/3/4 and swap
 * (as blkid does; a device this process may not read, or another filesystem, stays empty).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HostRoot } from '../../core/host-root.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { listDirSync, readTextSync, readlinkSync } from '../table-support/host-files.js';
import { PROBE_BYTES, probeFilesystem, type FilesystemId } from '../table-support/fs-superblock.js';

const spec = osqueryTableSpec('block_devices', { liveOnly: true });

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

/** The filesystem signature at the start of /dev/<name>, when the device can be read (root, not a sandbox). */
function probeDevice(root: HostRoot, name: string): FilesystemId | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(root.join(`/dev/${name}`), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const head = Buffer.alloc(PROBE_BYTES);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return probeFilesystem(head.subarray(0, n));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
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
      let uuid = uuids.get(name) ?? udevProperty(ctx.root, devNumber, 'ID_FS_UUID');
      let type = udevProperty(ctx.root, devNumber, 'ID_FS_TYPE');
      let label = labels.get(name) ?? udevProperty(ctx.root, devNumber, 'ID_FS_LABEL');
      // without udev's answer, read the superblock ourselves (ext2/3/4, swap) when the filesystem columns are wanted
      if (!type && size !== '' && size !== '0' && ['uuid', 'type', 'label'].some((c) => ctx.columnsUsed.has(c))) {
        const probed = probeDevice(ctx.root, name);
        if (probed) { type = probed.type; uuid ||= probed.uuid; label ||= probed.label; }
      }
      yield {
        name: `/dev/${name}`, parent, vendor: dev('vendor'), model: dev('model'), serial: dev('serial') || read('serial'),
        size: size === '' ? null : Number(size), block_size: blockSize === '' ? null : Number(blockSize), uuid, type, label,
      };
    }
  },
};
