/**
 * The Swarm side of the engine, in our own words: services and their tasks as `mcps status
 * --target swarm` reads them, and a short-lived helper container on an attachable overlay network
 * (how a probe gets inside a customer's network). Only a swarm manager answers these.
 */
import type { Labels } from "./container-engine.js";

export interface SwarmServiceState {
  id: string;
  /** The service's name in the swarm: <stack>_<service>; also its DNS name on its networks. */
  name: string;
  /** Service labels (deploy.labels), where mcps keeps its own. */
  labels: Labels;
  image: string;
  /** Replicas asked for (replicated mode); global services count their nodes' tasks. */
  desiredReplicas: number;
  /** IDs of the networks its tasks are attached to. */
  networkIds: string[];
  /** A rolling update's state, e.g. "rollback_completed", and Swarm's message, when there was one. */
  update?: { state: string; message: string };
}

export interface SwarmTaskState {
  id: string;
  serviceId: string;
  /** What Swarm wants the task to be ("running", "shutdown") and what it is ("running", "failed", "rejected"...). */
  desiredState: string;
  state: string;
  /** Swarm's message ("started") and, for a failure, its error ("task: non-zero exit (3)"). */
  message: string;
  error?: string;
  exitCode?: number;
  /** ISO 8601: when the task last changed state. */
  timestamp: string;
}

/** A helper container that runs one command to its end on one network, then is removed. */
export interface HelperRunSpec {
  image: string;
  /** Entrypoint and arguments: the whole command, nothing from the image's own entrypoint. */
  command: string[];
  networkId: string;
  labels: Labels;
  /** The run's limit; the container is killed and removed after it. */
  timeoutMs: number;
}

export interface HelperRunResult {
  exitCode: number;
  /** The last lines of its output (stdout and stderr), each cut to a readable length. */
  output: string[];
}

export interface SwarmEngine {
  readonly endpoint: string;
  /** Services whose labels match the selector. Throws EngineUnreachableError when the engine is not a swarm manager. */
  listServices(selector: Labels): Promise<SwarmServiceState[]>;
  /** Every task Swarm still remembers of these services (it keeps a few past ones per slot). */
  listTasks(serviceIds: string[]): Promise<SwarmTaskState[]>;
  runHelper(spec: HelperRunSpec): Promise<HelperRunResult>;
}
