/**
 * The layer rules of STYLE.md ("dependencies point inward"), checked by `npm run deps` in CI.
 * Each layer lists what it may import; anything else in src/ is an import from a higher layer (or a
 * sideways one the design does not have). The order, from the bottom:
 *
 *   errors.ts <- io/ <- config/ <- catalog/ <- plan/ <- renderers (compose/, swarm/, kubernetes/, clients/)
 *   health/ (the probe definition, below plan/: the plan holds the in-container check) and engine/ (the
 *   Docker boundary) sit beside them; load/ (config + catalog -> plan) and orchestrate/ (plan vs engine)
 *   above; then output/ (tables), serve/ (with gateway/, its MCP endpoint), commands/, and cli*.ts at the top.
 *
 * Type-only imports count: a type from a higher layer is a dependency on it all the same. That plan/ and
 * the renderers do no I/O is checked on what runs, so without type-only imports: .dependency-cruiser-runtime.cjs.
 */
const src = (dirs) => `^src/(${dirs.join("|")})/`;
const ERRORS = "^src/errors\\.ts$";

/** layer name -> [its files, the layers it may import]. */
const LAYERS = {
  io: [src(["io"]), []],
  config: [src(["config"]), ["io"]],
  catalog: [src(["catalog"]), ["io", "config"]],
  health: [src(["health"]), []],
  plan: [src(["plan"]), ["config", "catalog", "health"]],
  compose: [src(["compose"]), ["config", "plan", "health"]],
  swarm: [src(["swarm"]), ["config", "plan", "health", "compose"]],
  kubernetes: [src(["kubernetes"]), ["config", "catalog", "plan", "health"]],
  clients: [src(["clients"]), ["config", "plan"]],
  engine: [src(["engine"]), ["io"]],
  load: [src(["load"]), ["io", "config", "catalog", "plan", "compose"]],
  orchestrate: [src(["orchestrate"]), ["io", "config", "catalog", "plan", "health", "engine"]],
  output: [src(["output"]), ["plan", "engine", "orchestrate"]],
  // The gateway is a part of serve (its /mcp/<customer> endpoint), on the same store and operations.
  serve: [src(["serve", "gateway"]), ["io", "config", "catalog", "plan", "health", "engine", "clients", "load", "orchestrate", "output"]],
  commands: [
    src(["commands"]),
    ["io", "config", "catalog", "plan", "health", "compose", "swarm", "kubernetes", "clients", "engine", "load", "orchestrate", "serve"],
  ],
};

const layerRules = Object.entries(LAYERS).map(([name, [files, allowed]]) => ({
  name: `layer-${name}`,
  comment: `${name} may import only ${allowed.length ? allowed.join(", ") : "nothing in src/"} (and errors.ts)`,
  severity: "error",
  from: { path: files },
  to: { path: "^src/", pathNot: [files, ERRORS, ...allowed.map((a) => LAYERS[a][0])] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "errors-is-the-bottom",
      comment: "errors.ts imports nothing of ours",
      severity: "error",
      from: { path: ERRORS },
      to: { path: "^src/" },
    },
    {
      name: "cli-only-from-cli",
      comment: "nothing below the command line imports cli*.ts",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli[^/]*\\.ts$" },
      to: { path: "^src/cli[^/]*\\.ts$" },
    },
    {
      name: "only-engine-imports-dockerode",
      severity: "error",
      from: { pathNot: src(["engine"]) },
      to: { path: "(^|/)node_modules/(@types/)?dockerode/" },
    },
    {
      name: "only-health-imports-undici",
      severity: "error",
      from: { pathNot: src(["health"]) },
      to: { path: "(^|/)node_modules/undici/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
