/**
 * Waiting for work, but not for ever: a stop gives running work a grace period and then goes
 * on whether it ended or not (the job scheduler's running jobs, the query schedule's runs,
 * the shipper's in-flight batches, the agent's last status write).
 */

/**
 * Resolves when every promise has settled (true) or after `ms` (false), whichever comes
 * first; a rejection counts as settled. The timer is cleared when the work ends first, so a
 * quick stop is not kept alive for the whole grace period; it is not unref'd, so work that
 * never ends cannot let the process drift out of its stop path before the limit.
 */
export function settledWithin(work: Promise<unknown> | Iterable<Promise<unknown>>, ms: number): Promise<boolean> {
  const all = Promise.allSettled(work instanceof Promise ? [work] : [...work]);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    void all.then(() => { clearTimeout(timer); resolve(true); });
  });
}
