/**
 * `service` check type: a systemd unit is enabled / disabled / masked / static / absent as
 * decided from unit files and links on disk (src/host/systemd-units.ts, which the systemd tables read too), with socket activation
 * counted, and — on the live root with systemd running — active or not. Offline the active part
 * is not_applicable with the reason and the enablement part decides.
 */
import { toSpyglassError } from '../../../core/errors.js';
import { lookupUnitState, normalizeUnitName, readUnitScan, splitInstance, type UnitInfo } from '../../../host/systemd-units.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { combineParts, type CheckPart } from '../common/combine-parts.js';
import { serviceSchema, type ServiceSpec, type ServiceState } from './schema.js';
import { readActiveState } from './active-state.js';

function unitEvidence(info: UnitInfo): Evidence[] {
  const ev: Evidence[] = [];
  const how = info.foundAs === 'alias' ? `alias of ${info.canonical}` : info.foundAs === 'masked_link' ? 'link to /dev/null' : info.foundAs === 'masked_empty' ? 'empty file' : info.foundAs === 'linked' ? 'linked unit file' : 'unit file';
  if (info.foundAt) ev.push({ source: info.foundAt, found: `${info.name}: ${how}, state ${info.state}`, ...(info.fragment && info.fragment !== info.foundAt ? { note: `defined by ${info.fragment}` } : {}) });
  else ev.push({ source: 'systemd unit search path', found: `${info.name}: no unit file` });
  for (const l of info.links) ev.push({ source: l.path, found: `→ ${l.target}`, note: 'enablement link' });
  if (info.install && info.state === 'disabled') {
    const targets = [...info.install.wantedBy, ...info.install.requiredBy, ...info.install.upheldBy];
    ev.push({ source: info.fragment, note: `[Install] ${targets.length ? `WantedBy/RequiredBy ${targets.join(' ')}` : `Alias ${info.install.alias.join(' ')}`} but no links: disabled` });
  }
  return ev;
}

/** The socket that activates a service: foo.socket for foo.service, foo@.service and foo@x.service. */
function socketOf(unit: string): string | undefined {
  if (!unit.endsWith('.service')) return undefined;
  const inst = splitInstance(unit);
  const base = (inst ? inst.template : unit).replace(/@?\.service$/, '');
  return `${base}.socket`;
}

function stateAccepted(state: ServiceState, effective: UnitInfo['state'] | 'enabled_by_socket'): boolean {
  if (state === 'not_enabled') return effective !== 'enabled' && effective !== 'enabled_by_socket';
  if (state === 'enabled') return effective === 'enabled' || effective === 'enabled_by_socket';
  return state === effective;
}

async function evaluateService(spec: ServiceSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const unit = normalizeUnitName(spec.unit);
  try {
    const parts: CheckPart[] = [];
    if (spec.state !== undefined) {
      const links = await ctx.memo('systemd:unit-scan', () => readUnitScan(ctx.root));
      const info = await lookupUnitState(ctx.root, links, unit);
      const evidence = unitEvidence(info);
      let effective: UnitInfo['state'] | 'enabled_by_socket' = info.state;
      const socket = socketOf(info.canonical);
      if (spec.socket_activation && socket && info.state !== 'enabled' && info.state !== 'masked' && info.state !== 'absent') {
        const sock = await lookupUnitState(ctx.root, links, socket);
        if (sock.state === 'enabled') {
          effective = 'enabled_by_socket';
          evidence.push(...unitEvidence(sock).map((e) => ({ ...e, note: `${e.note ? e.note + '; ' : ''}${socket} is enabled and starts ${info.canonical} on demand` })));
        }
      }
      const wanted = Array.isArray(spec.state) ? spec.state : [spec.state];
      const shown = effective === 'enabled_by_socket' ? `enabled through ${socket}` : effective;
      const ok = wanted.some((w) => stateAccepted(w, effective));
      evidence[0] = { ...evidence[0]!, expected: wanted.join(' or ') };
      parts.push({ status: ok ? 'pass' : 'fail', summary: `${unit} is ${shown}${ok ? '' : `, expected ${wanted.join(' or ')}`}`, evidence });
    }
    if (spec.active !== undefined) {
      const a = await readActiveState(ctx.root, unit);
      if (!a.known) parts.push({ status: 'not_applicable', summary: a.reason, evidence: [a.evidence] });
      else {
        const ev = { ...a.evidence, expected: spec.active ? 'active' : 'inactive' };
        parts.push({ status: a.active === spec.active ? 'pass' : 'fail', summary: `${unit} is ${a.active ? 'active' : 'inactive'}`, evidence: [ev] });
      }
    }
    return combineParts(parts);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error', { check: 'service' }));
  }
}

export const serviceCheck: CheckType<typeof serviceSchema> = {
  type: 'service',
  description: 'A systemd unit is enabled, disabled, masked, static or absent on disk (socket activation counted), and active or not on a live root.',
  schema: serviceSchema,
  evaluate: evaluateService,
};
