/**
 * GET /api/clients/{format}?customer=…: the same bytes `mcps clients export` writes, rendered from
 * the plan serve holds. `customer` may repeat; none means every customer.
 */
import type { ServerResponse } from "node:http";
import { CLIENT_FORMATS, isClientFormat } from "../clients/client-format.js";
import { clientConfigForPlan } from "../clients/export-plan.js";
import { UsageError } from "../errors.js";
import { customerId } from "./customer-id.js";
import type { FleetStore } from "./fleet-store.js";
import { HttpError, sendText } from "./http-kit.js";

export const CLIENTS = /^\/api\/clients\/([^/]+)$/;

export function sendClientConfig(store: FleetStore, res: ServerResponse, format: string, query: URLSearchParams): void {
  if (!isClientFormat(format))
    throw new HttpError(404, "unknown_format", `no client format of that name; expected one of: ${CLIENT_FORMATS.join(", ")}`);
  // Each customer is checked first, so an unknown one is a 404 and an ambiguous one a 409, as elsewhere.
  const ids = query.getAll("customer").map((c) => customerId(store, c));
  try {
    const file = clientConfigForPlan(store.plan, format, ids);
    res.setHeader("content-disposition", `inline; filename="${file.fileName}"`);
    sendText(res, 200, file.text, file.mediaType);
  } catch (e) {
    // Two customers whose client names collide: a fact of this plan, not of the request.
    if (e instanceof UsageError) throw new HttpError(409, "client_names_collide", e.message);
    throw e;
  }
}
