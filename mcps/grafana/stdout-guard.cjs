// Preloaded into @leval/mcp-grafana (node --require). Its pino logger writes
// JSON log lines straight to file descriptor 1 with fs.write/fs.writeSync,
// which is also the MCP stdio channel, so the bridge (mcps/_bridge) would read
// them as MCP messages (and log each as a broken one). The MCP SDK writes its
// messages through process.stdout (a pipe stream, not fs.write), so sending
// direct fd-1 writes to stderr leaves stdout carrying MCP messages only.
"use strict";
const fs = require("node:fs");
const { write, writeSync } = fs;
fs.write = function (fd, ...rest) {
  return write.call(this, fd === 1 ? 2 : fd, ...rest);
};
fs.writeSync = function (fd, ...rest) {
  return writeSync.call(this, fd === 1 ? 2 : fd, ...rest);
};
