/**
 * osquery's `interface_details`: every network interface with its link address, type
 * (ARPHRD_*), MTU, flags and counters, from /sys/class/net (live root only).
 * `flags` are the interface flags as getifaddrs reports them (RUNNING, LOWER_UP included).
 * `metric` is 0: Linux keeps no per-interface metric (SIOCGIFMETRIC always answers 0).
 * `last_change` is NULL: Linux does not record when a link last changed state.
 * `link_speed` is the driver's speed in Mb/s, NULL where the driver reports none (virtual links).
 * `pci_slot` is the PCI address of the device behind the interface ('' for virtual ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { listDirSync, readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('interface_details', { liveOnly: true });

const COUNTERS: Record<string, string> = {
  ipackets: 'rx_packets', opackets: 'tx_packets', ibytes: 'rx_bytes', obytes: 'tx_bytes', ierrors: 'rx_errors',
  oerrors: 'tx_errors', idrops: 'rx_dropped', odrops: 'tx_dropped', collisions: 'collisions',
};

const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;
const IFF_LOWER_UP = 0x10000;
const IFF_DORMANT = 0x20000;

/**
 * The flags getifaddrs(3) / SIOCGIFFLAGS report (what osquery reads): the device flags of
 * /sys/class/net/<if>/flags plus the operational ones the kernel adds in dev_get_flags() —
 * RUNNING when the link is operationally up (or "unknown", as for lo), LOWER_UP with a
 * carrier, DORMANT — all only while the interface is up.
 */
export function interfaceFlags(deviceFlags: number | null, operstate: string, carrier: string | undefined): number | null {
  if (deviceFlags === null) return null;
  let flags = deviceFlags & ~(IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT);
  if (flags & IFF_UP) {
    if (operstate === 'up' || operstate === 'unknown') flags |= IFF_RUNNING;
    if (carrier === '1') flags |= IFF_LOWER_UP;
    if (operstate === 'dormant') flags |= IFF_DORMANT;
  }
  return flags;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const iface of listDirSync(ctx.root, '/sys/class/net')) {
      const base = `/sys/class/net/${iface}`;
      const read = (name: string) => readTextSync(ctx.root, `${base}/${name}`)?.trim();
      const num = (name: string) => { const v = read(name); return v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v); };
      if (read('type') === undefined) continue; // not an interface (bonding_masters)
      const speed = num('speed');
      let pciSlot = '';
      try {
        const dev = fs.realpathSync(ctx.root.join(`${base}/device`));
        pciSlot = dev.split(path.sep).filter((p) => /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/.test(p)).at(-1) ?? '';
      } catch { /* virtual interface */ }
      const counters: Record<string, number | null> = {};
      for (const [col, file] of Object.entries(COUNTERS)) counters[col] = num(`statistics/${file}`);
      yield {
        interface: iface, mac: read('address') ?? '', type: num('type'), mtu: num('mtu'), metric: 0,
        flags: interfaceFlags(num('flags'), read('operstate') ?? '', read('carrier')),
        ...counters,
        last_change: null, link_speed: speed === null || speed < 0 ? null : speed, pci_slot: pciSlot,
      };
    }
  },
};
