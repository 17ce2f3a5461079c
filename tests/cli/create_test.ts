/**
 * `aimax create`'s worktree options (`lib/cli/create.ts`): `--worktree`
 * with or without its branch, `--base`, `--reuse-branch`, `--copy`
 * (repeatable) and `--setup` reach the backend as `worktree`; without
 * `--worktree` the others are bad usage; a folder outside a repository is
 * refused before anything starts; the text and `--json` name the
 * worktree.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { worktreeOption } from "../../lib/cli/create.ts";
import { setConfig } from "../../lib/config.ts";
import { UsageError } from "../../lib/errors.ts";
import { resetBackends } from "../../lib/registry.ts";
import { fakeServer } from "../support/fake_server.ts";
import { withTempDir } from "../support/temp_dir.ts";
import { runCli } from "../support/worktree_session.ts";

const BASE = ["create", "-b", "tmux-claude-code", "-s", "w1", "-p", "hi"];

Deno.test("create worktreeOption: none without --worktree; a bare one the defaults; the rest as given", () => {
  assert.equal(worktreeOption({}, []), undefined);
  assert.deepEqual(worktreeOption({ worktree: "" }, []), {});
  assert.deepEqual(
    worktreeOption({
      worktree: "feat/x",
      base: "v1.2",
      "reuse-branch": true,
      copy: [".env", "config/local.json"],
      setup: "npm ci",
    }, []),
    {
      branch: "feat/x",
      base: "v1.2",
      reuseBranch: true,
      copy: [".env", "config/local.json"],
      setup: "npm ci",
    },
  );
  assert.throws(
    () => worktreeOption({ base: "main" }, []),
    (e) =>
      e instanceof UsageError &&
      e.message ===
        "--base goes with --worktree (the session's own git worktree)",
  );
  assert.throws(
    () =>
      worktreeOption({ copy: [".env"], setup: "x", "reuse-branch": true }, []),
    /^UsageError: --reuse-branch, --copy, --setup go with --worktree/,
  );
  assert.throws(
    () => worktreeOption({ worktree: "" }, ["feat"]),
    /"feat" is not an argument of create: a branch goes as --worktree=BRANCH/,
  );
});

Deno.test("cli create: --base, --reuse-branch, --copy or --setup without --worktree, and a word after a bare --worktree, are bad usage (exit 2) before anything runs", async () => {
  for (
    const [extra, reason] of [
      [["--base", "main"], /--base goes with --worktree/],
      [["--copy", ".env", "--copy", ".env.local"], /--copy goes with/],
      [["--setup", "npm ci"], /--setup goes with/],
      [["--reuse-branch"], /--reuse-branch goes with/],
      [["--worktree", "feat"], /"feat" is not an argument of create/],
    ] as const
  ) {
    const run = await runCli([...BASE, "--cwd", "/nonexistent", ...extra]);
    assert.equal(run.code, 2, `${extra.join(" ")}: ${run.err.join("\n")}`);
    assert.equal(run.err.length, 1);
    assert.match(run.err[0], reason);
  }
});

Deno.test("cli create --worktree: a folder outside a git repository is refused (exit 2, not_a_repository), nothing started", async () => {
  await withTempDir("aimax-cli-create-", async (dir) => {
    const data = join(dir, "data");
    const cwd = join(dir, "plain");
    await Deno.mkdir(cwd);
    setConfig({
      dataDir: data,
      tmuxSocket: join(dir, "tmux.sock"),
      runPreflight: false,
    });
    resetBackends();
    try {
      const run = await runCli([...BASE, "--cwd", cwd, "--worktree", "--json"]);
      assert.equal(run.code, 2, run.err.join("\n"));
      assert.equal(run.err.length, 1, run.err.join("\n"));
      assert.match(run.err[0], /^aimax: .*not .*git repository/);
      assert.equal(JSON.parse(run.out[0]).error.code, "not_a_repository");
      const made = await Array.fromAsync(Deno.readDir(join(data, "worktrees")))
        .catch(() => []);
      assert.deepEqual(
        made.map((e) => e.name).filter((name) => name !== ".intents"),
        [],
        "no worktree made",
      );
      assert.equal(
        await Deno.stat(join(dir, "tmux.sock")).then(() => true, () => false),
        false,
        "no tmux server started",
      );
    } finally {
      setConfig({});
      resetBackends();
    }
  });
});

Deno.test("cli create: the worktree options reach the backend (here a server) as worktree; the text and --json name where it was made", async () => {
  const worktree = {
    repo: "/srv/app",
    branch: "feat/x",
    baseCommit: "0123456789abcdef0123456789abcdef01234567",
    path: "/srv/data/worktrees/app-1a2b3c4d/w1",
    mainBranch: "main",
  };
  const answer = {
    sessionId: "w1",
    agentSessionId: null,
    jsonlPath: null,
    startedAt: "2026-12-03T10:00:00.000Z",
    worktree,
  };
  const server = fakeServer(() => ({ status: 201, body: answer }));
  try {
    const remote = ["--cwd", "/srv/app", "--server", server.url];
    const bare = await runCli([
      ...BASE,
      ...remote,
      "--worktree",
      "--copy",
      ".env",
      "--copy",
      "secrets/dev.json",
      "--setup",
      "npm ci",
      "--base",
      "v1.2",
    ]);
    assert.equal(bare.code, 0, bare.err.join("\n"));
    assert.deepEqual(bare.out, [
      "created w1 (claude, /srv/app)",
      "  worktree: /srv/data/worktrees/app-1a2b3c4d/w1 (branch feat/x from 01234567)",
    ]);
    const sent = (i: number) =>
      (server.received[i].body as { worktree?: unknown }).worktree;
    assert.deepEqual(sent(0), {
      base: "v1.2",
      copy: [".env", "secrets/dev.json"],
      setup: "npm ci",
    });

    const named = await runCli([
      ...BASE,
      ...remote,
      "--worktree=feat/x",
      "--reuse-branch",
      "--json",
    ]);
    assert.equal(named.code, 0, named.err.join("\n"));
    assert.deepEqual(sent(1), { branch: "feat/x", reuseBranch: true });
    assert.deepEqual(JSON.parse(named.out[0]).worktree, worktree);

    // After "--" it is the agent's (which refuses it), not aimax's.
    const after = await runCli([...BASE, ...remote, "--", "--worktree"]);
    assert.equal(after.code, 0, after.err.join("\n"));
    assert.equal(sent(2), undefined);
    assert.deepEqual(
      (server.received[2].body as { agentArgs: string[] }).agentArgs,
      ["--worktree"],
    );
  } finally {
    await server.close();
  }
});

Deno.test("cli create: --allow and --deny (repeatable) reach the backend (here a server) as allow and deny, as given; without them neither is sent", async () => {
  const answer = {
    sessionId: "w1",
    agentSessionId: null,
    jsonlPath: null,
    startedAt: "2026-12-03T10:00:00.000Z",
  };
  const server = fakeServer(() => ({ status: 201, body: answer }));
  try {
    const remote = ["--cwd", "/srv/app", "--server", server.url];
    const ruled = await runCli([
      ...BASE,
      ...remote,
      "--allow",
      "bash:npm test *",
      "--deny",
      "bash:rm *",
      "--allow",
      "edit:src/**",
    ]);
    assert.equal(ruled.code, 0, ruled.err.join("\n"));
    const body = (i: number) =>
      server.received[i].body as { allow?: string[]; deny?: string[] };
    assert.deepEqual(body(0).allow, ["bash:npm test *", "edit:src/**"]);
    assert.deepEqual(body(0).deny, ["bash:rm *"]);
    const plain = await runCli([...BASE, ...remote]);
    assert.equal(plain.code, 0, plain.err.join("\n"));
    assert.equal(body(1).allow, undefined);
    assert.equal(body(1).deny, undefined);
  } finally {
    await server.close();
  }
});
