/**
 * Plain JSON requests to the engine's API over its unix socket. Why not dockerode for these: loading
 * dockerode (with the gRPC and SSH stacks it requires eagerly) costs ~110 ms on every command, more
 * than `status` spends on the engine itself. The simple calls (ping, list, inspect, start, stop,
 * remove) go through here; builds, creates, logs and events keep dockerode, loaded only when needed.
 * Errors look like docker-modem's (statusCode, json.message, errno code), so engine-call.ts maps both alike.
 */
import http from "node:http";

/** The socket path when DOCKER_HOST is unset or unix://; undefined for tcp/ssh (dockerode handles those). */
export function unixSocket(dockerHost = process.env.DOCKER_HOST): string | undefined {
  if (!dockerHost) return "/var/run/docker.sock";
  return dockerHost.startsWith("unix://") ? dockerHost.slice("unix://".length) : undefined;
}

export type Query = Record<string, string | number | boolean | object>;

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) params.set(k, typeof v === "object" ? JSON.stringify(v) : String(v));
  return `${path}?${params}`;
}

/** The answer's JSON (or text, e.g. ping's "OK"); a status >= 300 rejects with statusCode and the engine's message. */
export function socketRequest<T>(socket: string, method: "GET" | "POST" | "DELETE", path: string, signal: AbortSignal, query?: Query): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path: withQuery(path, query), signal, headers: { host: "docker" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const json = (res.headers["content-type"] ?? "").includes("json") && text ? safeParse(text) : undefined;
        const status = res.statusCode ?? 0;
        if (status < 300) return resolve((json ?? text) as T);
        const message = (json as { message?: string } | undefined)?.message ?? (text.trim() || `HTTP ${status}`);
        reject(Object.assign(new Error(message), { statusCode: status, json: { message } }));
      });
    });
    req.on("error", reject);
    req.end();
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
