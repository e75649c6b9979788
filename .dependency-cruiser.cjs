/**
 * The layers of src/, checked by `npm run check:layers` (part of `npm test`) with
 * dependency-cruiser. A module may import from its own folder and from the layers below it,
 * never from a layer above, never from a sibling component, and never in a circle:
 *
 *   core <- host <- {audit, query, fim, vuln, ship, profiles} <- agent <- cli
 *
 * The installed-package databases and version orderings are host formats (src/host/packages/):
 * the audit's package checks, the package tables and the vulnerability matcher all read
 * packages through them.
 *
 * Test files (`*.test.ts`, `*.test-helpers.ts`) may reach anything; cycles count everywhere.
 * test/layers.test.ts runs this configuration on a fixture tree with a cycle and
 * an upward import and expects both to fail.
 */
const LAYERS = [
  ['core'],
  ['host'],
  ['audit', 'query', 'fim', 'vuln', 'ship', 'profiles'],
  ['agent'],
  ['cli'],
];

/** Imports the layering forbids but that are being moved; each entry says who removes it. */
const TEMPORARILY_ALLOWED = {};

const TESTS = '\\.test(-helpers)?\\.ts$';

const layerRules = LAYERS.flatMap((group, level) => group.map((name) => {
  const forbidden = [...LAYERS.slice(level + 1).flat(), ...group.filter((sibling) => sibling !== name)];
  const allowed = TEMPORARILY_ALLOWED[name] ?? [];
  return {
    name: `${name}-imports-only-lower-layers`,
    comment: `src/${name}/ may import only from itself and from ${LAYERS.slice(0, level).flat().join(', ') || 'no other folder of src/'}`,
    severity: 'error',
    from: { path: `^src/${name}/`, pathNot: TESTS },
    to: { path: `^src/(${forbidden.join('|')})/`, ...(allowed.length ? { pathNot: allowed.join('|') } : {}) },
  };
})).filter((rule) => !rule.to.path.includes('()'));

module.exports = {
  forbidden: [
    {
      name: 'no-import-cycle',
      comment: 'a module must not (through other modules) import itself',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unlisted-top-folder',
      comment: 'every top folder of src/ that is imported is a layer named in LAYERS',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: '^src/', pathNot: `^src/(${LAYERS.flat().join('|')})/` },
    },
    {
      name: 'check-types-are-independent',
      comment: 'a check type (src/audit/checks/<type>/) imports only its own folder and src/audit/checks/common/, never another check type',
      severity: 'error',
      from: { path: '^src/audit/checks/([^/]+)/' },
      to: { path: '^src/audit/checks/[^/]+/', pathNot: '^src/audit/checks/($1|common)/' },
    },
    ...layerRules,
  ],
  options: {
    // type-only imports count: a type import upward is still a dependency on the upper layer
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
