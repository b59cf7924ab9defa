/** The bytes of ops/grafana/mcps.json: what the writer writes and the test compares. */
import { mcpsDashboard } from "./dashboard.js";

export const dashboardJson = (): string => `${JSON.stringify(mcpsDashboard(), null, 2)}\n`;
