/** The Kubernetes objects of one customer, as plain data (rendered to YAML elsewhere). */
import { LABEL, type Plan, type ServicePlan } from "../plan/types.js";
import { CONSUMER_NAMESPACE, CONSUMER_OF, COMPONENT, customerLabels, K8S, namespaceOf, secretNameOf, selectorOf, serviceLabels } from "./names.js";
import { PORT_NAME, podSpecOf } from "./pod.js";
import { type EnvFormats, upstreamPorts } from "./upstreams.js";

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } & Record<string, unknown> } & Record<
  string,
  unknown
>;

/**
 * One namespace per customer, rather than one shared namespace with per-customer labels: the
 * namespace is the boundary Kubernetes enforces for Secrets (RBAC), quotas and policies, so one
 * customer's credentials can be read only by whoever may read that customer's namespace, and
 * `kubectl delete namespace` removes a customer completely. Pod Security "restricted" is enforced:
 * the pods below meet it, and nothing less locked down can be started beside them.
 */
export function namespaceObject(plan: Plan, services: ServicePlan[]): K8sObject {
  const first = services[0]!;
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: namespaceOf(first),
      labels: {
        ...customerLabels(plan, first.customerId),
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
      annotations: { [LABEL.customerName]: first.customerName },
    },
  };
}

export function deploymentObject(plan: Plan, s: ServicePlan): K8sObject {
  const { labels, annotations } = serviceLabels(plan, s);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: s.name, namespace: namespaceOf(s), labels, annotations: { ...annotations, [LABEL.hash]: s.hash } },
    spec: {
      // One replica: Streamable HTTP sessions live in the server's memory, and a second replica
      // behind the Service would receive requests for sessions it never saw.
      replicas: 1,
      revisionHistoryLimit: 3,
      // Like Swarm's start-first: the new pod is ready before the old one goes.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: selectorOf(s) },
      template: {
        // The hash on the template: any change to the plan changes the template, which rolls the pods.
        metadata: { labels, annotations: { ...annotations, [LABEL.hash]: s.hash } },
        spec: podSpecOf(s, secretNameOf(s)),
      },
    },
  };
}

/** Same name as the compose service, so consumers reach http://<service>:<port><path> in the namespace. */
export function serviceObject(plan: Plan, s: ServicePlan): K8sObject {
  const { labels, annotations } = serviceLabels(plan, s);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: s.name, namespace: namespaceOf(s), labels, annotations },
    spec: {
      type: "ClusterIP",
      selector: selectorOf(s),
      ports: [{ name: PORT_NAME, port: s.containerPort, targetPort: PORT_NAME, protocol: "TCP" }],
    },
  };
}

const MCP_PODS = (customerId: string) => ({ [K8S.component]: COMPONENT, [LABEL.customer]: customerId });

/**
 * Selects only the customer's MCP pods (a consumer or debug pod in the namespace stays free), and
 * denies every other ingress and egress for them.
 * Ingress: from pods labelled `mcps.io/consumer-of: <customer-id>`, in this namespace, or in any
 * namespace labelled `mcps.io/consumer-namespace: "true"` (both labels needed: a podSelector alone
 * reaches only this namespace; a namespaceSelector of {} would let anyone who may create a pod
 * anywhere in the cluster label it into access).
 * Egress: DNS (UDP and TCP 53) to anywhere, since clusters run DNS as kube-dns pods or as a
 * node-local cache on a link-local address; and the upstreams' ports (from the config's URLs and
 * host names) to anywhere, since a policy cannot name a host. Other customers' pods stay closed by
 * their own ingress rules.
 */
export function networkPolicyObject(plan: Plan, services: ServicePlan[], formats?: EnvFormats): K8sObject {
  const first = services[0]!;
  const consumer = { matchLabels: { [CONSUMER_OF]: first.customerId } };
  const mcpPorts = [...new Set(services.map((s) => s.containerPort))].sort((a, b) => a - b);
  const upstream = upstreamPorts(services, formats);
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `${first.network.name}-isolation`, namespace: namespaceOf(first), labels: customerLabels(plan, first.customerId) },
    spec: {
      podSelector: { matchLabels: MCP_PODS(first.customerId) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [{ podSelector: consumer }, { namespaceSelector: { matchLabels: { [CONSUMER_NAMESPACE]: "true" } }, podSelector: consumer }],
          ports: mcpPorts.map((port) => ({ protocol: "TCP", port })),
        },
      ],
      egress: [
        {
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        ...(upstream.length ? [{ ports: upstream.map((port) => ({ protocol: "TCP", port })) }] : []),
      ],
    },
  };
}

export const PLACEHOLDER = (name: string) => `<value of ${name}>`;

/** The shape of the customer's Secret with placeholders: an example, never applied by the kustomization. */
export function secretExampleObject(plan: Plan, services: ServicePlan[], vars: string[]): K8sObject {
  const first = services[0]!;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: secretNameOf(first), namespace: namespaceOf(first), labels: customerLabels(plan, first.customerId) },
    type: "Opaque",
    stringData: Object.fromEntries(vars.map((v) => [v, PLACEHOLDER(v)])),
  };
}
