/** `npm run dashboard`: writes ops/grafana/mcps.json from dashboard.ts (temp file, then rename). */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { dashboardJson } from "./dashboard-json.js";

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "mcps.json");
writeFileSync(`${out}.tmp`, dashboardJson());
renameSync(`${out}.tmp`, out);
process.stderr.write(`Wrote ${path.relative(process.cwd(), out)}\n`);
