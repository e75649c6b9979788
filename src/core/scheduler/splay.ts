/**
 * Splay: where in its period each host runs a job. Derived from a hash of the host id and
 * the job name, so it is stable across restarts (a host keeps its slot) and uniformly spread
 * across a fleet (40 000 hosts with a daily audit do not hit the SIEM in the same minute),
 * and two jobs of one host do not all start together.
 */
import { createHash } from 'node:crypto';

/** A number in [0, 1) from the host id and job name, uniform over hosts. */
export function splayFraction(hostId: string, jobName: string): number {
  const digest = createHash('sha256').update(hostId).update('\0').update(jobName).digest();
  // 48 bits are plenty for an even spread and stay exact in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * For an interval job: its phase within the period, in ms. The job runs at every wall-clock
 * time t with (t - phase) mod interval = 0, so its slots do not drift with restarts.
 */
export function intervalPhaseMs(hostId: string, jobName: string, intervalMs: number): number {
  return Math.floor(splayFraction(hostId, jobName) * intervalMs);
}

/** For a cron job: a delay in [0, maxSplayMs) added to each cron time. */
export function cronSplayMs(hostId: string, jobName: string, maxSplayMs: number): number {
  return Math.floor(splayFraction(hostId, jobName) * maxSplayMs);
}
