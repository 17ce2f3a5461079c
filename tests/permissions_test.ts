import assert from "node:assert/strict";
import { join } from "node:path";
import { configFromEnv } from "../lib/config.ts";
import { permissionFlags } from "../lib/permissions.ts";
import { callerDenoDir, ROOT } from "./support/world.ts";

Deno.test("permissions: tmux (and kill, for an agent that outlives its window) only, the data dir and work dirs writable, nothing else broad", async () => {
  const config = configFromEnv((n) =>
    ({ HOME: "/home/u", AIMAX_DATA_DIR: "/data" })[n]
  );
  const flags = await permissionFlags(config, { workDirs: ["/src"] });
  const get = (name: string) =>
    flags.find((f) => f.startsWith(`--allow-${name}=`))!.split("=")[1].split(
      ",",
    );
  assert.deepEqual(get("run"), ["tmux", "kill", "ps"]);
  assert.deepEqual(
    get("write").sort(),
    ["/data", "/home/u/.claude.json", "/src"].sort(),
  );
  assert.ok(get("read").includes("/home/u/.claude"));
  assert.ok(get("read").includes("/home/u/.codex"));
  assert.ok(get("env").includes("AIMAX_DATA_DIR"));
  assert.ok(get("env").includes("ANTHROPIC_API_KEY"));
  assert.ok(
    !flags.some((f) => /^--allow-(net|ffi|sys|all)/.test(f) || f === "-A"),
  );
});

