/**
 * Sessions in worktrees of one repository, end to end on both real TUIs
 * against the loopback model, through `aimax serve`'s REST API (the agents
 * write files through real tool calls): each session's diff shows its own
 * change and the main tree is untouched; the first merge lands, the second
 * is refused as a conflict with the main tree unchanged; `stop` keeps a
 * worktree with unmerged work and `discard` removes it; `--copy` and
 * `--setup` work and a failing setup leaves nothing behind; after
 * `tmux kill-server`, `revive` brings the conversation back.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  api,
  type ApiResult,
  SERVE_WORLD,
  type Served,
  withServe,
} from "./support/serve_client.ts";
import {
  AGENTS,
  type World,
  type WorldOptions,
  worldTest,
} from "./support/world.ts";

/** The served world, allowed to run git and sh (worktrees). */
const WT_WORLD: WorldOptions = {
  ...SERVE_WORLD,
  permissions: async (w) => worktreeFlags(await SERVE_WORLD.permissions!(w)),
};

/** The scoped flags with git and sh added to --allow-run, and the temp dir. */
function worktreeFlags(flags: string[]): string[] {
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  return flags.map((flag) => {
    if (flag.startsWith("--allow-run=")) return `${flag},git,sh`;
    if (flag.startsWith("--allow-read=") || flag.startsWith("--allow-write=")) {
      return `${flag},${tmp}`;
    }
    if (flag.startsWith("--allow-env=")) {
      return `${flag},PATH,TMPDIR,LANG,LC_ALL,GIT_CONFIG_GLOBAL,GIT_CONFIG_NOSYSTEM,USER,LOGNAME,SHELL,TERM,EMAIL`;
    }
    return flag;
  });
}

