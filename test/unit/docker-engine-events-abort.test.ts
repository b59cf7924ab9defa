/** DockerEngine.events: aborted while the stream is still opening, the stream is closed and the iteration ends. */
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import type Docker from "dockerode";
import { DockerEngine } from "../../src/engine/docker-engine.js";

class SlowEvents extends DockerEngine {
  readonly stream = new PassThrough();
  protected override docker(): Promise<Docker> {
    // The events request answers only after the caller has given up; the stream then never ends by itself.
    const getEvents = () => new Promise((r) => setTimeout(() => r(this.stream), 100));
    return Promise.resolve({ getEvents } as unknown as Docker);
  }
}

test("events: an abort before the stream opens closes the stream once it does, and the loop ends", async () => {
  const engine = new SlowEvents();
  const ctl = new AbortController();
  const seen: unknown[] = [];
  const loop = (async () => {
    for await (const e of engine.events({ "com.docker.compose.project": "x" }, ctl.signal)) seen.push(e);
  })();
  ctl.abort();
  const ended = await Promise.race([loop.then(() => true), new Promise((r) => setTimeout(() => r(false), 2000))]);
  assert.equal(ended, true, "the iteration ended");
  assert.equal(engine.stream.destroyed, true, "the stream was closed");
  assert.deepEqual(seen, []);
  engine.stream.destroy();
});
