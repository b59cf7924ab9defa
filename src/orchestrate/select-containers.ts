/** Picks the project's containers by customer (id or name) and type, from their labels alone. */
import type { ContainerState } from "../engine/container-engine.js";
import { LABEL } from "../plan/types.js";

export interface ContainerSelection {
  customers: string[];
  types: string[];
}

export function selectContainers(containers: ContainerState[], sel: ContainerSelection): ContainerState[] {
  const customers = new Set(sel.customers);
  const types = new Set(sel.types);
  return containers.filter((c) => {
    const customerOk = !customers.size || customers.has(c.labels[LABEL.customer] ?? "") || customers.has(c.labels[LABEL.customerName] ?? "");
    return customerOk && (!types.size || types.has(c.labels[LABEL.type] ?? ""));
  });
}
