/**
 * Fault tests of merging: a real process running mergeWorktree is killed
 * with SIGKILL at each step. Whatever the step, the main tree is as
 * before (HEAD, status, no MERGE_HEAD, no lock); up to 'commit-built' the
 * worktree and its branch are too; and a merge run again completes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { addWorktree } from "../../lib/worktree/add.ts";
import type { MergeStep } from "../../lib/worktree/merge.ts";
import { mergeWorktree } from "../../lib/worktree/merge.ts";
import { git, look, runFaultChild, withRepo, write } from "./support.ts";

const STEPS: MergeStep[] = [
  "main-checked",
  "merge-checked",
  "commit-built",
  "work-committed",
];

for (const step of STEPS) {
  Deno.test(`merge faults: SIGKILL after '${step}' leaves the main tree as before; merging again completes`, async () => {
    await withRepo(async ({ dir, repo, data }) => {
      const path = join(dir, "wt");
      await addWorktree({ repo, path, sessionId: "s1", dataDir: data });
      await write(path, "notes.txt", "one\nagent\nthree\n");
      await write(path, "added.txt", "new\n");
      const before = await look(repo);
      const worktreeBefore = await git(path, "status", "--porcelain");
      const options = {
        repo,
        worktree: path,
        branch: "aimax/s1",
        sessionId: "s1",
      };
      await runFaultChild("merge", options, step);
      const after = await look(repo);
      assert.equal(after.head, before.head);
      assert.equal(after.status, before.status);
      assert.deepEqual(after.locks, []);
      assert.equal(
        await Deno.lstat(join(repo, ".git", "MERGE_HEAD")).then(
          () => true,
          () => false,
        ),
        false,
      );
      assert.equal(
        await Deno.readTextFile(join(repo, "notes.txt")),
        "one\ntwo\nthree\n",
      );
      if (step === "work-committed") {
        // The work is committed on its branch; the worktree reads clean.
        assert.equal(await git(path, "status", "--porcelain"), "");
        assert.equal(
          (await git(repo, "log", "-1", "--format=%s", "aimax/s1")).trim(),
          "aimax: uncommitted work of session s1",
        );
      } else {
        assert.deepEqual(after, before);
        assert.equal(await git(path, "status", "--porcelain"), worktreeBefore);
      }
      const result = await mergeWorktree(options);
      assert.equal(result.merged, true);
      assert.equal(
        await Deno.readTextFile(join(repo, "notes.txt")),
        "one\nagent\nthree\n",
      );
      assert.equal(await Deno.readTextFile(join(repo, "added.txt")), "new\n");
      assert.equal(await git(repo, "status", "--porcelain"), "");
    });
  });
}

Deno.test("merge faults: a run that finishes merges (the child reports done)", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const path = join(dir, "wt");
    await addWorktree({ repo, path, sessionId: "s1", dataDir: data });
    await write(path, "x.txt", "x\n");
    const printed = await runFaultChild("merge", {
      repo,
      worktree: path,
      branch: "aimax/s1",
      sessionId: "s1",
    });
    assert.match(printed, /done/);
    assert.equal(await Deno.readTextFile(join(repo, "x.txt")), "x\n");
  });
});
