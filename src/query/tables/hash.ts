/** osquery's `hash`: MD5, SHA-1 and SHA-256 of the files a path / directory constraint names. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileTargets, resolveSync } from '../path-constraints.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';

/** osquery's read_max: files over 50 MiB are not hashed (empty hashes and a warning). */
export const HASH_MAX_BYTES = 50 * 1024 * 1024;

const spec = osqueryTableSpec('hash', { requiredOneOf: [['path'], ['directory']] });

export const table: Table = {
  spec,
  *generate(ctx) {
    const wanted = ['md5', 'sha1', 'sha256'].filter((a) => ctx.columnsUsed.has(a));
    for (const target of fileTargets(ctx)) {
      let fd: number;
      let machinePath: string;
      try {
        machinePath = resolveSync(ctx.root, target.path);
        const st = fs.statSync(machinePath);
        if (!st.isFile()) continue; // directories, devices, sockets have no content hash
        if (st.size > HASH_MAX_BYTES) {
          ctx.warn(`${target.path}: ${st.size} bytes, over the ${HASH_MAX_BYTES}-byte hashing limit; hashes left empty`);
          yield { path: target.path, directory: target.directory, md5: '', sha1: '', sha256: '', pid_with_namespace: null, mount_namespace_id: null };
          continue;
        }
        if (wanted.length === 0) {
          // no digest asked for (SELECT path FROM hash …): do not read the content
          yield { path: target.path, directory: target.directory, md5: null, sha1: null, sha256: null, pid_with_namespace: null, mount_namespace_id: null };
          continue;
        }
        fd = fs.openSync(machinePath, 'r');
      } catch {
        continue;
      }
      const hashes = wanted.map((a) => crypto.createHash(a));
      try {
        const buf = Buffer.allocUnsafe(256 * 1024);
        for (;;) {
          const n = fs.readSync(fd, buf, 0, buf.length, null);
          if (n === 0) break;
          for (const h of hashes) h.update(buf.subarray(0, n));
        }
      } catch {
        continue;
      } finally {
        fs.closeSync(fd);
      }
      const digest = Object.fromEntries(wanted.map((a, i) => [a, hashes[i]!.digest('hex')]));
      yield {
        path: target.path,
        directory: target.directory,
        md5: digest.md5 ?? null,
        sha1: digest.sha1 ?? null,
        sha256: digest.sha256 ?? null,
        pid_with_namespace: null,
        mount_namespace_id: null,
      };
    }
  },
};
