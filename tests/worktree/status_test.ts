import assert from "node:assert/strict";
import { join } from "node:path";
import { changedFiles, worktreeStatus } from "../../lib/worktree/status.ts";
import { git, rejectsWithCode, withRepo, write } from "./support.ts";

Deno.test("status: changedFiles lists staged, unstaged and renamed files; untracked ones only when asked", async () => {
  await withRepo(async ({ repo }) => {
    assert.deepEqual(await changedFiles(repo, { untracked: true }), []);
    await write(repo, "notes.txt", "changed\n");
    await git(repo, "mv", "README.md", "READ ME.md");
    await write(repo, "new dir/untracked.txt", "u\n");
    assert.deepEqual((await changedFiles(repo, { untracked: false })).sort(), [
      "READ ME.md",
      "notes.txt",
    ]);
    assert.deepEqual((await changedFiles(repo, { untracked: true })).sort(), [
      "READ ME.md",
      "new dir/untracked.txt",
      "notes.txt",
    ]);
  });
});

Deno.test("status: a worktree's dirt, commits its main branch lacks, and whether that work is merged", async () => {
  await withRepo(async ({ dir, repo }) => {
    const wt = join(dir, "wt");
    await git(repo, "worktree", "add", "-q", "-b", "aimax/s1", wt);
    assert.deepEqual(await worktreeStatus(wt, { mainBranch: "main" }), {
      dirty: false,
      files: [],
      unmergedCommits: 0,
      merged: true,
    });
    await write(wt, "new.txt", "n\n");
    let status = await worktreeStatus(wt, { mainBranch: "main" });
    assert.equal(status.dirty, true);
    assert.deepEqual(status.files, ["new.txt"]);
    await git(wt, "add", "new.txt");
    await git(wt, "commit", "-q", "-m", "one");
    await write(wt, "more.txt", "m\n");
    await git(wt, "add", "more.txt");
    await git(wt, "commit", "-q", "-m", "two");
    status = await worktreeStatus(wt, { mainBranch: "main" });
    assert.deepEqual(status, {
      dirty: false,
      files: [],
      unmergedCommits: 2,
      merged: false,
    });
    // Squashed into main: the commits are not there, their content is.
    await git(repo, "merge", "-q", "--squash", "aimax/s1");
    await git(repo, "commit", "-q", "-m", "squash");
    status = await worktreeStatus(wt, { mainBranch: "main" });
    assert.equal(status.unmergedCommits, 2);
    assert.equal(status.merged, true);
    await rejectsWithCode(
      worktreeStatus(wt, { mainBranch: "--all" }),
      "invalid_input",
    );
  });
});
