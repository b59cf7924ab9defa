/**
 * Manifest rules: one `file: path: message` line per problem, nothing written (in process); through
 * the real CLI once: exit 2, no stack trace. Each case edits the fixture catalog's alpha type in a sandbox.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { generateRefusal } from "../support/generate-in-process.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const MANIFEST = "mcps/alpha/mcp.yaml";

interface Case {
  name: string;
  /** Replaces `from` in alpha's manifest with `to` (or appends `to` when `from` is empty). */
  edit: { from: string; to: string };
  /** Extra setup inside the sandbox. */
  setup?: (dir: string) => void;
  /** One entry per expected line: `path: message` after the manifest's file name. */
  expect: RegExp[];
}

const cases: Case[] = [
  {
    name: "image holding a variable",
    edit: { from: "build:", to: 'image: "example.invalid/alpha:1${ALPHA_TOKEN_ACME}"\nbuild:' },
    expect: [/^image: must not contain \$, \{ or \}/],
  },
  {
    name: "image that is not a reference",
    edit: { from: "build:", to: 'image: "Not An Image"\nbuild:' },
    expect: [/^image: must be an image reference/],
  },
  {
    name: "base_image closing ${BASE_IMAGE:-...} early",
    edit: { from: "base_image: node:20-bookworm-slim", to: 'base_image: "node:20}${ALPHA_TOKEN_ACME"' },
    expect: [/^build\.base_image: must not contain \$, \{ or \}/],
  },
  {
    name: "path holding a variable",
    edit: { from: "path: /mcp", to: 'path: "/mcp${HOME}"' },
    expect: [/^path: must not contain \$, \{ or \}/],
  },
  {
    name: "dockerfile climbing out of the type folder",
    edit: { from: "base_image:", to: "dockerfile: ../../../../etc/passwd\n  base_image:" },
    expect: [/^build\.dockerfile: must stay inside the type's folder/],
  },
  {
    name: "absolute dockerfile",
    edit: { from: "base_image:", to: "dockerfile: /etc/passwd\n  base_image:" },
    expect: [/^build\.dockerfile: must be a path relative to the type's folder/],
  },
  {
    name: "dockerfile that is a symlink out of the type folder",
    edit: { from: "base_image:", to: "dockerfile: Dockerfile.outside\n  base_image:" },
    setup: (dir) => symlinkSync("/etc/hostname", path.join(dir, "mcps/alpha/Dockerfile.outside")),
    expect: [/^build\.dockerfile: Dockerfile\.outside leads outside the type's folder \(through a symbolic link\)$/],
  },
  {
    name: "dockerfile inside a symlinked sub-folder that leads out",
    edit: { from: "base_image:", to: "dockerfile: sub/Dockerfile\n  base_image:" },
    setup: (dir) => {
      mkdirSync(path.join(dir, "outside"));
      writeFileSync(path.join(dir, "outside/Dockerfile"), "FROM scratch\n");
      symlinkSync(path.join(dir, "outside"), path.join(dir, "mcps/alpha/sub"));
    },
    expect: [/^build\.dockerfile: sub\/Dockerfile leads outside the type's folder/],
  },
  {
    name: "missing dockerfile",
    edit: { from: "base_image:", to: "dockerfile: Nope.Dockerfile\n  base_image:" },
    expect: [/^build\.dockerfile: Nope\.Dockerfile: not found in /],
  },
  {
    name: "build context that is a sub-folder of the type",
    edit: { from: "base_image:", to: "context: sub\n  base_image:" },
    setup: (dir) => mkdirSync(path.join(dir, "mcps/alpha/sub")),
    expect: [/^build\.context: "sub" is neither the type's folder \("\."\) nor the catalog folder \("\.\."\), once symbolic links are resolved$/],
  },
  {
    name: "build context above the catalog",
    edit: { from: "base_image:", to: "context: ../..\n  base_image:" },
    expect: [/^build\.context: "\.\.\/\.\." is neither the type's folder/],
  },
  {
    name: "build context that is another type's folder",
    edit: { from: "base_image:", to: "context: ../beta\n  base_image:" },
    expect: [/^build\.context: "\.\.\/beta" is neither the type's folder/],
  },
  {
    name: "build context that is a symlink leading out of the catalog",
    edit: { from: "base_image:", to: "context: up\n  base_image:" },
    setup: (dir) => symlinkSync(dir, path.join(dir, "mcps/alpha/up")),
    expect: [/^build\.context: "up" is neither the type's folder \("\."\) nor the catalog folder \("\.\."\), once symbolic links are resolved$/],
  },
  {
    name: "build context that is a symlink to another type's folder",
    edit: { from: "base_image:", to: "context: other\n  base_image:" },
    setup: (dir) => symlinkSync("../beta", path.join(dir, "mcps/alpha/other")),
    expect: [/^build\.context: "other" is neither the type's folder/],
  },
  {
    name: "absolute build context",
    edit: { from: "base_image:", to: "context: /tmp\n  base_image:" },
    expect: [/^build\.context: must be a path relative to the type's folder$/],
  },
  {
    name: "missing build context",
    edit: { from: "base_image:", to: "context: nope\n  base_image:" },
    expect: [/^build\.context: nope: not found in /],
  },
  {
    name: "two config keys filling one container variable",
    edit: { from: "  mode:\n    env: ALPHA_MODE", to: "  mode:\n    env: ALPHA_URL" },
    expect: [/^config\.mode\.env: ALPHA_URL is also the env of config key "api_url": config keys "api_url" and "mode" would overwrite each other$/],
  },
  {
    name: "a config key overwriting a fixed env entry",
    edit: { from: "", to: "env:\n  ALPHA_MODE: fixed\n" },
    expect: [/^config\.mode\.env: ALPHA_MODE is also set by the fixed env \(env\.ALPHA_MODE\): config key "mode" and env\.ALPHA_MODE/],
  },
];

function edit(dir: string, { from, to }: Case["edit"]): void {
  const file = path.join(dir, MANIFEST);
  const text = readFileSync(file, "utf8");
  if (from && !text.includes(from)) throw new Error(`fixture manifest lacks ${JSON.stringify(from)}`);
  writeFileSync(file, from ? text.replace(from, to) : text + to);
}

// The rules, in process: the same command function and the same lines the CLI prints.
for (const c of cases) {
  test(`manifest: ${c.name}`, async () => {
    const dir = workspace({ customers: [fixtureCustomer("Acme")] });
    try {
      edit(dir, c.edit);
      c.setup?.(dir);
      const { lines } = await generateRefusal(dir);
      assert.equal(lines.length, c.expect.length, lines.join("\n"));
      c.expect.forEach((re, i) => {
        assert.ok(lines[i]!.startsWith(`${MANIFEST}: `), lines[i]);
        assert.match(lines[i]!.slice(MANIFEST.length + 2), re);
      });
      assert.ok(!existsSync(path.join(dir, "docker-compose.mcps.yml")), "nothing written");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// The same refusal through the whole CLI once: exit 2, the line on stderr, no stack trace, nothing written.
test("manifest: a bad manifest through the CLI is exit 2, one line, no stack trace, nothing written", async () => {
  const c = cases[0]!;
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    edit(dir, c.edit);
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.startsWith(`${MANIFEST}: `), lines[0]);
    assert.match(lines[0]!.slice(MANIFEST.length + 2), c.expect[0]!);
    assert.doesNotMatch(r.stderr, /^\s+at |unexpected|Error:/m, "no stack trace");
    assert.ok(!existsSync(path.join(dir, "docker-compose.mcps.yml")), "nothing written");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("catalog: a symlinked type folder is a problem, not silently skipped", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    symlinkSync(path.join(dir, "mcps/beta"), path.join(dir, "mcps/gamma"));
    const r = await runCli(["generate"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trimEnd(), "mcps/gamma: a type folder must be a real folder, not a symbolic link");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("catalog: an unreadable catalog folder is one error naming the folder it tried and --catalog", async () => {
  const dir = workspace({ customers: [fixtureCustomer("Acme")] });
  try {
    const r = await runCli(["generate", "--catalog", "no-such-folder"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.trimEnd(),
      `no-such-folder: cannot read the catalog folder ${path.join(realpathSync(dir), "no-such-folder")} (no such folder); --catalog <dir> names it`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