/** Runs git in `cwd` with the world's isolated home; its trimmed stdout. */
async function git(world: World, cwd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args],
    cwd,
    env: {
      HOME: world.home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${text(out.stderr)}`);
  }
  return text(out.stdout);
}

/** The main tree's state: its HEAD, status, branches and worktrees. */
async function repoState(world: World): Promise<string> {
  return [
    await git(world, world.cwd, ["rev-parse", "HEAD"]),
    await git(world, world.cwd, ["status", "--porcelain"]),
    await git(world, world.cwd, ["branch", "--format=%(refname:short)"]),
    await git(world, world.cwd, ["worktree", "list", "--porcelain"]),
  ].join("\n--\n");
}

/** The main tree alone: its HEAD and its status. */
async function mainTree(world: World): Promise<string> {
  return [
    await git(world, world.cwd, ["rev-parse", "HEAD"]),
    await git(world, world.cwd, ["status", "--porcelain"]),
  ].join("\n--\n");
}

/** A first commit in the world's repository: `shared.txt` and `.env`. */
async function seedRepo(world: World): Promise<void> {
  await Deno.writeTextFile(join(world.cwd, "shared.txt"), "base\n");
  await Deno.writeTextFile(join(world.cwd, ".gitignore"), ".env\n");
  await Deno.writeTextFile(join(world.cwd, ".env"), "TOKEN=local\n");
  await git(world, world.cwd, ["add", "shared.txt", ".gitignore"]);
  await git(world, world.cwd, ["commit", "-q", "-m", "base"]);
}

function ok(result: ApiResult, status = 200): ApiResult {
  assert.equal(result.status, status, JSON.stringify(result.body));
  return result;
}

/**
 * The create options the agent's test kit adds to every `aimax create`
 * (`--permission-mode M`, `--allow-bypass`), as a REST create body's fields.
 */
function kitCreateBody(world: World): Record<string, unknown> {
  const args = world.createArgs;
  const at = args.indexOf("--permission-mode");
  return {
    ...(at >= 0 ? { permissionMode: args[at + 1] } : {}),
    ...(args.includes("--allow-bypass") ? { allowBypass: true } : {}),
  };
}

/** Creates session `id` in a worktree with `prompt`, and waits for its turn. */
async function createIn(
  world: World,
  served: Served,
  options: { id: string; prompt: string; worktree?: unknown },
): Promise<ApiResult> {
  const created = await api(served, "/api/sessions", {
    method: "POST",
    body: {
      backend: world.backend,
      sessionId: options.id,
      cwd: world.cwd,
      prompt: options.prompt,
      worktree: options.worktree ?? true,
      ...kitCreateBody(world),
    },
  });
  if (created.status !== 201) return created;
  ok(
    await api(served, `/api/sessions/${options.id}/wait`, {
      method: "POST",
      body: { timeout: 90 },
    }),
  );
  return created;
}

/** A prompt that makes the model write `text` to `shared.txt` with a tool. */
function writeShared(text: string): string {
  return `[[bash printf '${text}\\n' > shared.txt]]`;
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} worktrees: two sessions write the same file in their own worktrees; each diff shows its own change, the main tree is untouched; the first merge lands, the second is refused as a conflict and changes nothing; stop keeps unmerged work, discard removes it`,
    async (world) => {
      await seedRepo(world);
      const before = await mainTree(world);
      await withServe(world, async (served) => {
        ok(
          await createIn(world, served, {
            id: "wa",
            prompt: writeShared("from A"),
          }),
          201,
        );
        ok(
          await createIn(world, served, {
            id: "wb",
            prompt: writeShared("from B"),
          }),
          201,
        );
        // Each session works in its own folder, on its own branch.
        const a = ok(await api(served, "/api/sessions/wa")).body;
        const b = ok(await api(served, "/api/sessions/wb")).body;
        assert.equal(a.worktree.branch, "aimax/wa");
        assert.equal(b.worktree.branch, "aimax/wb");
        assert.notEqual(a.worktree.path, b.worktree.path);
        assert.equal(a.cwd, a.worktree.path);
        assert.ok(!a.worktree.path.startsWith(world.cwd), a.worktree.path);
        assert.equal(a.worktree.changes, "+1 −1, 1 file");

        const da = ok(await api(served, "/api/sessions/wa/diff")).body;
        const db = ok(await api(served, "/api/sessions/wb/diff")).body;
        assert.deepEqual(da.files.map((f: { path: string }) => f.path), [
          "shared.txt",
        ]);
        assert.match(da.patchText, /^-base$/m);
        assert.match(da.patchText, /^\+from A$/m);
        assert.match(db.patchText, /^\+from B$/m);
        assert.doesNotMatch(da.patchText, /from B/);
        // The main tree is as it was.
        assert.equal(await mainTree(world), before);
        assert.equal(
          await Deno.readTextFile(join(world.cwd, "shared.txt")),
          "base\n",
        );

        // The first merge lands in the main tree's branch.
        const merged = ok(
          await api(served, "/api/sessions/wa/merge", {
            method: "POST",
            body: {},
          }),
        ).body;
        assert.equal(merged.merged, true);
        assert.deepEqual(merged.files, ["shared.txt"]);
        assert.equal(
          await Deno.readTextFile(join(world.cwd, "shared.txt")),
          "from A\n",
        );
        assert.match(
          await git(world, world.cwd, ["log", "-1", "--format=%s"]),
          /wa/,
        );
        const afterFirst = await mainTree(world);

        // The second conflicts with it: refused, nothing changed.
        const conflict = await api(served, "/api/sessions/wb/merge", {
          method: "POST",
          body: {},
        });
        assert.equal(conflict.status, 409, JSON.stringify(conflict.body));
        assert.equal(conflict.body.error.code, "merge_conflict");
        assert.match(conflict.body.error.message, /shared\.txt/);
        assert.equal(await mainTree(world), afterFirst);
        assert.equal(
          await Deno.readTextFile(join(world.cwd, "shared.txt")),
          "from A\n",
        );

        // Stop: the merged worktree goes (its branch stays); the one with
        // unmerged work is kept, and says where and how.
        const stopA = ok(
          await api(served, "/api/sessions/wa", { method: "DELETE" }),
        ).body;
        assert.equal(stopA.worktree.removed, true, JSON.stringify(stopA));
        assert.equal(stopA.worktree.branchDeleted, false);
        const stopB = ok(
          await api(served, "/api/sessions/wb", { method: "DELETE" }),
        ).body;
        assert.equal(stopB.worktree.removed, false, JSON.stringify(stopB));
        assert.match(stopB.worktree.reason, /aimax merge -s wb/);
        assert.equal(
          await Deno.readTextFile(join(b.worktree.path, "shared.txt")),
          "from B\n",
          "the kept worktree still holds the agent's work",
        );
        // Its diff is still there, by id, after the stop.
        const kept = ok(await api(served, "/api/sessions/wb/diff")).body;
        assert.match(kept.patchText, /^\+from B$/m);
        // Discard, on purpose: worktree and branch gone.
        const discarded = ok(
          await api(served, "/api/sessions/wb?discard=1", {
            method: "DELETE",
          }),
        ).body;
        assert.equal(discarded.worktree.removed, true);
        assert.equal(discarded.worktree.branchDeleted, true);
        const branches = await git(world, world.cwd, [
          "branch",
          "--format=%(refname:short)",
        ]);
        assert.match(branches, /aimax\/wa/);
        assert.doesNotMatch(branches, /aimax\/wb/);
        const worktrees = await git(world, world.cwd, ["worktree", "list"]);
        assert.equal(worktrees.split("\n").length, 1, worktrees);
      });
    },
    WT_WORLD,
  );
}

