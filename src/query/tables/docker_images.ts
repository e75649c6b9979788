/**
 * osquery's `docker_images`: images of the local Docker Engine, from its API over
 * /var/run/docker.sock (live root only; no socket, no rows). `id` is the image digest
 * without its "sha256:" prefix and `tags` the repository tags joined with ",", as in osquery.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { dockerSocket, listImages } from '../table-support/docker-api.js';

const spec = osqueryTableSpec('docker_images', { liveOnly: true });

export const table: Table = {
  spec,
  *generate(ctx) {
    const socket = dockerSocket(ctx.root);
    if (!socket) return;
    let images;
    try { images = listImages(socket); } catch (err) { ctx.warn(`docker_images: ${(err as Error).message}`); return; }
    for (const img of images) {
      yield {
        id: img.Id.replace(/^sha256:/, ''), created: img.Created ?? null, size_bytes: img.Size ?? null,
        tags: (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>').join(','),
      };
    }
  },
};
