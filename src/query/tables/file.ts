/** osquery's `file`: stat of the files a path / directory constraint names (never a disk scan). */
import fs from 'node:fs';
import { OSQUERY_FILE_TYPE_NAMES, fileTypeOf } from '../../host/file-type.js';
import { fileTargets, realHostPathSync, resolveSync } from '../path-constraints.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';

const spec = osqueryTableSpec('file', { requiredOneOf: [['path'], ['directory']] });

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const target of fileTargets(ctx)) {
      let lst: fs.Stats;
      try {
        lst = fs.lstatSync(resolveParentSync(ctx.root, target.path));
      } catch {
        continue; // a path that does not exist is no row, as in osquery
      }
      let st = lst;
      let linkTarget: string | null = null;
      if (lst.isSymbolicLink()) {
        try {
          st = fs.statSync(resolveSync(ctx.root, target.path));
          linkTarget = realHostPathSync(ctx.root, target.path);
        } catch {
          linkTarget = null; // dangling link: report the link itself
        }
      }
      const row: Row = {
        path: target.path,
        directory: target.directory,
        filename: target.path.split('/').filter(Boolean).pop() ?? '/',
        inode: st.ino,
        uid: st.uid,
        gid: st.gid,
        mode: (st.mode & 0o7777).toString(8).padStart(4, '0'),
        device: st.rdev,
        size: st.size,
        block_size: st.blksize,
        atime: Math.floor(st.atimeMs / 1000),
        mtime: Math.floor(st.mtimeMs / 1000),
        ctime: Math.floor(st.ctimeMs / 1000),
        btime: st.birthtimeMs > 0 ? Math.floor(st.birthtimeMs / 1000) : 0,
        hard_links: st.nlink,
        symlink: lst.isSymbolicLink() ? 1 : 0,
        type: OSQUERY_FILE_TYPE_NAMES[fileTypeOf(st)],
        symlink_target_path: linkTarget,
        pid_with_namespace: null,
        mount_namespace_id: null,
      };
      yield row;
    }
  },
};

/** The machine path of a host path whose parent directories are resolved but whose last part is not (for lstat). */
function resolveParentSync(root: import('../../core/host-root.js').HostRoot, hostPath: string): string {
  const slash = hostPath.lastIndexOf('/');
  const parent = slash <= 0 ? '/' : hostPath.slice(0, slash);
  const name = hostPath.slice(slash + 1);
  const dir = resolveSync(root, parent);
  return name ? `${dir.replace(/\/$/, '')}/${name}` : dir;
}
