/** Options of the `service` check type: a systemd unit's enablement on disk and, on a live root, its active state. */
import { z } from 'zod';

export const SERVICE_STATES = ['enabled', 'disabled', 'masked', 'static', 'indirect', 'absent', 'not_enabled'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const serviceSchema = z.object({
  unit: z.string().regex(/^[A-Za-z0-9:_.\\@-]+$/, 'unit must be a systemd unit name such as "avahi-daemon.service"').describe(
    'Unit name, e.g. `avahi-daemon.service`, `cups.socket`, `tmp.mount`, `getty@tty1.service`. Without a unit suffix `.service` is implied.'),
  state: z.union([z.enum(SERVICE_STATES), z.array(z.enum(SERVICE_STATES)).min(1)]).optional().describe(
    'Required enablement state, or a list of accepted ones, decided from unit files and links on disk as `systemctl is-enabled` would: ' +
    'enabled (linked from a .wants/.requires/.upholds directory, itself or an alias), disabled (has an [Install] section but no links), ' +
    'masked (a link to /dev/null or an empty file shadows it), static (no [Install] section), indirect (only Also=), absent (no unit file), ' +
    'not_enabled (anything but enabled: disabled, masked, static, indirect or absent). With socket_activation, a service whose socket is enabled counts as enabled.'),
  active: z.boolean().optional().describe(
    'Required active state (running now). Only read on the live root with systemd running; otherwise this part is not_applicable with the reason and the enablement part decides.'),
  socket_activation: z.boolean().default(true).describe(
    'Count a .service as enabled when its same-named .socket (foo.socket for foo.service or foo@.service) is enabled, because the socket starts it on demand.'),
}).strict().refine((s) => s.state !== undefined || s.active !== undefined, { message: 'give state, active, or both' })
  .describe('A systemd unit is enabled / disabled / masked / absent on disk, and active or not on a live root.');

export type ServiceSpec = z.infer<typeof serviceSchema>;