Deno.test("permissions: a missing permission ends with a message naming the flag to add", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--allow-env",
        new URL("../mod.ts", import.meta.url).pathname,
        "list",
      ],
      env: { AIMAX_DATA_DIR: dir, AIMAX_TMUX_SOCKET: `${dir}/tmux.sock` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1);
    assert.match(stderr, /^aimax: .*--allow-(read|run)/);
    assert.match(stderr, /see README: Permissions/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("permissions: --server adds AIMAX_SERVER_TIMEOUT to --allow-env (the remote CLI's timeout), local use does not", async () => {
  const config = configFromEnv((n) =>
    ({ HOME: "/home/u", AIMAX_DATA_DIR: "/d" } as Record<string, string>)[n]
  );
  const envOf = (flags: string[]) =>
    flags.find((f) => f.startsWith("--allow-env="))?.split("=")[1].split(",") ??
      [];
  assert.ok(
    envOf(await permissionFlags(config, { server: "http://10.0.0.2:7878" }))
      .includes("AIMAX_SERVER_TIMEOUT"),
  );
  assert.ok(
    !envOf(await permissionFlags(config)).includes("AIMAX_SERVER_TIMEOUT"),
  );
});

Deno.test("permissions: --serve HOST:PORT allows that address and the private socket of the server behind the front; port 0 allows the host alone", async () => {
  const config = configFromEnv((n) =>
    ({ HOME: "/home/u", AIMAX_DATA_DIR: "/d" } as Record<string, string>)[n]
  );
  const netOf = (flags: string[]) =>
    flags.find((f) => f.startsWith("--allow-net="))?.split("=")[1].split(",");
  assert.deepEqual(
    netOf(await permissionFlags(config, { serve: "127.0.0.1:7878" })),
    ["127.0.0.1:7878", "unix:/d/serve-7878.sock"],
  );
  assert.deepEqual(
    netOf(await permissionFlags(config, { serve: "127.0.0.1:0" })),
    ["127.0.0.1"],
  );
});

Deno.test("permissions: worktrees add git and sh to --allow-run, the worktree folder and the temporary folder to read and write, git's variables to --allow-env; without them nothing changes", async () => {
  const env: Record<string, string> = { HOME: "/home/u", AIMAX_DATA_DIR: "/d" };
  const config = configFromEnv((n) => env[n]);
  const list = (flags: string[], name: string) =>
    flags.find((f) => f.startsWith(`--allow-${name}=`))!.split("=")[1]
      .split(",");
  const plain = await permissionFlags(config, { workDirs: ["/src"] });
  const worktrees = await permissionFlags(config, {
    workDirs: ["/src"],
    worktrees: true,
    tempDir: "/var/tmp/",
  });
  assert.deepEqual(list(plain, "run"), ["tmux", "kill", "ps"]);
  assert.deepEqual(list(worktrees, "run"), ["tmux", "kill", "ps", "git", "sh"]);
  for (const name of ["read", "write"]) {
    // The default worktree folder is in the data dir (allowed already).
    assert.deepEqual(
      list(worktrees, name).filter((p) => !list(plain, name).includes(p)),
      ["/var/tmp"],
      name,
    );
  }
  const added = list(worktrees, "env").filter((v) =>
    !list(plain, "env").includes(v)
  );
  for (const name of ["PATH", "HOME", "GIT_AUTHOR_NAME", "GIT_CONFIG_GLOBAL"]) {
    assert.ok(list(worktrees, "env").includes(name), name);
  }
  assert.ok(!added.some((v) => v === "GIT_DIR" || v === "GIT_INDEX_FILE"));
  assert.ok(!worktrees.some((f) => /^--allow-(net|ffi|sys|all)/.test(f)));

  // AIMAX_WORKTREE_DIR elsewhere: that folder too.
  env.AIMAX_WORKTREE_DIR = "/srv/worktrees";
  const elsewhere = await permissionFlags(configFromEnv((n) => env[n]), {
    worktrees: true,
    tempDir: "/tmp",
  });
  for (const name of ["read", "write"]) {
    assert.ok(list(elsewhere, name).includes("/srv/worktrees"), name);
    assert.ok(list(elsewhere, name).includes("/tmp"), name);
  }
});

Deno.test("permissions: under the flags for worktrees (and nothing more), the CLI makes, diffs, merges and removes real worktrees; a failing --setup leaves the repository as it was", async () => {
  // Loaded here: it points this process's git at an isolated config.
  const { git, isolatedEnv, look, withRepo, write } = await import(
    "./worktree/support.ts"
  );
  const { StateStore } = await import("../lib/state.ts");
  const { addWorktree, worktreePath } = await import("../lib/worktree/mod.ts");
  const { bareRecord } = await import("./support/records.ts");
  await withRepo(async ({ dir, repo, data }) => {
    const home = join(dir, "home");
    await Deno.mkdir(home);
    const env: Record<string, string> = {
      ...isolatedEnv(home),
      AIMAX_DATA_DIR: data,
      AIMAX_TMUX_SOCKET: join(dir, "tmux.sock"),
      AIMAX_RUN_PREFLIGHT: "0",
      NO_COLOR: "1",
      ...(Deno.env.get("TMPDIR") ? { TMPDIR: Deno.env.get("TMPDIR")! } : {}),
      DENO_DIR: await callerDenoDir(),
    };
    const flags = await permissionFlags(configFromEnv((n) => env[n]), {
      workDirs: [repo],
      worktrees: true,
    });
    const aimax = async (...args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", ...flags, join(ROOT, "cli.ts"), ...args],
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const decoder = new TextDecoder();
      return {
        code: out.code,
        stdout: decoder.decode(out.stdout),
        stderr: decoder.decode(out.stderr),
      };
    };

    // create --worktree --setup: git adds the worktree, sh runs the setup,
    // which fails: everything is taken back.
    const before = await look(repo);
    const failed = await aimax(
      "create",
      "-b",
      "tmux-claude-code",
      "-s",
      "f1",
      "--cwd",
      repo,
      "-p",
      "hi",
      "--worktree",
      "--setup",
      "echo preparing; exit 3",
    );
    assert.equal(failed.code, 1, failed.stderr);
    assert.doesNotMatch(failed.stderr, /NotCapable|--allow-/);
    assert.match(failed.stderr, /setup/);
    assert.deepEqual(await look(repo), before);

    // diff, merge and stop of a session's worktree.
    const added = await addWorktree({
      repo,
      path: await worktreePath(repo, "w1", { dataDir: data }),
      sessionId: "w1",
      dataDir: data,
    });
    await new StateStore(data).put({
      ...bareRecord("w1", "tmux-claude-code", added.path),
      tmuxSocket: env.AIMAX_TMUX_SOCKET,
      worktree: {
        repo: added.repo,
        branch: added.branch,
        baseCommit: added.baseCommit,
        path: added.path,
        mainBranch: "main",
      },
    });
    await write(added.path, "new.txt", "from the agent\n");
    const diff = await aimax("diff", "-s", "w1", "--stat");
    assert.equal(diff.code, 0, diff.stderr);
    assert.equal(
      diff.stdout,
      "added  +1 \u22120  new.txt\n+1 \u22120, 1 file\n",
    );
    const merge = await aimax("merge", "-s", "w1");
    assert.equal(merge.code, 0, merge.stderr);
    assert.match(merge.stdout, /^merged aimax\/w1 into main/);
    assert.equal(
      await Deno.readTextFile(join(repo, "new.txt")),
      "from the agent\n",
    );
    const stop = await aimax("stop", "-s", "w1");
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /worktree removed: .* \(branch aimax\/w1 kept\)/);
    assert.match(await git(repo, "branch", "--list", "aimax/w1"), /aimax\/w1/);
  });
});
