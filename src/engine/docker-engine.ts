/**
 * ContainerEngine over the Docker Engine API. DOCKER_HOST is read as docker-modem reads it. The
 * simple calls go straight to a unix socket (socket-request.ts); the rest, and every call to a
 * tcp:// or ssh:// engine, use dockerode, loaded on first use.
 * Every call but a build and a followed log is bounded in time (engine-call.ts).
 */
import type Docker from "dockerode";
import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError, EngineUnreachableError, NotFoundError } from "../errors.js";
import { contextFiles } from "../io/context-files.js";
import type {
  BuildSpec,
  ContainerDetails,
  ContainerEngine,
  ContainerEvent,
  ContainerSpec,
  ContainerState,
  Health,
  Labels,
  NetworkState,
  RunState,
} from "./container-engine.js";
import { createOptions } from "./create-options.js";
import { demuxLogs, logTail } from "./demux-logs.js";
import { EngineAnswerError, engineCaller, statusOf } from "./engine-call.js";
import { labelFilter, toState } from "./container-summary.js";
import { detailsOf } from "./inspect-details.js";

/** The bound of a stop that uses the container's own grace (the plan's, at most minutes). */
const OWN_GRACE_BOUND_MS = 300_000;
import { type Query, socketRequest, unixSocket } from "./socket-request.js";

export interface DockerEngineOptions {
  /** Limit of one engine call; default MCPS_ENGINE_TIMEOUT (seconds) or 30 s. A stop gets its grace period on top. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function defaultTimeoutMs(): number {
  const s = Number(process.env.MCPS_ENGINE_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : DEFAULT_TIMEOUT_MS;
}

/** 304: already started (or stopped). */
const notModified = (e: unknown) => statusOf(e) === 304;
const gone = (e: unknown) => e instanceof NotFoundError;

export class DockerEngine implements ContainerEngine {
  readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly caller: ReturnType<typeof engineCaller>;
  private readonly socket = unixSocket();
  private client?: Promise<Docker>;

  constructor(opts: DockerEngineOptions = {}) {
    this.endpoint = process.env.DOCKER_HOST ? `${process.env.DOCKER_HOST} (DOCKER_HOST)` : "unix:///var/run/docker.sock (DOCKER_HOST unset)";
    this.timeoutMs = opts.timeoutMs ?? defaultTimeoutMs();
    this.caller = engineCaller(this.endpoint);
  }

  /** dockerode, loaded and constructed once, when a call needs it. */
  protected docker(): Promise<Docker> {
    this.client ??= import("dockerode").then(({ default: Dockerode }) => {
      try {
        return new Dockerode();
      } catch (e) {
        throw new EngineUnreachableError(`cannot use the Docker engine at ${this.endpoint}: ${(e as Error).message}`);
      }
    });
    return this.client;
  }

  protected call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, extraMs = 0): Promise<T> {
    return this.caller(what, fn, { timeoutMs: this.timeoutMs + extraMs });
  }

  /** The call, with the answers `already` accepts meaning "already so" rather than failure. */
  private async ignoring(already: (e: unknown) => boolean, what: string, fn: (signal: AbortSignal) => Promise<unknown>, extraMs = 0): Promise<void> {
    try {
      await this.call(what, fn, extraMs);
    } catch (e) {
      if (!already(e)) throw e;
    }
  }

  /** One plain request: over the unix socket when there is one, else through dockerode's modem. */
  protected async request<T>(method: "GET" | "POST" | "DELETE", path: string, abortSignal: AbortSignal, query?: Query): Promise<T> {
    if (this.socket) return socketRequest<T>(this.socket, method, path, abortSignal, query);
    const { modem } = await this.docker();
    const statusCodes = { 200: true, 201: true, 204: true, 304: "not modified", 404: "not found", 409: "conflict", 500: "server error" };
    return new Promise((resolve, reject) =>
      modem.dial({ path, method, options: query ?? {}, abortSignal, statusCodes }, (err: unknown, data: unknown) =>
        err ? reject(err) : resolve(data as T),
      ),
    );
  }

  async ping(): Promise<void> {
    await this.call("ping", (abortSignal) => this.request<unknown>("GET", "/_ping", abortSignal));
  }

  async list(selector: Labels): Promise<ContainerState[]> {
    const found = await this.call("list containers", (abortSignal) =>
      this.request<Docker.ContainerInfo[]>("GET", "/containers/json", abortSignal, { all: true, filters: { label: labelFilter(selector) } }),
    );
    return found.map(toState);
  }

  async findByName(name: string): Promise<ContainerState | undefined> {
    const found = await this.call("list containers", (abortSignal) =>
      this.request<Docker.ContainerInfo[]>("GET", "/containers/json", abortSignal, { all: true, filters: { name: [`^/${name}$`] } }),
    );
    return found[0] && toState(found[0]);
  }

