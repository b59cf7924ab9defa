// Shared pieces of the engine benches.
import net from "node:net";

/** A port nothing listens on now, from the kernel (listen on 0, read it, close). */
export const freePort = () =>
  new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
