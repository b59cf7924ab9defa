/**
 * Free host ports, for tests that share one engine with other people: a port derived from a service
 * name (20000-29999) may be held by someone else's container, one the kernel hands out is not.
 */
import net from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The config with every server's host port pinned to a free one. */
export async function withFreePorts<T extends { customers: Array<{ mcp_servers: Array<Record<string, unknown>> }> }>(config: T): Promise<T> {
  for (const c of config.customers) for (const s of c.mcp_servers) s.port = await freePort();
  return config;
}