  async listNetworks(selector: Labels): Promise<NetworkState[]> {
    const found = await this.call("list networks", (abortSignal) =>
      this.request<Docker.NetworkInspectInfo[]>("GET", "/networks", abortSignal, { filters: { label: labelFilter(selector) } }),
    );
    return found.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {}, createdAt: n.Created }));
  }

  async createNetwork(name: string, labels: Labels): Promise<string> {
    const docker = await this.docker();
    const net = await this.call(`create network ${name}`, (abortSignal) =>
      docker.createNetwork({ Name: name, Driver: "bridge", Labels: labels, CheckDuplicate: true, abortSignal }),
    );
    return net.id;
  }

  async removeNetwork(id: string): Promise<void> {
    await this.ignoring(gone, `remove network ${id.slice(0, 12)}`, async (abortSignal) =>
      (await this.docker()).getNetwork(id).remove({ abortSignal }),
    );
  }

  async inspect(id: string): Promise<ContainerDetails | undefined> {
    try {
      const info = await this.call(`inspect ${id.slice(0, 12)}`, (abortSignal) =>
        this.request<Docker.ContainerInspectInfo>("GET", `/containers/${encodeURIComponent(id)}/json`, abortSignal),
      );
      const st = info.State;
      const summary: ContainerState = {
        id: info.Id,
        name: info.Name.replace(/^\//, ""),
        labels: info.Config.Labels ?? {},
        state: st.Status as RunState,
        health: (st.Health?.Status as Health | undefined) ?? "none",
        status: st.Status,
        imageId: info.Image,
      };
      return detailsOf(info, summary);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async imageId(ref: string): Promise<string | undefined> {
    try {
      const info = await this.call(`inspect image ${ref}`, (abortSignal) => this.request<{ Id: string }>("GET", `/images/${ref}/json`, abortSignal));
      return info.Id;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async rename(id: string, name: string): Promise<void> {
    await this.call(`rename ${id.slice(0, 12)} to ${name}`, async (abortSignal) =>
      (await this.docker()).getContainer(id).rename({ name, abortSignal }),
    );
  }

  /** Not bounded: a build takes as long as its Dockerfile says. */
  async build(spec: BuildSpec): Promise<void> {
    const src = await contextFiles(spec.contextDir);
    const docker = await this.docker();
    const stream = await this.caller(
      `build ${spec.tag}`,
      () =>
        docker.buildImage(
          { context: spec.contextDir, src },
          { t: spec.tag, dockerfile: spec.dockerfile, buildargs: spec.buildArgs, labels: spec.labels, rm: true, forcerm: true },
        ),
      { timeoutMs: undefined },
    );
    await new Promise<void>((resolve, reject) => {
      let failure: string | undefined;
      docker.modem.followProgress(
        stream,
        (err: Error | null) =>
          err || failure ? reject(new EngineAnswerError(`build ${spec.tag}: ${failure ?? err?.message}`, undefined)) : resolve(),
        (event: { error?: string; stream?: string }) => {
          if (event.error) failure = event.error.trim();
          const step = event.stream?.trim();
          if (step && /^Step \d+\/\d+ :/.test(step)) spec.onStep?.(step);
        },
      );
    });
  }

  async create(spec: ContainerSpec): Promise<string> {
    const docker = await this.docker();
    const container = await this.call(`create ${spec.name}`, (abortSignal) => docker.createContainer({ ...createOptions(spec), abortSignal }));
    return container.id;
  }

  async start(id: string): Promise<void> {
    await this.ignoring(notModified, `start ${id.slice(0, 12)}`, (abortSignal) =>
      this.request("POST", `/containers/${encodeURIComponent(id)}/start`, abortSignal),
    );
  }

  async stop(id: string, timeoutMs?: number): Promise<void> {
    const t = timeoutMs === undefined ? undefined : Math.ceil(timeoutMs / 1000);
    await this.ignoring(
      (e) => notModified(e) || gone(e),
      `stop ${id.slice(0, 12)}`,
      (abortSignal) => this.request("POST", `/containers/${encodeURIComponent(id)}/stop`, abortSignal, t === undefined ? {} : { t }),
      // The container's own grace is not known here: bound the call generously, it only guards a hung engine.
      t === undefined ? OWN_GRACE_BOUND_MS : t * 1000,
    );
  }

  async remove(id: string): Promise<void> {
    try {
      await this.ignoring(gone, `remove ${id.slice(0, 12)}`, (abortSignal) =>
        this.request("DELETE", `/containers/${encodeURIComponent(id)}`, abortSignal, { force: true }),
      );
    } catch (e) {
      // Another mcps run (or docker rm) got there first: wait until it is gone, which is what we wanted.
      if (!(e instanceof ConflictError) || !/already in progress/i.test(e.message)) throw e;
      const deadline = Date.now() + this.timeoutMs;
      while ((await this.inspect(id)) !== undefined) {
        if (Date.now() > deadline) throw e;
        await sleep(200);
      }
    }
  }

  async logTail(id: string, lines: number): Promise<string[]> {
    const docker = await this.docker();
    const buf = await this.call(`logs ${id.slice(0, 12)}`, (abortSignal) =>
      docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false, abortSignal }),
    );
    return logTail(buf as Buffer, lines);
  }

  async logs(id: string, opts: { follow: boolean; tail?: number }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
    const docker = await this.docker();
    const c = docker.getContainer(id);
    const common = { stdout: true, stderr: true, ...(opts.tail !== undefined && { tail: opts.tail }) };
    if (!opts.follow) {
      const buf = await this.call("logs", (abortSignal) => c.logs({ ...common, follow: false, abortSignal }));
      demuxLogs(buf as Buffer, out, err);
      return;
    }
    // A followed log runs until the user stops it: only opening it is bounded.
    const stream = await this.call("logs", () => c.logs({ ...common, follow: true }));
    docker.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve) => stream.on("end", resolve).on("close", resolve));
  }

  /** The engine's container events, as they happen; the stream is opened within the call limit, then unbounded. */
  async *events(selector: Labels, signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const docker = await this.docker();
    const stream = (await this.call("events", () =>
      docker.getEvents({ filters: { type: ["container"], label: labelFilter(selector) } }),
    )) as NodeJS.ReadableStream & { destroy(): void };
    const stop = () => stream.destroy();
    // Aborted while the stream was opening: the abort event has fired already, and an open stream
    // nobody reads would keep the process alive (serve failing to listen never exited).
    if (signal.aborted) return stop();
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
}
