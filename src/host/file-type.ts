/**
 * What kind of file a path is: one vocabulary for every component, and the names each output
 * has always used for it. The audit's `file_type` (profiles, evidence) uses these names as
 * they are; osquery's `file.type` column and the FIM events and baselines keep their own
 * spellings, mapped here at the edge so no one writes a second stat-to-type function.
 */

/** The types a profile can ask for (`file` check `file_type`). */
export const KNOWN_FILE_TYPES = ['file', 'directory', 'symlink', 'block_device', 'char_device', 'fifo', 'socket'] as const;
export const FILE_TYPES = [...KNOWN_FILE_TYPES, 'unknown'] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** What fileTypeOf needs of a stat result (fs.Stats from stat or lstat, BigIntStats). */
export interface StatKind {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}

/**
 * The type of a stat result (from lstat, a symlink is `symlink`). Uses no name from outside
 * its body: the FIM hashing workers run its source text.
 */
export function fileTypeOf(st: StatKind): FileType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isBlockDevice()) return 'block_device';
  if (st.isCharacterDevice()) return 'char_device';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'unknown';
}

/** osquery's names, for the `type` column of `file` (part of the table's schema). */
export const OSQUERY_FILE_TYPE_NAMES = {
  file: 'regular', directory: 'directory', symlink: 'symlink', block_device: 'block', char_device: 'character', fifo: 'fifo', socket: 'socket', unknown: 'unknown',
} as const satisfies Record<FileType, string>;

/** FIM's names, for `type` in FIM events and baseline records (stored: never renamed). */
export const FIM_FILE_TYPE_NAMES = {
  file: 'file', directory: 'directory', symlink: 'symlink', block_device: 'block', char_device: 'char', fifo: 'fifo', socket: 'socket', unknown: 'unknown',
} as const satisfies Record<FileType, string>;
