import assert from "node:assert/strict";
import { join } from "node:path";
import { addWorktree } from "../../lib/worktree/add.ts";
import { worktreeDiff } from "../../lib/worktree/diff.ts";
import { MergeConflictError } from "../../lib/worktree/errors.ts";
import { mergeWorktree } from "../../lib/worktree/merge.ts";
import { git, look, rejectsWithCode, withRepo, write } from "./support.ts";

async function session(repo: string, data: string, dir: string, id: string) {
  const path = join(dir, `wt-${id}`);
  const added = await addWorktree({ repo, path, sessionId: id, dataDir: data });
  return {
    ...added,
    merge: { repo, worktree: path, branch: added.branch, sessionId: id },
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("merge: two sessions write the same file; each diff shows its own; the first merges, the second is refused as a conflict with the main tree unchanged", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const a = await session(repo, data, dir, "a");
    const b = await session(repo, data, dir, "b");
    await write(a.path, "notes.txt", "one\nfrom a\nthree\n");
    await write(b.path, "notes.txt", "one\nfrom b\nthree\n");
    const mainBefore = await look(repo);
    const diffA = await worktreeDiff(a.path, a.baseCommit);
    const diffB = await worktreeDiff(b.path, b.baseCommit);
    assert.deepEqual(diffA.files[0].hunks[0].lines, [
      " one",
      "-two",
      "+from a",
      " three",
    ]);
    assert.deepEqual(diffB.files[0].hunks[0].lines, [
      " one",
      "-two",
      "+from b",
      " three",
    ]);
    assert.deepEqual(
      await look(repo),
      mainBefore,
      "diffs change nothing in the main tree",
    );
    assert.equal(
      await Deno.readTextFile(join(repo, "notes.txt")),
      "one\ntwo\nthree\n",
    );

    const first = await mergeWorktree(a.merge);
    assert.equal(first.merged, true);
    assert.equal(first.into, "main");
    assert.deepEqual(first.files, ["notes.txt"]);
    assert.equal(
      await Deno.readTextFile(join(repo, "notes.txt")),
      "one\nfrom a\nthree\n",
    );
    assert.equal((await git(repo, "rev-parse", "HEAD")).trim(), first.commit);
    const parents = (await git(repo, "log", "-1", "--format=%P")).trim().split(
      " ",
    );
    assert.deepEqual(parents, [
      mainBefore.head,
      (await git(repo, "rev-parse", "aimax/a")).trim(),
    ]);
    assert.equal(
      (await git(repo, "log", "-1", "--format=%s")).trim(),
      "Merge branch 'aimax/a' (aimax session a)",
    );
    assert.equal(
      (await git(repo, "log", "-1", "--format=%s", "aimax/a")).trim(),
      "aimax: uncommitted work of session a",
    );
    assert.equal(await git(a.path, "status", "--porcelain"), "");
    assert.equal(await git(repo, "status", "--porcelain"), "");

    const mainAfterFirst = await look(repo);
    const bStatus = await git(b.path, "status", "--porcelain");
    const error = await rejectsWithCode(
      mergeWorktree(b.merge),
      "merge_conflict",
    );
    assert.ok(error instanceof MergeConflictError);
    assert.deepEqual(error.files, ["notes.txt"]);
    assert.match(
      error.message,
      /^merging aimax\/b into main would conflict in notes\.txt; nothing was changed$/,
    );
    // Nothing changed: the main tree, HEAD, branches (b's too), worktrees,
    // b's uncommitted work.
    assert.deepEqual(await look(repo), mainAfterFirst);
    assert.equal(await git(b.path, "status", "--porcelain"), bStatus);
    assert.equal(await exists(join(repo, ".git", "MERGE_HEAD")), false);
    assert.equal(
      await Deno.readTextFile(join(repo, "notes.txt")),
      "one\nfrom a\nthree\n",
    );
  });
});

Deno.test("merge: untracked files of the worktree are committed and merged; squash makes one commit on the main branch", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const s = await session(repo, data, dir, "s1");
    await write(s.path, "src/new.ts", "export const x = 1;\n");
    await write(s.path, "README.md", "# demo\nchanged\n");
    await git(s.path, "add", "README.md");
    await git(s.path, "commit", "-q", "-m", "agent's own commit");
    await write(s.path, "later.txt", "later\n");
    const before = (await git(repo, "rev-parse", "HEAD")).trim();
    const result = await mergeWorktree({
      ...s.merge,
      squash: true,
      message: "Add the thing",
    });
    assert.equal(result.merged, true);
    assert.ok(result.workCommit);
    assert.deepEqual(result.files.sort(), [
      "README.md",
      "later.txt",
      "src/new.ts",
    ]);
    assert.equal(
      (await git(repo, "log", "-1", "--format=%P|%s")).trim(),
      `${before}|Add the thing`,
    );
    assert.equal(
      (await git(repo, "log", "-1", "--format=%s", "aimax/s1")).trim(),
      "Add the thing",
    );
    assert.equal(
      await Deno.readTextFile(join(repo, "src/new.ts")),
      "export const x = 1;\n",
    );
    assert.equal(await Deno.readTextFile(join(repo, "later.txt")), "later\n");
    assert.equal(await git(repo, "status", "--porcelain"), "");
  });
});

