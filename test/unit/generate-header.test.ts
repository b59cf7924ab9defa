/** The header of a generated file gives commands that work as written, for a file printed with --out - too. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

for (const target of ["compose", "swarm"]) {
  test(`${target}: a file printed with --out - says to redirect and diff, and that command agrees with it`, async () => {
    const dir = workspace({ customers: [fixtureCustomer("Acme")] });
    try {
      const args = ["generate", ...(target === "compose" ? [] : ["--target", target]), "--out", "-"];
      const printed = await runCli(args, { cwd: dir });
      assert.equal(printed.code, 0, printed.stderr);
      const header = printed.stdout.split("\n").slice(0, 2).join("\n");
      const command = `mcps ${args.join(" ")}`;
      assert.ok(header.includes(`Do not edit: run \`${command} > <this file>\`.`), header);
      assert.ok(header.includes(`CI: \`${command} | diff - <this file>\` exits 1`), header);
      // The advice holds: the same command prints the same bytes, so the diff is empty.
      assert.equal((await runCli(args, { cwd: dir })).stdout, printed.stdout);
      // And the command it replaces really does not work: --check has no file to compare with.
      assert.equal((await runCli([...args, "--check"], { cwd: dir })).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("from another folder: defaults are found beside the config, and the header does not make the file stale", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    mkdirSync(path.join(dir, "sub"));
    const sub = path.join(dir, "sub");
    assert.equal((await runCli(["generate"], { cwd: dir })).code, 0);
    const written = readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8");
    // The catalog and the output default to the config's folder, not the current one.
    const fromSub = await runCli(["generate", "--config", "../mcp_servers.json", "--check"], { cwd: sub });
    assert.equal(fromSub.code, 0, fromSub.stderr + fromSub.stdout);
    const typed = await runCli(
      ["generate", "--config", "../mcp_servers.json", "--catalog", "../mcps", "--out", "../docker-compose.mcps.yml", "--check"],
      {
        cwd: sub,
      },
    );
    assert.equal(typed.code, 0, `the paths as typed are not in the header: ${typed.stdout}`);
    assert.equal(
      (await runCli(["generate", "--config", "../mcp_servers.json"], { cwd: sub })).stdout,
      "../docker-compose.mcps.yml unchanged (2 services for 1 customer)\n",
    );
    assert.equal(readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8"), written);
    assert.ok(!existsSync(path.join(sub, "docker-compose.mcps.yml")), "nothing written where mcps ran");
    // Another output file names itself in its header the same way from anywhere.
    assert.equal((await runCli(["generate", "--out", "one.yml"], { cwd: dir })).code, 0);
    assert.equal((await runCli(["generate", "--config", "../mcp_servers.json", "--out", "../one.yml", "--check"], { cwd: sub })).code, 0);
    assert.match(readFileSync(path.join(dir, "one.yml"), "utf8"), /run `mcps generate --out one\.yml`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--check with other options than the file was written with says which options wrote it", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    const prefix = ["--target", "swarm", "--image-prefix", "registry.example.com/team/"];
    assert.equal((await runCli(["generate", ...prefix], { cwd: dir })).code, 0);
    assert.equal((await runCli(["generate", ...prefix, "--check"], { cwd: dir })).code, 0, "the README's CI line, with the same options");
    const bare = await runCli(["generate", "--target", "swarm", "--check"], { cwd: dir });
    assert.equal(bare.code, 1);
    assert.match(bare.stdout, /^docker-stack\.mcps\.yml is stale; run `mcps generate --target swarm`:\n/);
    assert.match(
      bare.stdout,
      /\(its header says `mcps generate --target swarm --image-prefix registry\.example\.com\/team\/` wrote it: check with the same options\)\n$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
