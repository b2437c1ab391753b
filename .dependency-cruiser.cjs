/**
 * The layer rule (README "Folder map"): every import points down a layer, never up, never in a circle.
 *   core      src/core/                       knows no crawler, scorer, lead or command
 *   middle    crawlers/, scoring/, src/leads/  each may import only the core
 *   apps      src/apps/                        may import everything below
 *   devtools  src/devtools/                    beside the apps (may drive them); product code never imports them
 * `.ci/run` runs `npm run lint:deps`; test/architecture/dependency-rule.test.ts plants violations to
 * show each rule fails.
 */
const MIDDLE = ['crawlers', 'scoring', 'src/leads'];
const under = (dirs) => `^(${dirs.join('|')})/`;
const middleRule = (self) => ({
  name: `middle-imports-only-core:${self}`,
  comment: `${self}/ is a middle layer: it may import src/core only, not the other middle layers, apps or devtools`,
  severity: 'error',
  from: { path: `^${self}/` },
  to: { path: under([...MIDDLE.filter((dir) => dir !== self), 'src/apps', 'src/devtools']) },
});

module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-above',
      comment: 'src/core is the bottom layer',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: under([...MIDDLE, 'src/apps', 'src/devtools']) },
    },
    ...MIDDLE.map(middleRule),
    {
      name: 'product-never-imports-devtools',
      comment: 'the sandbox and harnesses are developer tools; only the demo and the CLI commands that drive them may load them',
      severity: 'error',
      from: {
        path: under(['src/core', ...MIDDLE, 'src/apps']),
        pathNot: ['^src/apps/demo/', '^src/apps/cli/commands/(sandbox|demo|eval)\\.ts$'],
      },
      to: { path: '^src/devtools/' },
    },
    {
      name: 'sandbox-knows-no-product',
      comment: "the sandbox's ground truth comes from its own plan, never from the scorer, crawlers or apps",
      severity: 'error',
      from: { path: '^src/devtools/sandbox/' },
      to: { path: under([...MIDDLE, 'src/apps']) },
    },
    {
      name: 'no-circular',
      comment:
        'a cycle between files makes load order and layering ambiguous (a type-only import is erased at run time, so it closes no cycle)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test|bench|scripts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
