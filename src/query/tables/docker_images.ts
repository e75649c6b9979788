/**
 * osquery's `docker_images`: images of the local Docker Engine, from its API over
 * /var/run/docker.sock (live root only; no socket, no rows). `id` is the image digest
 * without its "sha256:" prefix and `tags` the repository tags joined with ",", as in osquery.
 */
import type { Table, TableSpec } from '../table.js';
import { dockerSocket, listImages } from './docker-api.js';

const spec: TableSpec = {
  name: "docker_images",
  description: "Docker images information.",
  columns: [
    { name: "id", type: "TEXT", description: "Image ID" },
    { name: "created", type: "BIGINT", description: "Time of creation as UNIX time" },
    { name: "size_bytes", type: "BIGINT", description: "Size of image in bytes" },
    { name: "tags", type: "TEXT", description: "Comma-separated list of repository tags" },
  ],
  examples: ["select * from docker_images", "select * from docker_images where id = '6a2f32de169d'", "select * from docker_images where id = '6a2f32de169d14e6f8a84538eaa28f2629872d7d4f580a303b296c60db36fbd7'"],
  liveOnly: true,
};

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
