/** Options of the `firewall_ports` check type: every port the host listens on has a firewall rule. */
import { z } from 'zod';

export const FIREWALLS = ['ufw', 'iptables', 'ip6tables'] as const;
export type Firewall = (typeof FIREWALLS)[number];

export const firewallPortsSchema = z.object({
  firewall: z.enum(FIREWALLS).describe(
    'Whose rules: ufw (its user rules, /etc/ufw/user.rules chain ufw-user-input for IPv4 and user6.rules chain ufw6-user-input for IPv6, ' +
    'what `ufw status` lists), iptables (/etc/iptables/rules.v4, filter INPUT, IPv4 sockets) or ip6tables (/etc/iptables/rules.v6, filter INPUT, IPv6 sockets).'),
  ignore_ports: z.array(z.number().int().min(1).max(65535)).default([]).describe('Ports not checked (a service the site accepts without a rule).'),
}).strict().describe('Every TCP and UDP port the live host listens on beyond loopback has a rule in the persisted firewall rules.');

export type FirewallPortsSpec = z.infer<typeof firewallPortsSchema>;
