/** Docker's container inspect document -> ContainerDetails, in our words. Env values are never kept. */
import type Docker from "dockerode";
import type { ContainerDetails, ContainerState, ContainerSettings } from "./container-engine.js";

const NS_PER_MS = 1_000_000;
/** Docker writes "0001-01-01T00:00:00Z" for a time that never happened. */
const time = (t: string | undefined) => (t && !t.startsWith("0001-") ? t : undefined);

function settingsOf(info: Docker.ContainerInspectInfo): ContainerSettings {
  const host = info.HostConfig;
  const ports = Object.entries(host.PortBindings ?? {}).flatMap(([containerPort, bindings]) =>
    ((bindings as Array<{ HostIp: string; HostPort: string }> | null) ?? []).map((b) => `${b.HostIp}:${b.HostPort}->${containerPort}`),
  );
  const hc = info.Config.Healthcheck as { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number } | undefined;
  return {
    cpus: (host.NanoCpus ?? 0) / 1e9,
    memoryBytes: host.Memory ?? 0,
    pids: (host as { PidsLimit?: number }).PidsLimit ?? 0,
    restart: host.RestartPolicy?.Name || "no",
    ports: ports.sort(),
    networks: Object.keys(info.NetworkSettings.Networks ?? {}).sort(),
    // A container never started has no NetworkID yet: the network it was created on is its NetworkMode.
    networkIds: Object.values(info.NetworkSettings.Networks ?? {})
      .map((n) => n.NetworkID || host.NetworkMode || "")
      .sort(),
    init: (host as { Init?: boolean }).Init === true,
    capDrop: [...(host.CapDrop ?? [])].sort(),
    securityOpt: [...(host.SecurityOpt ?? [])].sort(),
    logging: { driver: host.LogConfig?.Type ?? "", options: { ...(host.LogConfig?.Config ?? {}) } },
    ...(hc?.Test && {
      healthcheck: {
        test: hc.Test,
        intervalMs: (hc.Interval ?? 0) / NS_PER_MS,
        timeoutMs: (hc.Timeout ?? 0) / NS_PER_MS,
        retries: hc.Retries ?? 0,
        startPeriodMs: (hc.StartPeriod ?? 0) / NS_PER_MS,
      },
    }),
  };
}

export function detailsOf(info: Docker.ContainerInspectInfo, summary: ContainerState): ContainerDetails {
  const st = info.State as Docker.ContainerInspectInfo["State"] & { Error?: string };
  const health = st.Health;
  const last = health?.Log?.at(-1);
  const emptyEnv = (info.Config.Env ?? []).filter((kv) => kv.endsWith("=")).map((kv) => kv.slice(0, -1));
  const startedAt = time(st.StartedAt);
  const finishedAt = time(st.FinishedAt);
  return {
    ...summary,
    createdAt: info.Created,
    ...(startedAt && { startedAt }),
    ...(finishedAt && { finishedAt }),
    exitCode: st.ExitCode,
    restartCount: info.RestartCount ?? 0,
    ...(st.Error && { error: st.Error }),
    oomKilled: st.OOMKilled,
    healthFailingStreak: health?.FailingStreak ?? 0,
    ...(last && { lastHealthOutput: last.Output.trim().slice(-500) }),
    emptyEnv,
    settings: settingsOf(info),
  };
}
