/**
 * `aimax stop` (`lib/cli/stop.ts`) of a session with its own worktree: a
 * clean, merged worktree is removed and its branch kept; one with work
 * not merged is kept, and stop says where and how to merge or remove it;
 * `--discard` removes worktree and branch.
 */
import assert from "node:assert/strict";
import {
  git,
  withWorktreeSession,
  write,
} from "../support/worktree_session.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("cli stop: a clean worktree is removed, its branch kept", async () => {
  await withWorktreeSession(async (s) => {
    const run = await s.cli(["stop", "-s", "w1"]);
    assert.equal(run.code, 0, run.err.join("\n"));
    assert.deepEqual(run.out, [
      "stopped w1 (window was already gone)",
      `  worktree removed: ${s.worktree.path} (branch aimax/w1 kept)`,
    ]);
    assert.equal(await exists(s.worktree.path), false);
    assert.match(
      await git(s.repo, "branch", "--list", "aimax/w1"),
      /aimax\/w1/,
    );
  });
});

Deno.test("cli stop: a worktree with work not merged is kept, saying where and how to merge or remove it; stop --discard then removes it and its branch", async () => {
  await withWorktreeSession(async (s) => {
    await write(s.worktree.path, "notes.txt", "agent's\n");
    const run = await s.cli(["stop", "-s", "w1"]);
    assert.equal(run.code, 0, run.err.join("\n"));
    assert.equal(run.out[0], "stopped w1 (window was already gone)");
    assert.equal(
      run.out[1],
      `  worktree kept: ${s.worktree.path} (branch aimax/w1)`,
    );
    assert.match(run.out[2], /1 uncommitted file/);
    assert.ok(run.out[2].includes("`aimax merge -s w1`"), run.out[2]);
    assert.ok(run.out[2].includes("`aimax stop -s w1 --discard`"), run.out[2]);
    assert.equal(await exists(s.worktree.path), true);

    const json = await s.cli(["stop", "-s", "w1", "--json"]);
    assert.equal(json.code, 0, json.err.join("\n"));
    const kept = JSON.parse(json.out[0]).worktree;
    assert.equal(kept.removed, false);
    assert.equal(kept.path, s.worktree.path);

    // Stopped, its kept worktree is still found by diff.
    const diff = await s.cli(["diff", "-s", "w1", "--stat"]);
    assert.equal(diff.code, 0, diff.err.join("\n"));
    assert.equal(diff.out.join("\n").split("\n").at(-1), "+1 \u22123, 1 file");

    const discard = await s.cli(["stop", "-s", "w1", "--discard"]);
    assert.equal(discard.code, 0, discard.err.join("\n"));
    assert.deepEqual(discard.out, [
      "stopped w1 (window was already gone)",
      `  worktree removed: ${s.worktree.path} (branch aimax/w1 deleted)`,
    ]);
    assert.equal(await exists(s.worktree.path), false);
    assert.equal(await git(s.repo, "branch", "--list", "aimax/w1"), "");
    assert.equal(
      (await git(s.repo, "worktree", "list", "--porcelain")).split("\n\n")
        .filter((b) => b.trim() !== "").length,
      1,
    );
  });
});
