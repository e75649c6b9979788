/**
 * osquery's `docker_containers`: containers of the local Docker Engine, from its API over
 * /var/run/docker.sock (live root only; no socket, no rows). The namespace columns are
 * the inodes of the container's main process namespaces (/proc/<pid>/ns), empty for a
 * stopped container.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { dockerSocket, listContainers } from '../table-support/docker-api.js';
import { namespaceInode } from '../table-support/proc-sockets.js';

const spec = osqueryTableSpec('docker_containers', { liveOnly: true });

const NAMESPACES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'];

export const table: Table = {
  spec,
  *generate(ctx) {
    const socket = dockerSocket(ctx.root);
    if (!socket) return;
    let containers;
    try { containers = listContainers(socket); } catch (err) { ctx.warn(`docker_containers: ${(err as Error).message}`); return; }
    for (const { summary: c, inspect: i } of containers) {
      const pid = i?.State?.Pid ?? 0;
      const ns: Record<string, string> = {};
      for (const kind of NAMESPACES) ns[`${kind}_namespace`] = pid > 0 ? namespaceInode(ctx.root, pid, kind) : '';
      const entrypoint = i?.Config?.Entrypoint;
      yield {
        id: c.Id, name: c.Names?.[0] ?? '', image: c.Image ?? '', image_id: c.ImageID ?? '', command: c.Command ?? '',
        created: c.Created ?? null, state: c.State ?? '', status: c.Status ?? '', pid: i ? pid : null, path: i?.Path ?? '',
        config_entrypoint: Array.isArray(entrypoint) ? entrypoint.join(', ') : entrypoint ?? '',
        started_at: i?.State?.StartedAt ?? '', finished_at: i?.State?.FinishedAt ?? '',
        privileged: i ? (i.HostConfig?.Privileged ? 1 : 0) : null,
        security_options: (i?.HostConfig?.SecurityOpt ?? []).join(', '),
        env_variables: (i?.Config?.Env ?? []).join(', '),
        readonly_rootfs: i ? (i.HostConfig?.ReadonlyRootfs ? 1 : 0) : null,
        ...ns,
      };
    }
  },
};
