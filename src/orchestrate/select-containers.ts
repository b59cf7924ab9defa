/** Picks the project's containers by customer (id or name, ids first, as plan/select.ts) and type, from their labels alone. */
import type { ContainerState } from "../engine/container-engine.js";
import { customerIdAmong } from "../plan/select.js";
import { LABEL } from "../plan/types.js";

export interface ContainerSelection {
  customers: string[];
  types: string[];
}

export function selectContainers(containers: ContainerState[], sel: ContainerSelection): ContainerState[] {
  const known = containers.map((c) => ({ id: c.labels[LABEL.customer] ?? "", name: c.labels[LABEL.customerName] ?? "" }));
  // An argument naming no container selects nothing (stop and down of a stopped-and-removed customer are no-ops).
  const customers = new Set(sel.customers.map((wanted) => customerIdAmong(known, wanted) ?? wanted));
  const types = new Set(sel.types);
  return containers.filter(
    (c) => (!customers.size || customers.has(c.labels[LABEL.customer] ?? "")) && (!types.size || types.has(c.labels[LABEL.type] ?? "")),
  );
}
