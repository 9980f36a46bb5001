// The layering of govscan (DESIGN.md: probes gather facts, policy judges, reporters write), checked
// by `npm run lint:deps` in CI. Parts, from the bottom:
//   src/core      types, errors, i18n, YAML/schema helpers, atomic files, network primitives: imports nothing of ours
//   src/pki       certificate parsing and path validation: core only
//   src/contract  what the agent and the server exchange over HTTP: core only
//   src/evidence  evidence manifests and documents
//   checks/*      probes: never policy, report, engine, CLI, server, agent
//   src/policy    pure evaluation; src/report: writers — neither imports checks or the CLI
//   src/engine    the orchestrator (registry, scan pipeline)
//   src/server, agent/, src/worker, src/cli, src/commands   the programs on top; the agent and the campaign
//                 worker never import the server, nor the server them (they talk over HTTP through src/contract)
// src/lab (lab servers for the demo, tests and benchmarks) and test/ are never imported by production code.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the modules in it cannot be understood, tested or loaded one without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-a-leaf',
      severity: 'error',
      comment: 'src/core is the base every part imports: it must import nothing else of the project.',
      from: { path: '^src/core/' },
      to: { path: '^(src|checks|agent|bench|test)/', pathNot: '^src/core/' },
    },
    {
      name: 'pki-on-core-only',
      severity: 'error',
      comment: 'Certificate validation is a library of its own (src/api.ts exports it): it depends on core alone.',
      from: { path: '^src/pki/' },
      to: { path: '^(src|checks|agent|bench|test)/', pathNot: '^src/(pki|core)/' },
    },
    {
      name: 'contract-on-core-only',
      severity: 'error',
      comment: 'The agent-server contract is shared by both ends, so it can depend on neither.',
      from: { path: '^src/contract/' },
      to: { path: '^(src|checks|agent|bench|test)/', pathNot: '^src/(contract|core)/' },
    },
    {
      name: 'checks-gather-facts-only',
      severity: 'error',
      comment: 'Probes gather facts and never judge or print: no policy, report, engine, CLI, server or agent.',
      from: { path: '^checks/' },
      to: { path: '^(src/(policy|report|engine|cli|commands|server|api)|agent)/' },
    },
    {
      name: 'judging-and-writing-know-no-checks-or-cli',
      severity: 'error',
      comment: 'Policy evaluation is pure and reporters only write: they work on facts and findings, never on probes or the CLI.',
      from: { path: '^src/(policy|report)/' },
      to: { path: '^(checks|agent|src/(cli|commands|engine|server))/' },
    },
    {
      name: 'evidence-below-policy',
      severity: 'error',
      comment: 'Evidence documents are read by probes and judged by policy: evidence imports neither.',
      from: { path: '^src/evidence/' },
      to: { path: '^(checks|agent|src/(policy|report|engine|cli|commands|server))/' },
    },
    {
      name: 'agent-and-server-apart',
      severity: 'error',
      comment: 'The agent and the server talk over HTTP through src/contract only.',
      from: { path: '^agent/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'server-and-agent-apart',
      severity: 'error',
      comment: 'The agent and the server talk over HTTP through src/contract only.',
      from: { path: '^src/server/' },
      to: { path: '^agent/' },
    },
    {
      name: 'worker-and-server-apart',
      severity: 'error',
      comment: 'The campaign worker takes jobs from the server over HTTP through src/contract only, like the agent.',
      from: { path: '^src/worker/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'server-and-worker-apart',
      severity: 'error',
      comment: 'The server hands jobs to workers over HTTP; it never runs the worker code itself.',
      from: { path: '^src/server/' },
      to: { path: '^src/worker/' },
    },
    {
      name: 'no-lab-in-production',
      severity: 'error',
      comment: 'Lab servers and fixtures are for the demo, tests and benchmarks; the scanner, agent and server never load them.',
      from: { path: '^(src|checks|agent)/', pathNot: ['^src/lab/', '^src/commands/demo\\.ts$'] },
      to: { path: '^src/lab/' },
    },
    {
      name: 'no-test-code-outside-tests',
      severity: 'error',
      comment: 'Production code and benchmarks never import test helpers.',
      from: { path: '^(src|checks|agent|bench)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^[.]' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // TypeScript 7 has no JavaScript API; swc parses the sources, type-only imports included.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
