// The floor of bench/gateway.mjs: the SDK v2 front alone (createMcpHandler, the front the gateway uses,
// behind the same node:http adapter), answering tools/call from memory. No gateway can answer faster
// than its own front does, so the gateway's calls/s is read beside this. Run by gateway.mjs as its own
// process; prints the port it listens on.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createMcpHandler, Server } from "@modelcontextprotocol/server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { readBody, webRequest, sendWebResponse } = await import(path.join(ROOT, "dist/gateway/web-exchange.js"));

const factory = () => {
  const s = new Server({ name: "floor", version: "1.0.0" }, { capabilities: { tools: {} } });
  s.setRequestHandler("tools/list", async () => ({ tools: [{ name: "strict_echo", inputSchema: { type: "object" } }] }));
  s.setRequestHandler("tools/call", async (req) => ({ content: [{ type: "text", text: String(req.params.arguments?.text ?? "") }] }));
  return s;
};
const handler = createMcpHandler(factory, { onerror: () => undefined });
const server = http.createServer(async (req, res) => {
  const body = req.method === "POST" ? await readBody(req) : undefined;
  const aborted = new AbortController();
  const answer = await handler.fetch(webRequest(req, new URL(req.url, "http://127.0.0.1"), body, aborted.signal));
  await sendWebResponse(res, answer, aborted.signal);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