worldTest(
  "claude",
  "claude worktrees: --copy brings .env and --setup runs before the agent (its output in the session's log); a failing setup fails the create with 422 and leaves no worktree, branch or record behind",
  async (world) => {
    await seedRepo(world);
    const before = await repoState(world);
    await withServe(world, async (served) => {
      const made = ok(
        await createIn(world, served, {
          id: "ws",
          prompt: "hello",
          worktree: {
            copy: [".env"],
            setup: "echo set-up-ran > setup.txt; echo setup says hi",
          },
        }),
        201,
      );
      assert.equal(made.body.sessionId, "ws");
      const status = ok(await api(served, "/api/sessions/ws")).body;
      const path = status.worktree.path as string;
      assert.equal(
        await Deno.readTextFile(join(path, ".env")),
        "TOKEN=local\n",
      );
      assert.equal(
        await Deno.readTextFile(join(path, "setup.txt")),
        "set-up-ran\n",
      );
      const log = await Deno.readTextFile(
        join(world.dataDir, "logs", world.backend, "ws.log"),
      );
      assert.match(log, /setup says hi/);
      // What --setup made is the session's change, as anything new is.
      const diff = ok(await api(served, "/api/sessions/ws/diff")).body;
      assert.deepEqual(
        diff.files.map((f: { path: string }) => f.path).sort(),
        ["setup.txt"],
      );
      ok(
        await api(served, "/api/sessions/ws?discard=1", { method: "DELETE" }),
      );
      assert.equal(await repoState(world), before);

      const failed = await api(served, "/api/sessions", {
        method: "POST",
        body: {
          backend: world.backend,
          sessionId: "wf",
          cwd: world.cwd,
          prompt: "hello",
          worktree: { setup: "echo about to fail; exit 3" },
        },
      });
      assert.equal(failed.status, 422, JSON.stringify(failed.body));
      assert.equal(failed.body.error.code, "setup_failed");
      assert.equal(await repoState(world), before, "nothing left behind");
      const gone = await api(served, "/api/sessions/wf");
      assert.equal(gone.status, 404);
      const notRepo = await api(served, "/api/sessions", {
        method: "POST",
        body: {
          backend: world.backend,
          sessionId: "wn",
          cwd: world.home,
          prompt: "hello",
          worktree: true,
        },
      });
      assert.equal(notRepo.status, 400, JSON.stringify(notRepo.body));
      assert.equal(notRepo.body.error.code, "not_a_repository");
    });
  },
  WT_WORLD,
);

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} worktrees: after tmux kill-server the session is exited with a hint; revive starts it again in its worktree on the same conversation (the model's next request holds the earlier turns)`,
    async (world) => {
      await seedRepo(world);
      await withServe(world, async (served) => {
        ok(
          await createIn(world, served, {
            id: "wr",
            prompt: "remember the zebra",
          }),
          201,
        );
        const before = ok(await api(served, "/api/sessions/wr")).body;
        ok(
          await world.tmux(["kill-server"]).then((r) => ({
            status: r.code === 0 ? 200 : 500,
            body: r,
          })),
        );
        const exited = ok(await api(served, "/api/sessions/wr")).body;
        assert.equal(exited.state, "exited");
        assert.match(exited.stateReason, /aimax revive -s wr/);

        const revived = ok(
          await api(served, "/api/sessions/wr/revive", {
            method: "POST",
            body: {},
          }),
        ).body;
        assert.equal(revived.sessionId, "wr");
        assert.equal(revived.agentSessionId, before.agentSessionId);
        const again = ok(await api(served, "/api/sessions/wr")).body;
        assert.equal(again.alive, true);
        assert.equal(again.cwd, before.worktree.path);
        assert.equal(again.worktree.path, before.worktree.path);
        const turn = ok(
          await api(served, "/api/sessions/wr/send", {
            method: "POST",
            body: { prompt: "after revive", wait: true, timeout: 90 },
          }),
        ).body;
        assert.equal(turn.text, "ack: after revive");
        const last = JSON.stringify(world.stub.requests.at(-1));
        assert.match(last, /remember the zebra/, "the earlier turn was sent");
        assert.match(last, /after revive/);
      });
    },
    WT_WORLD,
  );
}
