#!/usr/bin/env node
/** The bin: the command line over the process's own streams. Everything else is cli-main.ts's main(). */
import { main } from "./cli-main.js";

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
