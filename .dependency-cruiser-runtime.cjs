/**
 * The second pass of `npm run deps`: what actually runs, type-only imports left out (a type of
 * catalog.ts loads none of its file reading). plan/ and the renderers are pure: no module they load,
 * directly or through others, reads files, spawns processes or talks to the network or the engine.
 */
const layers = require("./.dependency-cruiser.cjs");

/** Modules that touch the world: files, processes, the network, the engine. */
const IO_MODULES = "^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|tls|dns|worker_threads)$|(^|/)node_modules/(undici|dockerode)/";

module.exports = {
  forbidden: [
    {
      name: "pure-layers-do-no-io",
      comment: "plan/ and the renderers (compose/, swarm/, kubernetes/, clients/) load no I/O module, directly or through others",
      severity: "error",
      from: { path: "^src/(plan|compose|swarm|kubernetes|clients)/" },
      to: { path: IO_MODULES, reachable: true },
    },
  ],
  options: { ...layers.options, tsPreCompilationDeps: false },
};
