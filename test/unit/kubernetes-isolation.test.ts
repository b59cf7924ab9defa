/**
 * Per-customer isolation in the Kubernetes output, object by object: namespaces, which pods each
 * NetworkPolicy selects, who may connect in, where the pods may connect out, and what each Service
 * selects. Plus where the egress ports come from.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { envFormats, upstreamPorts } from "../../src/kubernetes/upstreams.js";
import type { Plan, ServicePlan } from "../../src/plan/types.js";
import { ROOT } from "../support/cli.js";
import { type Obj, objectsOf, renderFrom } from "../support/kubernetes-kit.js";

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("kubernetes isolation of the shipped example", () => {
  let plan: Plan;
  let objects: Array<{ file: string; obj: Obj }>;
  before(async () => {
    const r = await renderFrom(path.join(ROOT, "mcp_servers.json"), path.join(ROOT, "mcps"));
    plan = r.plan;
    objects = objectsOf(r.files).filter(({ obj }) => obj.kind !== "Kustomization");
  });
  const of = (kind: string) => objects.filter(({ obj }) => obj.kind === kind).map(({ obj }) => obj);
  const customerOf = (ns: string) => of("Namespace").find((n) => n.metadata.name === ns)!.metadata.labels["mcps.customer"];

  it("each customer's objects live in that customer's own namespace, and its folder", () => {
    const namespaces = of("Namespace").map((n) => n.metadata.name);
    assert.equal(new Set(namespaces).size, namespaces.length);
    assert.deepEqual(namespaces.sort(), ["mcps-segurcaixa", "mcps-vattenfall-de"]);
    for (const { file, obj } of objects) {
      const ns = obj.kind === "Namespace" ? obj.metadata.name : obj.metadata.namespace;
      const id = customerOf(ns);
      if (file !== "secret.example.yaml") assert.ok(file.startsWith(`customers/${id}/`), `${file} holds ${obj.kind} of ${id}`);
      assert.equal(obj.metadata.labels["mcps.customer"], id, `${obj.kind} ${obj.metadata.name}`);
    }
    for (const d of of("Deployment")) assert.equal(customerOf(d.metadata.namespace), d.spec.template.metadata.labels["mcps.customer"]);
    for (const n of of("Namespace")) assert.equal(n.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
  });

  it("each NetworkPolicy selects all of its customer's MCP pods and no other customer's", () => {
    for (const policy of of("NetworkPolicy")) {
      const id = customerOf(policy.metadata.namespace);
      assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
      for (const d of of("Deployment")) {
        const same = d.metadata.namespace === policy.metadata.namespace;
        const selected = same && matches(policy.spec.podSelector.matchLabels, d.spec.template.metadata.labels);
        assert.equal(selected, d.spec.template.metadata.labels["mcps.customer"] === id, `${policy.metadata.name} vs ${d.metadata.name}`);
      }
    }
  });

  it("ingress only from pods labelled mcps.io/consumer-of: <customer>, never from a whole namespace or an IP block, only to the MCP port", () => {
    for (const policy of of("NetworkPolicy")) {
      const id = customerOf(policy.metadata.namespace);
      assert.ok(policy.spec.ingress.length >= 1);
      for (const rule of policy.spec.ingress) {
        assert.ok(rule.from?.length, "a rule without from admits everyone");
        for (const peer of rule.from) {
          assert.deepEqual(peer.podSelector?.matchLabels, { "mcps.io/consumer-of": id }, JSON.stringify(peer));
          assert.equal(peer.ipBlock, undefined);
          if (peer.namespaceSelector) assert.ok(Object.keys(peer.namespaceSelector.matchLabels ?? {}).length, "no namespaceSelector {}");
        }
        const servicePorts = plan.services.filter((s) => s.customerId === id).map((s) => s.containerPort);
        assert.deepEqual(
          rule.ports,
          [...new Set(servicePorts)].map((port) => ({ protocol: "TCP", port })),
        );
      }
    }
  });

  it("egress only to DNS and the upstreams' ports (https 443, Genesys region 443, Alertmanager :9093)", () => {
    const expected: Record<string, number[]> = { "vattenfall-de": [443, 9093], segurcaixa: [443, 9093] };
    for (const policy of of("NetworkPolicy")) {
      const id = customerOf(policy.metadata.namespace);
      const allowed = new Set(["UDP/53", "TCP/53", ...expected[id]!.map((p) => `TCP/${p}`)]);
      const seen = new Set<string>();
      for (const rule of policy.spec.egress) {
        assert.ok(rule.ports?.length, "an egress rule without ports allows every port");
        for (const p of rule.ports) seen.add(`${p.protocol}/${p.port}`);
      }
      assert.deepEqual([...seen].sort(), [...allowed].sort());
    }
  });

  it("each Service selects exactly its own Deployment's pods", () => {
    for (const svc of of("Service")) {
      const hit = of("Deployment").filter(
        (d) => d.metadata.namespace === svc.metadata.namespace && matches(svc.spec.selector, d.spec.template.metadata.labels),
      );
      assert.deepEqual(
        hit.map((d) => d.metadata.name),
        [svc.metadata.name],
      );
      assert.equal(svc.spec.type, "ClusterIP");
    }
  });
});

describe("upstream ports", () => {
  const service = (type: string, env: ServicePlan["env"]) => ({ type, env }) as ServicePlan;
  const formats = envFormats({
    types: new Map([
      [
        "t",
        {
          manifest: {
            config: {
              a: { env: "A", format: "url" },
              h: { env: "H", format: "hostname" },
              p: { env: "P", format: "port" },
              x: { env: "X" },
            },
          },
        },
      ],
    ]) as never,
  });
  it("come from formatted values: scheme defaults, explicit ports, host names as https, port numbers", () => {
    const at = (env: ServicePlan["env"]) => upstreamPorts([service("t", env)], formats);
    assert.deepEqual(at([{ name: "A", value: "http://am.example.com" }]), [80]);
    assert.deepEqual(at([{ name: "A", value: "https://g.example.com:8443/sub" }]), [8443]);
    assert.deepEqual(at([{ name: "H", value: "mypurecloud.de" }]), [443]);
    assert.deepEqual(at([{ name: "P", value: "9000" }]), [9000]);
    assert.deepEqual(at([{ name: "X", value: "https://not-an-address-key.example.com" }]), [], "a key without a format is not an upstream");
    assert.deepEqual(at([{ name: "A", fromVar: "SECRET_URL" }]), [], "secret references are never read");
  });
  it("without the catalog's formats, only unmistakable http(s) URLs count", () => {
    assert.deepEqual(
      upstreamPorts([
        service("t", [
          { name: "A", value: "https://g.example.com" },
          { name: "H", value: "mypurecloud.de" },
        ]),
      ]),
      [443],
    );
  });
});
