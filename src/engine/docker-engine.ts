/** ContainerEngine over the Docker Engine API (dockerode). DOCKER_HOST is read as docker-modem reads it. */
import Docker from "dockerode";
import { EngineError, EngineUnreachableError } from "../errors.js";
import { contextFiles } from "../io/context-files.js";
import type { BuildSpec, ContainerDetails, ContainerEngine, ContainerEvent, ContainerSpec, ContainerState, Health, Labels, NetworkState, RunState } from "./container-engine.js";
import { detailsOf } from "./inspect-details.js";
import { demuxLogs } from "./demux-logs.js";

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "ECONNRESET", "EPIPE"]);
const NS_PER_MS = 1_000_000;

function labelFilter(selector: Labels): string[] {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`);
}

function healthOf(status: string): Health {
  if (status.includes("(healthy)")) return "healthy";
  if (status.includes("(unhealthy)")) return "unhealthy";
  if (status.includes("(health: starting)")) return "starting";
  return "none";
}

function toState(c: Docker.ContainerInfo): ContainerState {
  return {
    id: c.Id,
    name: (c.Names[0] ?? "").replace(/^\//, ""),
    labels: c.Labels ?? {},
    state: c.State as RunState,
    health: healthOf(c.Status),
    status: c.Status,
    imageId: c.ImageID,
  };
}

export class DockerEngine implements ContainerEngine {
  readonly endpoint: string;
  private readonly docker: Docker;

  constructor() {
    this.endpoint = process.env.DOCKER_HOST ? `${process.env.DOCKER_HOST} (DOCKER_HOST)` : "unix:///var/run/docker.sock (DOCKER_HOST unset)";
    try {
      this.docker = new Docker();
    } catch (e) {
      throw new EngineUnreachableError(`cannot use the Docker engine at ${this.endpoint}: ${(e as Error).message}`);
    }
  }

  /** Connection failures become EngineUnreachableError (exit 3); API answers become EngineError. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
      if (err.code && UNREACHABLE.has(err.code) && !err.statusCode) {
        throw new EngineUnreachableError(`cannot reach the Docker engine at ${this.endpoint}: ${err.code}`);
      }
      if (/All configured authentication methods failed|connect ETIMEDOUT|getaddrinfo/.test(err.message ?? "")) {
        throw new EngineUnreachableError(`cannot reach the Docker engine at ${this.endpoint}: ${err.message}`);
      }
      const reason = err.json?.message ?? err.message ?? String(e);
      throw Object.assign(new EngineError(`${what}: ${reason.trim()}`), { statusCode: err.statusCode });
    }
  }

  async ping(): Promise<void> {
    await this.call("ping", () => this.docker.ping());
  }

  async list(selector: Labels): Promise<ContainerState[]> {
    const found = await this.call("list containers", () => this.docker.listContainers({ all: true, filters: { label: labelFilter(selector) } }));
    return found.map(toState);
  }

  async findByName(name: string): Promise<ContainerState | undefined> {
    const found = await this.call("list containers", () => this.docker.listContainers({ all: true, filters: { name: [`^/${name}$`] } }));
    return found[0] && toState(found[0]);
  }

  async listNetworks(selector: Labels): Promise<NetworkState[]> {
    const found = await this.call("list networks", () => this.docker.listNetworks({ filters: { label: labelFilter(selector) } }));
    return found.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {}, createdAt: n.Created }));
  }

  async createNetwork(name: string, labels: Labels): Promise<string> {
    const net = await this.call(`create network ${name}`, () =>
      this.docker.createNetwork({ Name: name, Driver: "bridge", Labels: labels, CheckDuplicate: true }),
    );
    return net.id;
  }

  async removeNetwork(id: string): Promise<void> {
    await this.ignoring([404], `remove network ${id}`, () => this.docker.getNetwork(id).remove());
  }

  async inspect(id: string): Promise<ContainerDetails | undefined> {
    try {
      const info = await this.call(`inspect ${id.slice(0, 12)}`, () => this.docker.getContainer(id).inspect());
      const st = info.State;
      const summary: ContainerState = {
        id: info.Id,
        name: info.Name.replace(/^\//, ""),
        labels: info.Config.Labels ?? {},
        state: st.Status as RunState,
        health: ((st.Health?.Status as Health | undefined) ?? "none"),
        status: st.Status,
        imageId: info.Image,
      };
      return detailsOf(info, summary);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  async imageId(ref: string): Promise<string | undefined> {
    try {
      return (await this.call(`inspect image ${ref}`, () => this.docker.getImage(ref).inspect())).Id;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  async rename(id: string, name: string): Promise<void> {
    await this.call(`rename ${id.slice(0, 12)} to ${name}`, () => this.docker.getContainer(id).rename({ name }));
  }

  async build(spec: BuildSpec): Promise<void> {
    const src = await contextFiles(spec.contextDir);
    const stream = await this.call(`build ${spec.tag}`, () =>
      this.docker.buildImage({ context: spec.contextDir, src }, { t: spec.tag, dockerfile: spec.dockerfile, buildargs: spec.buildArgs, labels: spec.labels, rm: true, forcerm: true }),
    );
    await new Promise<void>((resolve, reject) => {
      let failure: string | undefined;
      this.docker.modem.followProgress(
        stream,
        (err: Error | null) => (err || failure ? reject(new EngineError(`build ${spec.tag}: ${failure ?? err?.message}`)) : resolve()),
        (event: { error?: string }) => {
          if (event.error) failure = event.error.trim();
        },
      );
    });
  }

  async create(spec: ContainerSpec): Promise<string> {
    const port = `${spec.containerPort}/tcp`;
    const container = await this.call(`create ${spec.name}`, () =>
      this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        ...(spec.command && { Cmd: spec.command }),
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        Labels: spec.labels,
        ExposedPorts: { [port]: {} },
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
          CapDrop: spec.capDrop,
          SecurityOpt: spec.securityOpt,
          LogConfig: { Type: spec.logging.driver, Config: spec.logging.options },
          NetworkMode: spec.networkId,
        },
        NetworkingConfig: { EndpointsConfig: { [spec.networkId]: { Aliases: [spec.alias] } } },
      }),
    );
    return container.id;
  }

  async start(id: string): Promise<void> {
    await this.ignoring([304], `start ${id.slice(0, 12)}`, () => this.docker.getContainer(id).start());
  }

  async stop(id: string, timeoutMs: number): Promise<void> {
    await this.ignoring([304, 404], `stop ${id.slice(0, 12)}`, () => this.docker.getContainer(id).stop({ t: Math.ceil(timeoutMs / 1000) }));
  }

  async remove(id: string): Promise<void> {
    await this.ignoring([404], `remove ${id.slice(0, 12)}`, () => this.docker.getContainer(id).remove({ force: true }));
  }

  async logs(id: string, opts: { follow: boolean; tail?: number }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
    const c = this.docker.getContainer(id);
    const common = { stdout: true, stderr: true, ...(opts.tail !== undefined && { tail: opts.tail }) };
    if (!opts.follow) {
      const buf = await this.call("logs", () => c.logs({ ...common, follow: false }));
      demuxLogs(buf as Buffer, out, err);
      return;
    }
    const stream = await this.call("logs", () => c.logs({ ...common, follow: true }));
    this.docker.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve) => stream.on("end", resolve).on("close", resolve));
  }

  async *events(selector: Labels, signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const stream = (await this.call("events", () => this.docker.getEvents({ filters: { type: ["container"], label: labelFilter(selector) } }))) as NodeJS.ReadableStream & { destroy(): void };
    const stop = () => stream.destroy();
    signal.addEventListener("abort", stop, { once: true });
    let buffer = "";
    try {
      // One JSON document per line; a destroyed stream simply ends the loop.
      for await (const chunk of stream) {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines.filter((l) => l.trim())) {
          const e = JSON.parse(line) as { id?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
          yield { id: e.Actor?.ID ?? e.id ?? "", action: e.Action ?? "", labels: e.Actor?.Attributes ?? {} };
        }
      }
    } catch (e) {
      if (!signal.aborted) throw e;
    } finally {
      signal.removeEventListener("abort", stop);
      stream.destroy();
    }
  }

  private async ignoring(codes: number[], what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await this.call(what, fn);
    } catch (e) {
      if (!codes.includes((e as { statusCode?: number }).statusCode ?? 0)) throw e;
    }
  }
}
