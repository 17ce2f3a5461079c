import assert from "node:assert/strict";
import { join } from "node:path";
import { addWorktree } from "../../lib/worktree/add.ts";
import { shortStat, worktreeDiff } from "../../lib/worktree/diff.ts";
import { git, withRepo, write } from "./support.ts";

async function indexBytes(path: string): Promise<Uint8Array> {
  const indexPath = (await git(
    path,
    "rev-parse",
    "--path-format=absolute",
    "--git-path",
    "index",
  )).trim();
  return await Deno.readFile(indexPath);
}

Deno.test("diff: committed, staged, unstaged, untracked, deleted, renamed and binary changes, against the base", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    await write(repo, "gone.txt", "bye\n");
    await write(
      repo,
      "moved-from.txt",
      "a long enough line to be found as a rename\nsecond line\n",
    );
    await write(repo, ".gitignore", "ignored/\n");
    await git(repo, "add", "-A");
    await git(repo, "commit", "-q", "-m", "more");
    const wt = join(dir, "wt");
    const { baseCommit } = await addWorktree({
      repo,
      path: wt,
      sessionId: "s1",
      dataDir: data,
    });
    // Committed on the branch.
    await write(wt, "committed.txt", "c1\nc2\n");
    await git(wt, "add", "committed.txt");
    await git(wt, "commit", "-q", "-m", "agent commit");
    // Staged, then changed again.
    await write(wt, "notes.txt", "one\nTWO\nthree\n");
    await git(wt, "add", "notes.txt");
    await write(wt, "notes.txt", "one\nTWO\nthree\nfour\n");
    // Untracked, deleted, renamed, binary, ignored.
    await write(wt, "fresh dir/new file.txt", "hello\n");
    await Deno.remove(join(wt, "gone.txt"));
    await Deno.rename(join(wt, "moved-from.txt"), join(wt, "moved-to.txt"));
    await Deno.writeFile(
      join(wt, "blob.bin"),
      new Uint8Array([0, 1, 2, 0, 255]),
    );
    await write(wt, "ignored/cache.txt", "not shown\n");
    const indexBefore = await indexBytes(wt);
    const stagedBefore = await git(wt, "diff", "--cached", "--name-status");
    const statusBefore = await git(wt, "status", "--porcelain");

    const diff = await worktreeDiff(wt, baseCommit);

    const summary = Object.fromEntries(
      diff.files.map((
        f,
      ) => [f.path, [f.status, f.additions, f.deletions, f.binary, f.oldPath]]),
    );
    assert.deepEqual(summary, {
      "blob.bin": ["added", 0, 0, true, undefined],
      "committed.txt": ["added", 2, 0, false, undefined],
      "fresh dir/new file.txt": ["added", 1, 0, false, undefined],
      "gone.txt": ["deleted", 0, 1, false, undefined],
      "moved-to.txt": ["renamed", 0, 0, false, "moved-from.txt"],
      "notes.txt": ["modified", 2, 1, false, undefined],
    });
    assert.equal(diff.additions, 5);
    assert.equal(diff.deletions, 2);
    assert.equal(diff.shortStat, "+5 \u22122, 6 files");
    assert.equal(diff.truncated, false);
    assert.equal(diff.baseCommit, baseCommit);
    const notes = diff.files.find((f) => f.path === "notes.txt")!;
    assert.deepEqual(notes.hunks, [{
      header: "@@ -1,3 +1,4 @@",
      lines: [" one", "-two", "+TWO", " three", "+four"],
    }]);
    assert.match(diff.patchText, /^diff --git a\/blob.bin b\/blob.bin\n/);
    assert.match(
      diff.patchText,
      /\ndiff --git a\/fresh dir\/new file.txt b\/fresh dir\/new file.txt\nnew file mode 100644\n/,
    );
    assert.match(
      diff.patchText,
      /\nrename from moved-from.txt\nrename to moved-to.txt\n/,
    );
    assert.doesNotMatch(diff.patchText, /ignored/);
    // The worktree's own index and status are untouched.
    assert.deepEqual(await indexBytes(wt), indexBefore);
    assert.equal(
      await git(wt, "diff", "--cached", "--name-status"),
      stagedBefore,
    );
    assert.equal(await git(wt, "status", "--porcelain"), statusBefore);
  });
});

Deno.test("diff: the patch is what git diff prints for the same changes", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const wt = join(dir, "wt");
    const { baseCommit } = await addWorktree({
      repo,
      path: wt,
      sessionId: "s1",
      dataDir: data,
    });
    await write(wt, "notes.txt", "one\n2\nthree\n");
    await write(wt, "README.md", "# demo\n\nmore\n");
    const diff = await worktreeDiff(wt, baseCommit);
    // Only tracked files changed: plain `git diff <base>` sees them all.
    assert.equal(
      diff.patchText,
      await git(wt, "diff", "--no-color", baseCommit),
    );
  });
});

Deno.test("diff: no change is an empty diff", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const wt = join(dir, "wt");
    const { baseCommit } = await addWorktree({
      repo,
      path: wt,
      sessionId: "s1",
      dataDir: data,
    });
    const diff = await worktreeDiff(wt, baseCommit);
    assert.deepEqual(diff.files, []);
    assert.equal(diff.patchText, "");
    assert.equal(diff.shortStat, "+0 \u22120, 0 files");
  });
});

Deno.test("diff: past maxBytes the patch is cut at a line's end and said truncated; counts stay whole", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const wt = join(dir, "wt");
    const { baseCommit } = await addWorktree({
      repo,
      path: wt,
      sessionId: "s1",
      dataDir: data,
    });
    for (const name of ["a", "b", "c"]) {
      await write(
        wt,
        `${name}.txt`,
        Array.from({ length: 200 }, (_, i) => `${name} line ${i}`).join("\n") +
          "\n",
      );
    }
    const diff = await worktreeDiff(wt, baseCommit, { maxBytes: 3000 });
    assert.equal(diff.truncated, true);
    assert.ok(diff.patchText.length <= 3000);
    assert.ok(diff.patchText.endsWith("\n"));
    assert.equal(diff.files.length, 3);
    assert.equal(diff.additions, 600);
    assert.ok(diff.files[0].hunks.length === 1);
    assert.deepEqual(diff.files[2].hunks, []);
    const whole = await worktreeDiff(wt, baseCommit);
    assert.equal(whole.truncated, false);
    assert.equal(whole.files[2].hunks[0].lines.length, 200);
  });
});

Deno.test("diff: shortStat says file or files", () => {
  assert.equal(
    shortStat({ additions: 12, deletions: 3, files: 2 }),
    "+12 \u22123, 2 files",
  );
  assert.equal(
    shortStat({ additions: 1, deletions: 0, files: 1 }),
    "+1 \u22120, 1 file",
  );
});

Deno.test("diff: an unknown base fails with git_failed", async () => {
  await withRepo(async ({ repo }) => {
    await assert.rejects(
      worktreeDiff(repo, "0".repeat(40)),
      (e: Error & { code?: string }) => e.code === "git_failed",
    );
  });
});
