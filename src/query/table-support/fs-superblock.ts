/**
 * Filesystem identification from a device's first bytes, for block_devices on hosts without
 * udev (containers, minimal systems): ext2/ext3/ext4 and Linux swap, the kinds a server's
 * disks mostly hold, read the way blkid(8) reads them (type, UUID, label). Other kinds
 * return undefined and stay empty unless udev knows them.
 */

export interface FilesystemId { type: string; uuid: string; label: string }

/** Bytes to read from the start of a device for every probe here. */
export const PROBE_BYTES = 8192;

function uuidText(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function cText(b: Buffer): string {
  const nul = b.indexOf(0);
  return (nul < 0 ? b : b.subarray(0, nul)).toString('utf8');
}

// ext feature bits (include/linux/ext2_fs.h via libblkid's ext.c)
const COMPAT_HAS_JOURNAL = 0x4;
const INCOMPAT_EXT3_SUPPORTED = 0x2 | 0x4 | 0x10; // FILETYPE, RECOVER, META_BG
const RO_COMPAT_EXT3_SUPPORTED = 0x1 | 0x2 | 0x4; // SPARSE_SUPER, LARGE_FILE, BTREE_DIR
const INCOMPAT_JOURNAL_DEV = 0x8;

function probeExt(b: Buffer): FilesystemId | undefined {
  if (b.length < 1024 + 136 || b.readUInt16LE(1024 + 56) !== 0xef53) return undefined;
  const compat = b.readUInt32LE(1024 + 92);
  const incompat = b.readUInt32LE(1024 + 96);
  const roCompat = b.readUInt32LE(1024 + 100);
  if (incompat & INCOMPAT_JOURNAL_DEV) return undefined; // an external journal, not a filesystem
  const beyondExt3 = (incompat & ~INCOMPAT_EXT3_SUPPORTED) !== 0 || (roCompat & ~RO_COMPAT_EXT3_SUPPORTED) !== 0;
  const type = beyondExt3 ? 'ext4' : compat & COMPAT_HAS_JOURNAL ? 'ext3' : 'ext2';
  return { type, uuid: uuidText(b.subarray(1024 + 104, 1024 + 120)), label: cText(b.subarray(1024 + 120, 1024 + 136)) };
}

function probeSwap(b: Buffer): FilesystemId | undefined {
  // the signature ends the first page; try the page sizes Linux uses
  for (const page of [4096, 8192]) {
    if (b.length < page) continue;
    const sig = b.toString('latin1', page - 10, page);
    if (sig !== 'SWAPSPACE2' && sig !== 'SWAP-SPACE') continue;
    if (sig === 'SWAP-SPACE') return { type: 'swap', uuid: '', label: '' }; // version 0: no UUID
    return { type: 'swap', uuid: uuidText(b.subarray(1036, 1052)), label: cText(b.subarray(1052, 1068)) };
  }
  return undefined;
}

export function probeFilesystem(head: Buffer): FilesystemId | undefined {
  return probeExt(head) ?? probeSwap(head);
}
