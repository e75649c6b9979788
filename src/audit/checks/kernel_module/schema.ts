/** Options of the `kernel_module` check type: a module is disabled for loading and (live root) not loaded. */
import { z } from 'zod';

export const kernelModuleSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'name must be a kernel module name such as "cramfs" or "usb-storage"').describe(
    'Kernel module name. `-` and `_` are the same character here, as for modprobe.'),
  state: z.enum(['disabled', 'any']).default('disabled').describe(
    'disabled: modprobe configuration (/etc, /run, /usr/local/lib, /usr/lib, /lib modprobe.d, by file name precedence) makes loading fail: the effective ' +
    '`install <name>` command is /bin/false or /bin/true (or /usr/bin/…), and `blacklist <name>` is present when require_blacklist is true. any: not checked.'),
  require_blacklist: z.boolean().default(true).describe('With state disabled, also require a `blacklist <name>` line (CIS asks for both).'),
  loaded: z.boolean().optional().describe(
    'Required loaded state from <root>/proc/modules: only on the live root; on another root this part is not_applicable and the modprobe configuration decides.'),
  if_not_present: z.enum(['not_applicable', 'pass', 'evaluate']).default('not_applicable').describe(
    'What to answer when the module exists in no kernel under <root>/lib/modules (not in modules.dep, not built in) and is not loaded: ' +
    'not_applicable (default; CIS treats a module the kernel does not have as nothing to disable), pass, or evaluate the configuration anyway.'),
  if_builtin: z.enum(['pass', 'not_applicable', 'fail']).default('pass').describe(
    'What to answer when the module is built into the kernel (modules.builtin) and is no loadable module in any kernel: ' +
    'pass (default: it cannot be loaded or kept out as a module, so the recommendation is inherently met, as ComplianceAsCode rules it), ' +
    'not_applicable, or fail (modprobe configuration cannot keep a built-in module out). Where some kernels build it in and others ship it as a module, ' +
    'the configuration decides for the latter and the built-in kernels are reported in the evidence (counted as a problem only with fail).'),
}).strict().refine((s) => s.state !== 'any' || s.loaded !== undefined, { message: 'with state "any", give loaded: nothing else is checked' })
  .describe('A kernel module is disabled for loading in modprobe.d and not loaded.');

export type KernelModuleSpec = z.infer<typeof kernelModuleSchema>;
