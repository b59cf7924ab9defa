/** The comment lines at the top of a stack file: how to deploy it, and what it deliberately leaves out. */
import { regenerateLines } from "../compose/regenerate-lines.js";
import { STACK_DROPPED } from "./stack-document.js";

export interface StackHeaderInput {
  /** Where the file was generated from, relative to it. */
  config: string;
  catalog: string;
  /** The command that writes this file again. */
  regenerate: string;
  publish: boolean;
  /** Built images under their local names (no --image-prefix): only a single node has them. */
  localImages: boolean;
}

export function stackHeader(h: StackHeaderInput): string[] {
  return [
    ...regenerateLines(h.regenerate, h),
    "Deploy: docker stack deploy -c <this file> <stack>",
    ...(h.localImages
      ? [
          "Images: local names (mcps/...), present on this node only. Single node: deploy with --resolve-image never, so no",
          "registry is asked for those names. Several nodes: generate with --image-prefix REGISTRY/, build, push, deploy.",
        ]
      : []),
    "Credentials are ${VAR} references that docker stack deploy fills in from the deploying shell: the values then",
    "sit in each service's spec (docker service inspect shows them). Prefer Docker secrets where a type reads a file.",
    h.publish
      ? "Ports: published in host mode (--publish), open on EVERY interface of the node running the task."
      : "Ports: none published. Consumers join the customer's attachable network and use http://<service>:<port><path>.",
    "Left out on purpose (Swarm ignores or refuses them):",
    ...STACK_DROPPED.map((line) => `  - ${line}`),
  ];
}
