/**
 * Reader of utmp/wtmp files (glibc's `struct utmp` on Linux, 384 bytes per record on every
 * 64-bit and 32-bit ABI with 32-bit time fields): the login records behind
 * logged_in_users (/var/run/utmp) and last (/var/log/wtmp).
 *
 *   offset size field
 *        0    2 ut_type      (+2 padding)
 *        4    4 ut_pid
 *        8   32 ut_line      (tty)
 *       40    4 ut_id
 *       44   32 ut_user
 *       76  256 ut_host
 *      332    4 ut_exit
 *      336    4 ut_session
 *      340    8 ut_tv        (tv_sec, tv_usec as int32)
 *      348   16 ut_addr_v6
 *      364   20 unused
 */
import type { HostRoot } from '../../core/host-root.js';
import { readBytesSync } from './host-files.js';

export const UTMP_RECORD_SIZE = 384;

/** ut_type values (utmp.h) and the names osquery gives them. */
export const UT_TYPE_NAMES: Record<number, string> = {
  0: 'empty', 1: 'runlevel', 2: 'boot_time', 3: 'new_time', 4: 'old_time', 5: 'init', 6: 'login', 7: 'user', 8: 'dead', 9: 'accounting',
};
export const USER_PROCESS = 7;
export const DEAD_PROCESS = 8;
export const BOOT_TIME = 2;

export interface UtmpRecord {
  type: number;
  pid: number;
  line: string;
  id: string;
  user: string;
  host: string;
  time: number;
  usec: number;
}

function cString(buf: Buffer, start: number, len: number): string {
  const slice = buf.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return (nul < 0 ? slice : slice.subarray(0, nul)).toString('utf8');
}

export function parseUtmp(buf: Buffer): UtmpRecord[] {
  const out: UtmpRecord[] = [];
  for (let off = 0; off + UTMP_RECORD_SIZE <= buf.length; off += UTMP_RECORD_SIZE) {
    out.push({
      type: buf.readInt16LE(off),
      pid: buf.readInt32LE(off + 4),
      line: cString(buf, off + 8, 32),
      id: cString(buf, off + 40, 4),
      user: cString(buf, off + 44, 32),
      host: cString(buf, off + 76, 256),
      time: buf.readInt32LE(off + 340),
      usec: buf.readInt32LE(off + 344),
    });
  }
  return out;
}

/** Builds one record (tests build utmp/wtmp fixtures with it). */
export function encodeUtmp(r: Partial<UtmpRecord> & { type: number }): Buffer {
  const b = Buffer.alloc(UTMP_RECORD_SIZE);
  b.writeInt16LE(r.type, 0);
  b.writeInt32LE(r.pid ?? 0, 4);
  b.write(r.line ?? '', 8, 32, 'utf8');
  b.write(r.id ?? '', 40, 4, 'utf8');
  b.write(r.user ?? '', 44, 32, 'utf8');
  b.write(r.host ?? '', 76, 256, 'utf8');
  b.writeInt32LE(r.time ?? 0, 340);
  b.writeInt32LE(r.usec ?? 0, 344);
  return b;
}

/** The records of the first of `paths` that exists under the root ([] when none does). */
export function readUtmp(root: HostRoot, paths: string[]): UtmpRecord[] {
  for (const p of paths) {
    const buf = readBytesSync(root, p);
    if (buf) return parseUtmp(buf);
  }
  return [];
}
