/**
 * `mcps secrets template` and the Kubernetes secret references: names only, never values. Canary
 * values are planted in the environment and in the credentials file beside the config; every byte
 * of the command's output and of the rendered manifests is searched for them.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/cli.js";
import { inWorkspace } from "../support/workspace.js";
import { type Obj, objectsOf, renderFrom } from "../support/kubernetes-kit.js";

const CANARIES = { ALPHA_TOKEN_ACME: "canary-k8s-env-4b7e19d2c0aa", ALPHA_TOKEN_BOLT: "canary-k8s-file-90f3e2d1c4bb" };
const config = {
  customers: [
    { id: "acme", name: "Acme", mcp_servers: [{ type: "alpha", config: { api_url: "https://acme.example.com", token_env: "ALPHA_TOKEN_ACME" } }] },
    {
      id: "bolt",
      name: "Bolt",
      mcp_servers: [{ type: "alpha", config: { api_url: "https://bolt.example.com:8443", token_env: "ALPHA_TOKEN_BOLT" } }],
    },
    { id: "calm", name: "Calm", mcp_servers: [{ type: "beta", config: { region: "eu-1" } }] },
  ],
};

const inSandbox = (body: (dir: string) => void | Promise<void>) =>
  inWorkspace(config, body, (dir) => writeFileSync(path.join(dir, "mcp_credentials.env"), `ALPHA_TOKEN_BOLT=${CANARIES.ALPHA_TOKEN_BOLT}\n`));
const env = { ALPHA_TOKEN_ACME: CANARIES.ALPHA_TOKEN_ACME };
const noCanary = (text: string, where: string) => {
  for (const c of Object.values(CANARIES)) assert.ok(!text.includes(c), `${where} holds a planted secret`);
};

describe("mcps secrets template", () => {
  it(
    "prints one kubectl line per customer with secrets, names only, and a comment for the others",
    inSandbox(async (dir) => {
      const r = await runCli(["secrets", "template"], { cwd: dir, env });
      assert.equal(r.code, 0, r.stderr);
      noCanary(r.stdout + r.stderr, "the output");
      const lines = r.stdout.trimEnd().split("\n");
      assert.deepEqual(
        lines.filter((l) => !l.startsWith("#") && l !== "set -e"),
        [
          "kubectl create namespace mcps-acme --dry-run=client -o yaml | kubectl apply -f -",
          'kubectl create secret generic mcps-acme-credentials --namespace mcps-acme --from-literal=ALPHA_TOKEN_ACME="${ALPHA_TOKEN_ACME:?}" --dry-run=client -o yaml | kubectl apply -f -',
          "kubectl create namespace mcps-bolt --dry-run=client -o yaml | kubectl apply -f -",
          'kubectl create secret generic mcps-bolt-credentials --namespace mcps-bolt --from-literal=ALPHA_TOKEN_BOLT="${ALPHA_TOKEN_BOLT:?}" --dry-run=client -o yaml | kubectl apply -f -',
        ],
      );
      assert.ok(lines.includes("# calm: no secrets needed (namespace mcps-calm)"));
    }),
  );

  it(
    "the lines run in a shell: the shell fills in the values; an unset variable stops the line",
    inSandbox(async (dir) => {
      const template = (await runCli(["secrets", "template", "acme"], { cwd: dir })).stdout;
      // A stand-in kubectl: `create ... --dry-run=client -o yaml` prints its arguments as the object,
      // `apply -f -` records what it was given, in order, as a cluster would receive it, and fails
      // on empty input as kubectl does ("no objects passed to apply").
      const fake = `kubectl() { if [ "$1" = apply ]; then o=$(cat); [ -n "$o" ] || return 1; printf '%s\\n---\\n' "$o" >> "$APPLIED"; else printf '%s\\n' "$@"; fi; }\n`;
      const applied = path.join(dir, "applied.txt");
      const run = (vars: Record<string, string>) =>
        execFileSync("bash", ["-c", `${fake}${template}`], {
          env: { PATH: process.env.PATH, APPLIED: applied, ...vars },
          encoding: "utf8",
          stdio: "pipe",
        });
      run({ ALPHA_TOKEN_ACME: "v$1 'x\"" });
      run({ ALPHA_TOKEN_ACME: "rotated" });
      const objects = readFileSync(applied, "utf8").split("---\n").filter(Boolean);
      assert.deepEqual(
        objects.map((o) => o.split("\n").slice(0, 3).join(" ")),
        ["create namespace mcps-acme", "create secret generic", "create namespace mcps-acme", "create secret generic"],
        "the namespace before its Secret, and a second run applies again instead of failing",
      );
      assert.ok(objects[1]!.split("\n").includes(`--from-literal=ALPHA_TOKEN_ACME=v$1 'x"`), objects[1]);
      assert.ok(objects[3]!.split("\n").includes("--from-literal=ALPHA_TOKEN_ACME=rotated"));
      assert.throws(() => run({}), "an unset variable stops the script");
    }),
  );

  it(
    "selects customers by id or name; an unknown one is bad input; --json gives the names",
    inSandbox(async (dir) => {
      const r = await runCli(["secrets", "template", "Bolt", "--json"], { cwd: dir, env });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).secrets, [
        {
          customer: "bolt",
          namespace: "mcps-bolt",
          secret: "mcps-bolt-credentials",
          variables: ["ALPHA_TOKEN_BOLT"],
          namespaceCommand: "kubectl create namespace mcps-bolt --dry-run=client -o yaml | kubectl apply -f -",
          command:
            'kubectl create secret generic mcps-bolt-credentials --namespace mcps-bolt --from-literal=ALPHA_TOKEN_BOLT="${ALPHA_TOKEN_BOLT:?}" --dry-run=client -o yaml | kubectl apply -f -',
        },
      ]);
      const bad = await runCli(["secrets", "template", "nobody"], { cwd: dir, env });
      assert.equal(bad.code, 2);
      assert.equal(bad.stderr.trimEnd().split("\n").length, 1);
      assert.equal(bad.stdout, "");
    }),
  );
});

describe("secrets in the Kubernetes output", () => {
  it(
    "only secretKeyRef references into the customer's Secret, keyed by variable name; the example has placeholders; no value anywhere",
    inSandbox(async (dir) => {
      process.env.ALPHA_TOKEN_ACME = CANARIES.ALPHA_TOKEN_ACME;
      let files: Map<string, string>;
      try {
        ({ files } = await renderFrom(path.join(dir, "mcp_servers.json"), path.join(dir, "mcps")));
      } finally {
        delete process.env.ALPHA_TOKEN_ACME;
      }
      for (const [file, text] of files) noCanary(text, file);
      const objects = objectsOf(files);
      const refs: string[] = [];
      for (const { obj } of objects.filter(({ obj }) => obj.kind === "Deployment")) {
        const id = obj.metadata.labels["mcps.customer"];
        for (const e of obj.spec.template.spec.containers[0].env as Obj[]) {
          if (e.name !== "ALPHA_TOKEN") continue;
          assert.equal(e.value, undefined, "a secret is never a literal value");
          assert.deepEqual(e.valueFrom, { secretKeyRef: { name: `mcps-${id}-credentials`, key: `ALPHA_TOKEN_${id.toUpperCase()}` } });
          refs.push(`${obj.metadata.namespace}/${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
        }
      }
      assert.deepEqual(refs.sort(), ["mcps-acme/mcps-acme-credentials/ALPHA_TOKEN_ACME", "mcps-bolt/mcps-bolt-credentials/ALPHA_TOKEN_BOLT"]);
      const examples = objects.filter(({ obj }) => obj.kind === "Secret");
      assert.ok(examples.every(({ file }) => file === "secret.example.yaml"));
      assert.deepEqual(
        examples.map(({ obj }) => `${obj.metadata.namespace}/${obj.metadata.name}/${Object.keys(obj.stringData)}`).sort(),
        refs.sort(),
      );
      for (const { obj } of examples) {
        assert.equal(obj.data, undefined);
        for (const [k, v] of Object.entries(obj.stringData)) assert.equal(v, `<value of ${k}>`);
      }
    }),
  );
});
