/** SwarmEngine over the Docker Engine API: the same calls, limits and error mapping as DockerEngine. */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { EngineUnreachableError } from "../errors.js";
import { labelFilter } from "./container-summary.js";
import { logTail } from "./demux-logs.js";
import { DockerEngine } from "./docker-engine.js";
import { statusOf } from "./engine-call.js";
import type { HelperRunResult, HelperRunSpec, SwarmEngine, SwarmServiceState, SwarmTaskState } from "./swarm-engine.js";

/** Just what we read of the API's Service and Task objects. */
interface ApiService {
  ID: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    Mode?: { Replicated?: { Replicas?: number } };
    TaskTemplate?: { ContainerSpec?: { Image?: string }; Networks?: Array<{ Target: string }> };
  };
  UpdateStatus?: { State?: string; Message?: string };
}
interface ApiTask {
  ID: string;
  ServiceID: string;
  DesiredState: string;
  Status: { State: string; Message?: string; Err?: string; Timestamp: string; ContainerStatus?: { ExitCode?: number } };
}

/** Small and locked down: it only runs one probe. */
const HELPER_LIMITS = { Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000, PidsLimit: 64, CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges:true"] };

export class DockerSwarmEngine extends DockerEngine implements SwarmEngine {
  async listServices(selector: Record<string, string>): Promise<SwarmServiceState[]> {
    const found = await this.call("list services", (signal) =>
      this.request<ApiService[]>("GET", "/services", signal, { filters: { label: labelFilter(selector) } }),
    ).catch((e: unknown) => {
      // 503: the engine answers but is no swarm manager; for a Swarm command that is an unreachable swarm.
      if (statusOf(e) === 503)
        throw new EngineUnreachableError(`the Docker engine at ${this.endpoint} is not a swarm manager: ${(e as Error).message}`);
      throw e;
    });
    return found.map((s) => ({
      id: s.ID,
      name: s.Spec.Name,
      labels: s.Spec.Labels ?? {},
      image: s.Spec.TaskTemplate?.ContainerSpec?.Image ?? "",
      desiredReplicas: s.Spec.Mode?.Replicated?.Replicas ?? 0,
      networkIds: (s.Spec.TaskTemplate?.Networks ?? []).map((n) => n.Target),
      ...(s.UpdateStatus?.State && { update: { state: s.UpdateStatus.State, message: s.UpdateStatus.Message ?? "" } }),
    }));
  }

  async listTasks(serviceIds: string[]): Promise<SwarmTaskState[]> {
    if (!serviceIds.length) return [];
    const found = await this.call("list tasks", (signal) => this.request<ApiTask[]>("GET", "/tasks", signal, { filters: { service: serviceIds } }));
    return found.map((t) => ({
      id: t.ID,
      serviceId: t.ServiceID,
      desiredState: t.DesiredState,
      state: t.Status.State,
      message: t.Status.Message ?? "",
      ...(t.Status.Err && { error: t.Status.Err }),
      ...(t.Status.ContainerStatus?.ExitCode !== undefined && { exitCode: t.Status.ContainerStatus.ExitCode }),
      timestamp: t.Status.Timestamp,
    }));
  }

  /** Create, start, wait (bounded), read its output, and always remove it. */
  async runHelper(spec: HelperRunSpec): Promise<HelperRunResult> {
    const docker = await this.docker();
    const [entrypoint, ...args] = spec.command;
    const name = `mcps-helper-${randomBytes(6).toString("hex")}`;
    const options: Docker.ContainerCreateOptions = {
      name,
      Image: spec.image,
      Entrypoint: entrypoint === undefined ? [] : [entrypoint],
      Cmd: args,
      Labels: spec.labels,
      HostConfig: { ...HELPER_LIMITS, NetworkMode: spec.networkId, LogConfig: { Type: "json-file", Config: {} } },
    };
    const container = await this.call(`create ${name}`, (abortSignal) => docker.createContainer({ ...options, abortSignal }));
    try {
      await this.call(`start ${name}`, (signal) => this.request("POST", `/containers/${container.id}/start`, signal));
      const waited = await this.call(
        `wait for ${name}`,
        (signal) => this.request<{ StatusCode: number }>("POST", `/containers/${container.id}/wait`, signal),
        spec.timeoutMs,
      );
      const buf = await this.call(`logs ${name}`, (abortSignal) =>
        container.logs({ stdout: true, stderr: true, tail: 20, follow: false, abortSignal }),
      );
      return { exitCode: waited.StatusCode, output: logTail(buf as Buffer, 20) };
    } finally {
      await this.remove(container.id);
    }
  }
}
