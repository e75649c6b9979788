/**
 * The table registry: osquery's table name -> a loader of its module. Tables are imported
 * lazily, only when a statement names them, so `spyglass query "SELECT * FROM users"` does
 * not load the code of the other sixty tables (start-up time is most of a one-shot query).
 *
 * Add a table: write `tables/<name>.ts` (or `tables/<name>/index.ts`) exporting
 * `export const table: Table`, then add one line below, keeping the list sorted:
 *   <name>: () => import('./<name>.js'),
 * The conformance suite (`src/query/conformance.test.ts`) picks every entry up.
 */
import type { Table } from '../table.js';

export type TableModule = { table: Table };
export type TableLoader = () => Promise<TableModule>;

export const TABLE_LOADERS: Record<string, TableLoader> = {
  apt_sources: () => import('./apt_sources.js'),
  arp_cache: () => import('./arp_cache.js'),
  authorized_keys: () => import('./authorized_keys.js'),
  block_devices: () => import('./block_devices.js'),
  cpu_time: () => import('./cpu_time.js'),
  crontab: () => import('./crontab.js'),
  deb_packages: () => import('./deb_packages.js'),
  dns_resolvers: () => import('./dns_resolvers.js'),
  docker_containers: () => import('./docker_containers.js'),
  docker_images: () => import('./docker_images.js'),
  etc_hosts: () => import('./etc_hosts.js'),
  file: () => import('./file.js'),
  groups: () => import('./groups.js'),
  hash: () => import('./hash.js'),
  interface_addresses: () => import('./interface_addresses.js'),
  interface_details: () => import('./interface_details.js'),
  iptables: () => import('./iptables.js'),
  kernel_info: () => import('./kernel_info.js'),
  kernel_modules: () => import('./kernel_modules.js'),
  known_hosts: () => import('./known_hosts.js'),
  last: () => import('./last.js'),
  listening_ports: () => import('./listening_ports.js'),
  load_average: () => import('./load_average.js'),
  logged_in_users: () => import('./logged_in_users.js'),
  memory_info: () => import('./memory_info.js'),
  mounts: () => import('./mounts.js'),
  npm_packages: () => import('./npm_packages.js'),
  os_version: () => import('./os_version.js'),
  osquery_info: async () => ({ table: (await import('./spyglass_info.js')).osqueryInfo }),
  osquery_schedule: async () => ({ table: (await import('./spyglass_schedule.js')).osquerySchedule }),
  process_envs: () => import('./process_envs.js'),
  process_namespaces: () => import('./process_namespaces.js'),
  process_open_files: () => import('./process_open_files.js'),
  process_open_sockets: () => import('./process_open_sockets.js'),
  processes: () => import('./processes.js'),
  python_packages: () => import('./python_packages.js'),
  routes: () => import('./routes.js'),
  rpm_packages: () => import('./rpm_packages.js'),
  shadow: () => import('./shadow.js'),
  shell_history: () => import('./shell_history.js'),
  spyglass_info: () => import('./spyglass_info.js'),
  spyglass_schedule: () => import('./spyglass_schedule.js'),
  startup_items: () => import('./startup_items.js'),
  sudoers: () => import('./sudoers.js'),
  suid_bin: () => import('./suid_bin.js'),
  system_controls: () => import('./system_controls.js'),
  system_info: () => import('./system_info.js'),
  systemd_units: () => import('./systemd_units.js'),
  time: () => import('./time.js'),
  uptime: () => import('./uptime.js'),
  user_groups: () => import('./user_groups.js'),
  user_ssh_keys: () => import('./user_ssh_keys.js'),
  users: () => import('./users.js'),
};
