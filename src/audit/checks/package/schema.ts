/** Options of the `package` check type: a package installed or absent, optionally with a version constraint. */
import { z } from 'zod';

/** dpkg relation operators (`<<`, `<=`, `=`, `>=`, `>>`) plus the familiar `<`, `>`, `==`, `!=`. */
export const VERSION_CONSTRAINT = /^\s*(<<|<=|>=|>>|==|!=|=|<|>)\s*(\S+)\s*$/;

export const packageSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+.\-_:]*$/, 'name must be a package name such as "sudo" or "libc6:amd64"').describe(
    'Package name as the package manager knows it. A dpkg architecture qualifier (`libc6:amd64`) narrows to that architecture. ' +
    'A virtual package name (e.g. `mail-transport-agent`) matches every installed package that Provides it (see match_provides).'),
  state: z.enum(['installed', 'absent']).default('installed').describe(
    'installed: an installed package matches (and satisfies `version` when given); absent: no installed package matches ' +
    '(with `version`: no installed version satisfies the constraint, e.g. "no sudo older than 1.9.5").'),
  version: z.string().regex(VERSION_CONSTRAINT, 'version must be an operator and a version, e.g. ">= 2.9.0" or "<< 1:1.9.5p2-3"').optional().describe(
    'Version constraint "<op> <version>", compared in the package database\'s own order (dpkg: epochs, ~, revisions; rpm: rpmvercmp on E:V-R; apk). ' +
    'Operators: << < <= = == != >= > >> (`<` and `>` mean strictly less / greater, as `<<` and `>>`).'),
  match_provides: z.boolean().default(true).describe(
    'Whether an installed package that Provides `name` counts as `name` being installed (true: "absent" fails when any provider is installed). ' +
    'A version constraint is checked against versioned Provides only; unversioned providers never satisfy one.'),
}).strict().describe('A package is installed (optionally in a version range) or absent, from the dpkg status database (else rpm, else apk).');

export type PackageSpec = z.infer<typeof packageSchema>;
