/** The customer a request names, for the API routes and the client-config route alike. */
import { resolveCustomer } from "../plan/select.js";
import type { FleetStore } from "./fleet-store.js";
import { HttpError } from "./http-kit.js";

/** A customer by id or name (ids first): 404 when unknown, 409 when one's id is another's name. */
export function customerId(store: FleetStore, wanted: string): string {
  const plan = store.plan;
  if (!plan.services.some((s) => s.customerId === wanted || s.customerName === wanted)) {
    throw new HttpError(404, "unknown_customer", "no customer with that id or name");
  }
  try {
    return resolveCustomer(plan, wanted);
  } catch (e) {
    throw new HttpError(409, "ambiguous_customer", (e as Error).message);
  }
}
