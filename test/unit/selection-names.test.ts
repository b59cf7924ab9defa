/** How a person names customers and types on the command line: names trimmed and case-insensitive, ids exact, slugs spelled out. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { slugify } from "../../src/config/slug.js";
import { UsageError } from "../../src/errors.js";
import { customerIdAmong } from "../../src/plan/select.js";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const customers = [
  { id: "acme", name: "Acme Corp" },
  { id: "bolt", name: "Bolt" },
];

test("names match trimmed and case-insensitively; ids exactly", () => {
  assert.equal(customerIdAmong(customers, "acme corp"), "acme");
  assert.equal(customerIdAmong(customers, "  ACME CORP "), "acme");
  assert.equal(customerIdAmong(customers, "bolt"), "bolt");
  assert.equal(customerIdAmong(customers, "ACME"), undefined, "ids are exact: ACME is no id and no name");
});

test("two names alike but for case are ambiguous, never a guess", () => {
  const twins = [
    { id: "a1", name: "Acme" },
    { id: "a2", name: "ACME" },
  ];
  assert.throws(
    () => customerIdAmong(twins, "acme"),
    (e) => e instanceof UsageError && /ambiguous: it names customers "a1" and "a2"/.test(e.message),
  );
  assert.equal(customerIdAmong(twins, "a2"), "a2");
  // An id that is also another customer's name (in any case) stays ambiguous, as before.
  const crossed = [
    { id: "bolt", name: "Acme" },
    { id: "x", name: "BOLT" },
  ];
  assert.throws(
    () => customerIdAmong(crossed, "bolt"),
    (e) => e instanceof UsageError && /id of customer "Acme" and the name of customer "x"/.test(e.message),
  );
});

test("slugs spell out letters Unicode does not decompose", () => {
  assert.equal(slugify("Müller Straße"), "muller-strasse");
  assert.equal(slugify("Ærø Œuvre Łódź"), "aero-oeuvre-lodz");
  assert.equal(slugify("Vattenfall DE"), "vattenfall-de");
});

test("--type takes one value: a customer after it stays a customer, and a type read as a customer says so", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  const noEngine = { DOCKER_HOST: "unix:///nonexistent/docker.sock" };
  // Parsed as --type alpha + customer acme: it gets past selection to the engine (exit 3, not "no service of type acme").
  const ok = await runCli(["status", "--type", "alpha", "acme", "--no-probe"], { cwd: dir, env: noEngine });
  assert.equal(ok.code, 3, ok.stderr);
  const twoTypes = await runCli(["status", "--type", "alpha", "beta"], { cwd: dir, env: noEngine });
  assert.equal(twoTypes.code, 2);
  assert.match(twoTypes.stderr, /unknown customer "beta" .*"beta" is an MCP type: --type takes one type, repeat it \(--type a --type b\)/);
});
