/**
 * Fault tests of adding a worktree: a real process running addWorktree is
 * killed with SIGKILL at each step; recovery then leaves the repository
 * as it was (`git worktree list`, `git status`, `git branch`, no locks).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AddStep } from "../../lib/worktree/add.ts";
import { intentsDir, worktreePath } from "../../lib/worktree/paths.ts";
import { recoverIntents } from "../../lib/worktree/recover.ts";
import { look, runFaultChild, spawnFaultChild, withRepo } from "./support.ts";

const STEPS: AddStep[] = ["intent-written", "branch-created", "worktree-added"];

async function intentFiles(data: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(intentsDir(data))) names.push(e.name);
  return names;
}

for (const step of STEPS) {
  Deno.test(`add faults: SIGKILL after '${step}', then recovery: the repository is as before`, async () => {
    await withRepo(async ({ repo, data }) => {
      const before = await look(repo);
      const path = await worktreePath(repo, "s1", { dataDir: data });
      await runFaultChild(
        "add",
        { repo, path, sessionId: "s1", dataDir: data },
        step,
      );
      // The kill left its trace: the intent, and what the step made.
      assert.equal((await intentFiles(data)).length, 1);
      const branches = await look(repo).then((l) => l.branches);
      assert.equal(
        branches.includes("aimax/s1"),
        step !== "intent-written",
        `branch made by '${step}'`,
      );
      const recovered = await recoverIntents(data);
      assert.equal(recovered.length, 1);
      assert.equal(recovered[0].error, undefined);
      assert.equal(recovered[0].intent?.path, path);
      assert.equal(
        recovered[0].undone?.branchDeleted,
        step !== "intent-written",
      );
      assert.equal(
        recovered[0].undone?.worktreeRemoved,
        step === "worktree-added",
      );
      assert.deepEqual(await look(repo), before);
      assert.equal(await Deno.lstat(path).then(() => true, () => false), false);
      assert.deepEqual(await intentFiles(data), []);
      assert.deepEqual(await recoverIntents(data), [], "nothing left to do");
    });
  });
}

Deno.test("add faults: a run that finishes leaves no intent; recovery changes nothing", async () => {
  await withRepo(async ({ repo, data }) => {
    const path = await worktreePath(repo, "s1", { dataDir: data });
    assert.match(
      await runFaultChild("add", {
        repo,
        path,
        sessionId: "s1",
        dataDir: data,
      }),
      /done/,
    );
    const after = await look(repo);
    assert.deepEqual(await recoverIntents(data), []);
    assert.deepEqual(await look(repo), after);
    assert.ok(await Deno.stat(join(path, "notes.txt")));
  });
});

Deno.test("add faults: the intent of a live process is not undone by another's recovery", async () => {
  await withRepo(async ({ repo, data }) => {
    const path = await worktreePath(repo, "s1", { dataDir: data });
    const options = { repo, path, sessionId: "s1", dataDir: data };
    // A child paused after the branch is made stays alive while we recover.
    const run = spawnFaultChild("add", options, "branch-created");
    if (!await run.paused) assert.fail(await run.stderr);
    try {
      assert.deepEqual(await recoverIntents(data), []);
      assert.match((await look(repo)).branches, /aimax\/s1/);
    } finally {
      run.child.kill("SIGKILL");
      await run.child.status;
      await run.stderr;
    }
    assert.equal((await recoverIntents(data)).length, 1);
    assert.doesNotMatch((await look(repo)).branches, /aimax\/s1/);
  });
});
