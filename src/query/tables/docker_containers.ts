/**
 * osquery's `docker_containers`: containers of the local Docker Engine, from its API over
 * /var/run/docker.sock (live root only; no socket, no rows). The namespace columns are
 * the inodes of the container's main process namespaces (/proc/<pid>/ns), empty for a
 * stopped container.
 */
import type { Table, TableSpec } from '../table.js';
import { dockerSocket, listContainers } from './docker-api.js';
import { namespaceInode } from './proc-sockets.js';

const spec: TableSpec = {
  name: "docker_containers",
  description: "Docker containers information.",
  columns: [
    { name: "id", type: "TEXT", description: "Container ID", index: true },
    { name: "name", type: "TEXT", description: "Container name", index: true },
    { name: "image", type: "TEXT", description: "Docker image (name) used to launch this container" },
    { name: "image_id", type: "TEXT", description: "Docker image ID" },
    { name: "command", type: "TEXT", description: "Command with arguments" },
    { name: "created", type: "BIGINT", description: "Time of creation as UNIX time" },
    { name: "state", type: "TEXT", description: "Container state (created, restarting, running, removing, paused, exited, dead)" },
    { name: "status", type: "TEXT", description: "Container status information" },
    { name: "pid", type: "BIGINT", description: "Identifier of the initial process" },
    { name: "path", type: "TEXT", description: "Container path" },
    { name: "config_entrypoint", type: "TEXT", description: "Container entrypoint(s)" },
    { name: "started_at", type: "TEXT", description: "Container start time as string" },
    { name: "finished_at", type: "TEXT", description: "Container finish time as string" },
    { name: "privileged", type: "INTEGER", description: "Is the container privileged" },
    { name: "security_options", type: "TEXT", description: "List of container security options" },
    { name: "env_variables", type: "TEXT", description: "Container environmental variables" },
    { name: "readonly_rootfs", type: "INTEGER", description: "Is the root filesystem mounted as read only" },
    { name: "cgroup_namespace", type: "TEXT", description: "" },
    { name: "ipc_namespace", type: "TEXT", description: "" },
    { name: "mnt_namespace", type: "TEXT", description: "" },
    { name: "net_namespace", type: "TEXT", description: "" },
    { name: "pid_namespace", type: "TEXT", description: "" },
    { name: "user_namespace", type: "TEXT", description: "" },
    { name: "uts_namespace", type: "TEXT", description: "" },
  ],
  examples: ["select * from docker_containers where id = '11b2399e1426d906e62a0c357650e363426d6c56dbe2f35cbaa9b452250e3355'", "select * from docker_containers where name = '/hello'"],
  liveOnly: true,
};

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
