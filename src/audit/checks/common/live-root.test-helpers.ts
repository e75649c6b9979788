/**
 * A fixture root that claims to be the live system, so tests can exercise the runtime parts
 * of check types (/proc/modules, /proc/self/mounts, /run/systemd) on files they wrote.
 */
import { HostRoot } from '../../../core/host-root.js';

export class LiveFixtureRoot extends HostRoot {
  override get isLive(): boolean {
    return true;
  }
}
