/** Options of the `mount` check type: a path is a separate mount with the wanted options. */
import { z } from 'zod';

const option = z.string().regex(/^[^\s,]+$/, 'a mount option is one word without commas, e.g. "nodev"');

export const mountSchema = z.object({
  path: z.string().regex(/^\//, 'path must be an absolute host path').describe('Mount point, e.g. `/tmp`, `/dev/shm`, `/var/log/audit`.'),
  options: z.array(option).default([]).describe('Options the mount must carry, e.g. [nodev, nosuid, noexec].'),
  forbidden_options: z.array(option).default([]).describe('Options the mount must not carry, e.g. [exec, suid]. An fstab `defaults` stands for rw,suid,dev,exec,auto,nouser,async.'),
  scope: z.enum(['auto', 'runtime', 'persisted', 'both']).default('auto').describe(
    'Where the mount is read: runtime = <root>/proc/self/mounts (live root only); persisted = <root>/etc/fstab and, failing that, an enabled or static systemd ' +
    '.mount unit (e.g. tmp.mount); auto (default) = runtime on the live root, persisted otherwise; both = each readable part must hold (offline: persisted).'),
  missing: z.enum(['fail', 'not_applicable', 'pass']).default('fail').describe(
    'Status when the path is not a separate mount: fail (default), not_applicable (e.g. "if /dev/shm is a mount, it has noexec"), or pass.'),
}).strict().describe('A path is a separate mount and carries (or lacks) given mount options.');

export type MountSpec = z.infer<typeof mountSchema>;