Deno.test("merge: a main tree with uncommitted changes is refused, naming them; nothing changes, in either tree", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const s = await session(repo, data, dir, "s1");
    await write(s.path, "x.txt", "x\n");
    await write(repo, "notes.txt", "edited by a person\n");
    const mainBefore = await look(repo);
    const wtBefore = await git(s.path, "status", "--porcelain");
    const tipBefore = (await git(repo, "rev-parse", "aimax/s1")).trim();
    const error = await rejectsWithCode(mergeWorktree(s.merge), "dirty_tree");
    assert.match(
      error.message,
      /the main tree .* has uncommitted changes; commit or stash them, then merge again: notes\.txt$/,
    );
    assert.deepEqual(await look(repo), mainBefore);
    assert.equal(await git(s.path, "status", "--porcelain"), wtBefore);
    assert.equal((await git(repo, "rev-parse", "aimax/s1")).trim(), tipBefore);
  });
});

Deno.test("merge: an untracked file of the main tree the merge would overwrite is refused, nothing changed", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const s = await session(repo, data, dir, "s1");
    await write(s.path, ".env.example", "FROM=agent\n");
    await write(repo, ".env.example", "MINE=1\n");
    const before = await look(repo);
    const error = await rejectsWithCode(mergeWorktree(s.merge), "dirty_tree");
    assert.match(
      error.message,
      /untracked files the merge would overwrite.*: \.env\.example$/,
    );
    assert.deepEqual(await look(repo), before);
    assert.equal(
      await Deno.readTextFile(join(repo, ".env.example")),
      "MINE=1\n",
    );
  });
});

Deno.test("merge: with nothing new on the branch, nothing moves", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const s = await session(repo, data, dir, "s1");
    const before = await look(repo);
    const result = await mergeWorktree(s.merge);
    assert.deepEqual(result, {
      merged: false,
      commit: before.head,
      into: "main",
      workCommit: undefined,
      files: [],
    });
    assert.deepEqual(await look(repo), before);
    assert.equal(
      (await mergeWorktree({ ...s.merge, squash: true })).merged,
      false,
    );
  });
});

Deno.test("merge: a main branch that moved meanwhile fails the fast-forward; nothing half-done is left", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const s = await session(repo, data, dir, "s1");
    await write(s.path, "agent.txt", "a\n");
    let moved = "";
    await rejectsWithCode(
      mergeWorktree({
        ...s.merge,
        onStep: async (step) => {
          if (step !== "commit-built") return;
          await write(repo, "person.txt", "p\n");
          await git(repo, "add", "person.txt");
          await git(repo, "commit", "-q", "-m", "a person commits meanwhile");
          moved = (await git(repo, "rev-parse", "HEAD")).trim();
        },
      }),
      "git_failed",
    );
    assert.equal((await git(repo, "rev-parse", "HEAD")).trim(), moved);
    assert.equal(await git(repo, "status", "--porcelain"), "");
    assert.equal(await exists(join(repo, "agent.txt")), false);
    assert.equal(await exists(join(repo, ".git", "MERGE_HEAD")), false);
    // Once more, from the new main: it goes through.
    assert.equal((await mergeWorktree(s.merge)).merged, true);
    assert.equal(await Deno.readTextFile(join(repo, "agent.txt")), "a\n");
  });
});

Deno.test("merge: the repository's hooks do not run; commits without a configured identity are aimax's", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const marker = join(dir, "hook-ran");
    for (
      const hook of ["pre-commit", "commit-msg", "post-merge", "post-commit"]
    ) {
      await write(
        repo,
        `.git/hooks/${hook}`,
        `#!/bin/sh\ntouch '${marker}'\nexit 1\n`,
      );
      await Deno.chmod(join(repo, `.git/hooks/${hook}`), 0o755);
    }
    const s = await session(repo, data, dir, "s1");
    await write(s.path, "x.txt", "x\n");
    await mergeWorktree(s.merge);
    assert.equal(await exists(marker), false);
    assert.equal(
      (await git(repo, "log", "-1", "--format=%an <%ae>")).trim(),
      "aimax <aimax@localhost>",
    );
  });
});

Deno.test("merge: a worktree on another branch, or the main tree's own branch, is refused", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const s = await session(repo, data, dir, "s1");
    await rejectsWithCode(
      mergeWorktree({ ...s.merge, branch: "other" }),
      "worktree_busy",
    );
    await rejectsWithCode(
      mergeWorktree({ ...s.merge, worktree: repo, branch: "main" }),
      "worktree_busy",
    );
    const stranger = join(dir, "stranger");
    await Deno.mkdir(stranger);
    await git(stranger, "init", "-q", "-b", "aimax/s1");
    await git(stranger, "commit", "-q", "--allow-empty", "-m", "x");
    await rejectsWithCode(
      mergeWorktree({ ...s.merge, worktree: stranger }),
      "invalid_input",
    );
  });
});
