/** ContainerSpec (our words) -> the Docker API's container create body. */
import type Docker from "dockerode";
import type { ContainerSpec } from "./container-engine.js";

const NS_PER_MS = 1_000_000;
/** /tmp's usual mode (1777), which compose and --tmpfs give a tmpfs too. */
const WORLD_WRITABLE_STICKY = 0o1777;

export function createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const port = `${spec.containerPort}/tcp`;
  return {
    name: spec.name,
    Image: spec.image,
    ...(spec.command && { Cmd: spec.command }),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: spec.labels,
    ExposedPorts: { [port]: {} },
    User: spec.user,
    StopTimeout: Math.ceil(spec.stopGraceMs / 1000),
    Healthcheck: {
      Test: spec.healthcheck.test,
      Interval: spec.healthcheck.intervalMs * NS_PER_MS,
      Timeout: spec.healthcheck.timeoutMs * NS_PER_MS,
      Retries: spec.healthcheck.retries,
      StartPeriod: spec.healthcheck.startPeriodMs * NS_PER_MS,
    },
    HostConfig: {
      PortBindings: { [port]: [{ HostIp: spec.bindAddress, HostPort: String(spec.hostPort) }] },
      NanoCpus: Math.round(spec.cpus * 1e9),
      Memory: spec.memoryBytes,
      PidsLimit: spec.pids,
      RestartPolicy: { Name: spec.restart === "no" ? "" : spec.restart },
      Init: spec.init,
      ReadonlyRootfs: spec.readOnlyRootFilesystem,
      Mounts: spec.scratch.map((m) => ({
        Type: "tmpfs" as const,
        Source: "",
        Target: m.path,
        TmpfsOptions: { SizeBytes: m.sizeBytes, Mode: WORLD_WRITABLE_STICKY },
      })),
      CapDrop: spec.capDrop,
      SecurityOpt: spec.securityOpt,
      LogConfig: { Type: spec.logging.driver, Config: spec.logging.options },
      NetworkMode: spec.networkId,
    },
    NetworkingConfig: { EndpointsConfig: { [spec.networkId]: { Aliases: spec.aliases } } },
  };
}
