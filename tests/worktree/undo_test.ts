import assert from "node:assert/strict";
import { join } from "node:path";
import type { AddIntent } from "../../lib/worktree/intents.ts";
import { undoAdd } from "../../lib/worktree/undo.ts";
import { git, look, rejectsWithCode, withRepo, write } from "./support.ts";

async function intentFor(repo: string, path: string): Promise<AddIntent> {
  return {
    kind: "add",
    repo,
    path,
    branch: "aimax/s1",
    baseCommit: (await git(repo, "rev-parse", "HEAD")).trim(),
    createsBranch: true,
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("undo: with nothing done, nothing changes", async () => {
  await withRepo(async ({ dir, repo }) => {
    const before = await look(repo);
    const undone = await undoAdd(await intentFor(repo, join(dir, "wt")));
    assert.deepEqual(undone, { worktreeRemoved: false, branchDeleted: false });
    assert.deepEqual(await look(repo), before);
  });
});

Deno.test("undo: a half-made worktree (locked 'initializing', as git leaves it when killed) and its branch go", async () => {
  await withRepo(async ({ dir, repo }) => {
    const before = await look(repo);
    const path = join(dir, "wt");
    const intent = await intentFor(repo, path);
    await git(repo, "branch", "--no-track", "aimax/s1", intent.baseCommit);
    await git(repo, "worktree", "add", "-q", path, "aimax/s1");
    await git(repo, "worktree", "lock", "--reason", "initializing", path);
    await write(path, "half.txt", "half\n");
    const undone = await undoAdd(intent);
    assert.deepEqual(undone, { worktreeRemoved: true, branchDeleted: true });
    assert.deepEqual(await look(repo), before);
    assert.equal(await exists(path), false);
  });
});

Deno.test("undo: an entry whose folder is gone is pruned, locked or not", async () => {
  await withRepo(async ({ dir, repo }) => {
    const before = await look(repo);
    const path = join(dir, "wt");
    const intent = await intentFor(repo, path);
    await git(repo, "worktree", "add", "-q", "-b", "aimax/s1", path);
    await git(repo, "worktree", "lock", path);
    await Deno.remove(path, { recursive: true });
    await undoAdd(intent);
    assert.deepEqual(await look(repo), before);
  });
});

Deno.test("undo: an empty folder made before git filled it goes; one with foreign files stays", async () => {
  await withRepo(async ({ dir, repo }) => {
    const path = join(dir, "wt");
    await Deno.mkdir(path);
    assert.equal(
      (await undoAdd(await intentFor(repo, path))).worktreeRemoved,
      true,
    );
    assert.equal(await exists(path), false);
    await write(path, "mine.txt", "mine\n");
    await rejectsWithCode(
      undoAdd(await intentFor(repo, path)),
      "worktree_busy",
    );
    assert.equal(await Deno.readTextFile(join(path, "mine.txt")), "mine\n");
  });
});

Deno.test("undo: a branch with commits of its own, checked out elsewhere, or not made by the add, is kept", async () => {
  await withRepo(async ({ dir, repo }) => {
    const intent = await intentFor(repo, join(dir, "wt"));
    const other = join(dir, "other");
    await git(repo, "worktree", "add", "-q", "-b", "aimax/s1", other);
    let undone = await undoAdd(intent);
    assert.equal(undone.branchDeleted, false);
    assert.match(undone.branchKept ?? "", /checked out in .*other/);
    await write(other, "work.txt", "work\n");
    await git(other, "add", "work.txt");
    await git(other, "commit", "-q", "-m", "work");
    await git(repo, "worktree", "remove", other);
    undone = await undoAdd(intent);
    assert.equal(undone.branchKept, "aimax/s1 has commits beyond its base");
    await git(repo, "branch", "-f", "aimax/s1", intent.baseCommit);
    undone = await undoAdd({ ...intent, createsBranch: false });
    assert.deepEqual(undone, { worktreeRemoved: false, branchDeleted: false });
    assert.match((await look(repo)).branches, /aimax\/s1/);
  });
});

Deno.test("undo: with the repository gone, only the folder is removed", async () => {
  await withRepo(async ({ dir }) => {
    const path = join(dir, "wt");
    await Deno.mkdir(path);
    await Deno.writeTextFile(join(path, ".git"), "gitdir: /nowhere\n");
    const undone = await undoAdd({
      kind: "add",
      repo: join(dir, "gone"),
      path,
      branch: "aimax/s1",
      baseCommit: "0".repeat(40),
      createsBranch: true,
    });
    assert.deepEqual(undone, { worktreeRemoved: true, branchDeleted: false });
    assert.equal(await exists(path), false);
  });
});
