/**
 * Every check type the engine knows, by the `type:` a profile writes. Add a check type by
 * creating `checks/<type>/index.ts` (exporting a CheckType) and listing it here.
 */
import type { CheckType } from '../check.js';
import { fileCheck } from './file/index.js';
import { fileContentCheck } from './file_content/index.js';
import { sysctlCheck } from './sysctl/index.js';
import { configCheck } from './config/index.js';
import { packageCheck } from './package/index.js';
import { accountsCheck } from './accounts/index.js';
import { kernelModuleCheck } from './kernel_module/index.js';
import { serviceCheck } from './service/index.js';
import { mountCheck } from './mount/index.js';
import { fileTreeCheck } from './file_tree/index.js';
import { manualCheck } from './manual/index.js';
import { auditdRulesCheck } from './auditd_rules/index.js';
import { grubCheck } from './grub/index.js';
import { apparmorCheck } from './apparmor/index.js';
import { nftablesCheck } from './nftables/index.js';
import { firewallPortsCheck } from './firewall_ports/index.js';

export const CHECK_TYPES: readonly CheckType[] = [
  fileCheck,
  fileContentCheck,
  sysctlCheck,
  configCheck,
  packageCheck,
  accountsCheck,
  kernelModuleCheck,
  serviceCheck,
  mountCheck,
  fileTreeCheck,
  manualCheck,
  auditdRulesCheck,
  grubCheck,
  apparmorCheck,
  nftablesCheck,
  firewallPortsCheck,
];
