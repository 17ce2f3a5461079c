import assert from "node:assert/strict";
import { join } from "node:path";
import { addWorktree } from "../../lib/worktree/add.ts";
import { DirtyTreeError } from "../../lib/worktree/errors.ts";
import { mergeWorktree } from "../../lib/worktree/merge.ts";
import { removeWorktree } from "../../lib/worktree/remove.ts";
import { git, look, rejectsWithCode, withRepo, write } from "./support.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

async function session(repo: string, data: string, path: string) {
  await addWorktree({ repo, path, sessionId: "s1", dataDir: data });
  return { repo, branch: "aimax/s1", mainBranch: "main" };
}

Deno.test("remove: a clean worktree with nothing unmerged goes; its branch stays", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const path = join(dir, "wt");
    const options = await session(repo, data, path);
    const removed = await removeWorktree(path, options);
    assert.deepEqual(removed, {
      removed: true,
      branchDeleted: false,
      status: { dirty: false, files: [], unmergedCommits: 0, merged: true },
    });
    assert.equal(await exists(path), false);
    assert.ok(!(await look(repo)).worktrees.includes(`worktree ${path}\n`));
    assert.match((await look(repo)).branches, /aimax\/s1/);
  });
});

Deno.test("remove: uncommitted changes (untracked files too) keep it, and say where they are", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const path = join(dir, "wt");
    const options = await session(repo, data, path);
    await write(path, "draft.txt", "draft\n");
    const before = await look(repo);
    const error = await rejectsWithCode(
      removeWorktree(path, options),
      "dirty_tree",
    );
    assert.ok(error instanceof DirtyTreeError);
    assert.deepEqual(error.files, ["draft.txt"]);
    assert.match(
      error.message,
      /^the worktree .*wt has 1 uncommitted file; it is kept \(merge it, or remove it with discard\): draft\.txt$/,
    );
    assert.equal(await Deno.readTextFile(join(path, "draft.txt")), "draft\n");
    assert.deepEqual(await look(repo), before);
  });
});

Deno.test("remove: commits not in the main branch keep it; once merged (squash too) it goes", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const path = join(dir, "wt");
    const options = await session(repo, data, path);
    await write(path, "work.txt", "work\n");
    await git(path, "add", "work.txt");
    await git(path, "commit", "-q", "-m", "work");
    const error = await rejectsWithCode(
      removeWorktree(path, options),
      "dirty_tree",
    );
    assert.match(
      error.message,
      /has 1 commit not merged into main; it is kept/,
    );
    assert.equal(await exists(path), true);
    await mergeWorktree({
      repo,
      worktree: path,
      branch: "aimax/s1",
      sessionId: "s1",
      squash: true,
    });
    const removed = await removeWorktree(path, options);
    assert.equal(removed.removed, true);
    assert.equal(removed.status?.unmergedCommits, 1);
    assert.equal(removed.status?.merged, true);
    assert.equal(await exists(path), false);
  });
});

Deno.test("remove: discard removes a dirty, unmerged worktree and deletes its branch", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const before = await look(repo);
    const path = join(dir, "wt");
    const options = await session(repo, data, path);
    await write(path, "work.txt", "work\n");
    await git(path, "add", "work.txt");
    await git(path, "commit", "-q", "-m", "work");
    await write(path, "draft.txt", "draft\n");
    const removed = await removeWorktree(path, { ...options, discard: true });
    assert.equal(removed.removed, true);
    assert.equal(removed.branchDeleted, true);
    assert.equal(removed.status?.dirty, true);
    assert.deepEqual(await look(repo), before);
    assert.equal(await exists(path), false);
  });
});

Deno.test("remove: a worktree whose folder is gone is pruned; discard deletes the branch", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const before = await look(repo);
    const path = join(dir, "wt");
    const options = await session(repo, data, path);
    await Deno.remove(path, { recursive: true });
    const removed = await removeWorktree(path, { ...options, discard: true });
    assert.deepEqual(removed, {
      removed: true,
      branchDeleted: true,
      status: undefined,
    });
    assert.deepEqual(await look(repo), before);
    // Again: nothing left to do.
    assert.deepEqual(
      await removeWorktree(path, { ...options, discard: true }),
      {
        removed: false,
        branchDeleted: false,
        status: undefined,
      },
    );
  });
});

Deno.test("remove: a locked worktree, or a folder that is not one of the repository's worktrees, is busy", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const path = join(dir, "wt");
    const options = await session(repo, data, path);
    await git(repo, "worktree", "lock", "--reason", "on a USB disk", path);
    const error = await rejectsWithCode(
      removeWorktree(path, { ...options, discard: true }),
      "worktree_busy",
    );
    assert.match(error.message, /is locked \(on a USB disk\)/);
    assert.equal(await exists(path), true);
    const plain = join(dir, "plain");
    await Deno.mkdir(plain);
    await rejectsWithCode(
      removeWorktree(plain, { ...options, discard: true }),
      "worktree_busy",
    );
    assert.equal(await exists(plain), true);
  });
});
