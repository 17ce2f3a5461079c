/**
 * `aimax merge` (`lib/cli/merge.ts`) on a real worktree of a real
 * repository: it prints what it merged (branch, into, commit, files) and
 * the main tree has the work; a dirty main tree or a conflict is the
 * error's one line (exit 1) with nothing changed.
 */
import assert from "node:assert/strict";
import { look } from "../worktree/support.ts";
import {
  git,
  withWorktreeSession,
  write,
} from "../support/worktree_session.ts";

Deno.test("cli merge: commits the worktree's uncommitted work, merges it into the main tree's branch and says what it brought", async () => {
  await withWorktreeSession(async (s) => {
    await write(s.worktree.path, "notes.txt", "one\ntwo\nthree\nfour\n");
    await write(s.worktree.path, "new.txt", "new\n");
    const run = await s.cli(["merge", "-s", "w1"]);
    assert.equal(run.code, 0, run.err.join("\n"));
    const head = (await git(s.repo, "rev-parse", "HEAD")).trim();
    const work = (await git(s.worktree.path, "rev-parse", "HEAD")).trim();
    assert.deepEqual(run.out, [
      `merged aimax/w1 into main: ${head.slice(0, 8)} (2 files)`,
      `  committed the worktree's uncommitted work first: ${work.slice(0, 8)}`,
      "  new.txt",
      "  notes.txt",
    ]);
    assert.equal(
      await Deno.readTextFile(`${s.repo}/notes.txt`),
      "one\ntwo\nthree\nfour\n",
    );
    // Again: nothing left to bring.
    const again = await s.cli(["merge", "-s", "w1"]);
    assert.equal(again.code, 0, again.err.join("\n"));
    assert.deepEqual(again.out, [
      `nothing to merge: main has all of aimax/w1 (${head.slice(0, 8)})`,
    ]);
  });
});

Deno.test("cli merge --squash --message: one commit with that message; --json the merge", async () => {
  await withWorktreeSession(async (s) => {
    await write(s.worktree.path, "new.txt", "new\n");
    const run = await s.cli([
      "merge",
      "-s",
      "w1",
      "--squash",
      "--message",
      "Add new.txt",
      "--json",
    ]);
    assert.equal(run.code, 0, run.err.join("\n"));
    const merged = JSON.parse(run.out[0]);
    assert.equal(merged.sessionId, "w1");
    assert.equal(merged.branch, "aimax/w1");
    assert.equal(merged.merged, true);
    assert.equal(merged.into, "main");
    assert.deepEqual(merged.files, ["new.txt"]);
    assert.equal(
      merged.commit,
      (await git(s.repo, "rev-parse", "HEAD")).trim(),
    );
    assert.equal(
      (await git(s.repo, "log", "-1", "--format=%P")).trim().split(" ").length,
      1,
      "one parent: a squash, not a merge commit",
    );
    assert.equal(
      (await git(s.repo, "log", "-1", "--format=%s")).trim(),
      "Add new.txt",
    );
    const text = await s.cli(["merge", "-s", "w1", "--squash"]);
    assert.match(text.out[0], /^nothing to merge: main has all of aimax\/w1/);
  });
});

Deno.test("cli merge: a dirty main tree and a conflict are refused (exit 1, one line naming the files), nothing changed", async () => {
  await withWorktreeSession(async (s) => {
    await write(s.worktree.path, "notes.txt", "agent's\n");
    await write(s.repo, "notes.txt", "person's, uncommitted\n");
    const before = await look(s.repo);
    const dirty = await s.cli(["merge", "-s", "w1", "--json"]);
    assert.equal(dirty.code, 1);
    assert.equal(dirty.err.length, 1, dirty.err.join("\n"));
    assert.match(dirty.err[0], /^aimax: .*notes\.txt/);
    assert.equal(JSON.parse(dirty.out[0]).error.code, "dirty_tree");
    assert.deepEqual(await look(s.repo), before);

    await git(s.repo, "commit", "-q", "-am", "person's change");
    const committed = await look(s.repo);
    const conflict = await s.cli(["merge", "-s", "w1", "--json"]);
    assert.equal(conflict.code, 1);
    assert.equal(conflict.err.length, 1, conflict.err.join("\n"));
    assert.match(conflict.err[0], /^aimax: .*notes\.txt/);
    assert.equal(JSON.parse(conflict.out[0]).error.code, "merge_conflict");
    assert.deepEqual(await look(s.repo), committed);
    assert.equal(
      await Deno.readTextFile(`${s.repo}/notes.txt`),
      "person's, uncommitted\n",
    );
  });
});
