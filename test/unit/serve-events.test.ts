/** The event stream under load: clients that come and go leave nothing behind; a client that stops reading is dropped. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import { EventStream } from "../../src/serve/event-stream.js";
import { until } from "../support/serve.js";

async function streamServer(events: EventStream): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => events.attach(res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port };
}

/** A raw client: resolves once the stream has opened (the ": connected" comment arrived). */
async function open(port: number): Promise<{ socket: Socket; received: () => number }> {
  const socket = connect(port, "127.0.0.1");
  let bytes = 0;
  const opened = new Promise((r) => socket.once("data", r));
  socket.on("data", (d: Buffer) => (bytes += d.length));
  socket.on("error", () => undefined);
  socket.write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  await opened;
  return { socket, received: () => bytes };
}

test("events: 100 clients that connect and disconnect leave no client behind", async () => {
  const events = new EventStream();
  const { server, port } = await streamServer(events);
  try {
    const clients = await Promise.all(Array.from({ length: 100 }, () => open(port)));
    assert.equal(events.size, 100);
    for (const c of clients) c.socket.destroy();
    await until(() => events.size === 0, 5000, "every client to be gone");
  } finally {
    events.close();
    server.closeAllConnections();
    server.close();
  }
});

test("events: a client that never reads is dropped once its queue passes the limit; a reading client gets every event", async () => {
  const limit = 64 * 1024;
  const events = new EventStream(1_000_000, limit);
  const { server, port } = await streamServer(events);
  try {
    const stuck = await open(port);
    stuck.socket.pause();
    const reader = await open(port);
    const payload = "x".repeat(16 * 1024);
    // About 26 MB in all: far more than the kernel's socket buffers take for the stuck client.
    for (let i = 0; i < 1600; i++) {
      events.send("state", { i, payload });
      if (i % 2 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    assert.equal(events.size, 1, "the stuck client is gone, the reading client is still attached");
    assert.equal(events.dropped, 1, "the stuck client was dropped");
    await until(() => reader.received() > 1600 * payload.length, 10_000, "the reader to get every event");
    stuck.socket.destroy();
    reader.socket.destroy();
  } finally {
    events.close();
    server.closeAllConnections();
    server.close();
  }
});
