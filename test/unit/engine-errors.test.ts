/** Docker's HTTP answers become our error types in engine/, so orchestrate/ never reads a status code. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { engineCaller } from "../../src/engine/engine-call.js";
import { ConflictError, EngineError, EngineUnreachableError, NameTakenError, NotFoundError } from "../../src/errors.js";

const call = engineCaller("unix:///test.sock");
/** What docker-modem rejects with: the status and the engine's message. */
const answer = (statusCode: number, message: string) => () =>
  Promise.reject(Object.assign(new Error(`(HTTP code ${statusCode})`), { statusCode, json: { message } }));

test("engine errors: a missing object, a taken name and a refusal each have their type", async () => {
  const cases = [
    [404, "No such container: abc", NotFoundError],
    [409, 'Conflict. The container name "/mcps-acme-grafana" is already in use by container "1234"', NameTakenError],
    [409, "network with name mcps-acme already exists", NameTakenError],
    [409, "removal of container abc is already in progress", ConflictError],
    [403, "error while removing network: network mcps-acme id 12 has active endpoints", ConflictError],
  ] as const;
  for (const [status, message, type] of cases) {
    await assert.rejects(call("op", answer(status, message), { timeoutMs: undefined }), (e: unknown) => {
      assert.ok(e instanceof type, `${status} ${message}: got ${(e as Error).name}`);
      assert.equal((e as Error).message, `op: ${message}`);
      return true;
    });
  }
});

test("engine errors: any other answer is a plain EngineError, not one of the kinds callers act on", async () => {
  await assert.rejects(call("build", answer(500, "server error"), { timeoutMs: undefined }), (e: unknown) => {
    assert.ok(e instanceof EngineError);
    assert.ok(!(e instanceof NotFoundError || e instanceof NameTakenError || e instanceof ConflictError), (e as Error).name);
    return true;
  });
});

test("engine errors: a refused connection is unreachable, not an answer", async () => {
  const refused = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
  await assert.rejects(
    call("ping", refused, { timeoutMs: undefined }),
    (e: unknown) => e instanceof EngineUnreachableError && /ECONNREFUSED/.test(e.message),
  );
});
