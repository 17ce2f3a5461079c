/**
 * `aimax diff` (`lib/cli/diff.ts`) on a real worktree of a real repository:
 * the patch for a person (coloured only when colour is on, a file's escape
 * sequence made visible), `--stat`, `--json`; nothing changed means
 * nothing on stdout; a session without a worktree is bad input.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { StateStore } from "../../lib/state.ts";
import { bareRecord } from "../support/records.ts";
import {
  git,
  withWorktreeSession,
  write,
} from "../support/worktree_session.ts";

Deno.test("cli diff: the session's changes as git diff prints them, untracked files included; coloured only with colour on", async () => {
  await withWorktreeSession(async (s) => {
    await write(s.worktree.path, "notes.txt", "one\ntwo\nthree\nfour\n");
    await write(s.worktree.path, "new.txt", "hi \x1b]52;c;aGk=\x07\n");
    const plain = await s.cli(["diff", "-s", "w1"]);
    assert.equal(plain.code, 0, plain.err.join("\n"));
    assert.deepEqual(plain.err, []);
    const lines = plain.out.join("\n").split("\n");
    assert.equal(lines[0], "diff --git a/new.txt b/new.txt");
    assert.ok(lines.includes("+hi ?]52;c;aGk=?"), lines.join("\n"));
    assert.ok(lines.includes("diff --git a/notes.txt b/notes.txt"));
    assert.ok(lines.includes("+four"));
    assert.ok(!plain.out.join("").includes("\x1b"));

    const colored = await s.cli(["diff", "-s", "w1"], { color: true });
    const text = colored.out.join("\n");
    assert.ok(text.includes("\x1b[32m+four\x1b[0m"), text);
    assert.ok(text.includes("\x1b[1mdiff --git a/notes.txt b/notes.txt"));
    assert.ok(!text.includes("\x1b]52"), "the file's own escape is inert");

    // It is a patch git takes: it applies to the main tree.
    const patch = join(s.dir, "w1.patch");
    await Deno.writeTextFile(patch, plain.out.join("\n") + "\n");
    await git(s.repo, "apply", "--check", patch);
  });
});

Deno.test("cli diff --stat: one line per file and the short count; --json the whole diff", async () => {
  await withWorktreeSession(async (s) => {
    await write(s.worktree.path, "notes.txt", "one\nthree\n");
    await write(s.worktree.path, "src/a.ts", "export {};\n");
    await git(s.worktree.path, "add", "src/a.ts");
    await git(s.worktree.path, "commit", "-q", "-m", "agent's commit");
    const stat = await s.cli(["diff", "-s", "w1", "--stat"]);
    assert.equal(stat.code, 0, stat.err.join("\n"));
    assert.deepEqual(stat.out.join("\n").split("\n"), [
      "modified  +0 \u22121  notes.txt",
      "added     +1 \u22120  src/a.ts",
      "+1 \u22121, 2 files",
    ]);
    const json = await s.cli(["diff", "-s", "w1", "--json"]);
    assert.equal(json.code, 0);
    const diff = JSON.parse(json.out[0]);
    assert.equal(diff.sessionId, "w1");
    assert.equal(diff.branch, "aimax/w1");
    assert.equal(diff.path, s.worktree.path);
    assert.equal(diff.baseCommit, s.worktree.baseCommit);
    assert.equal(diff.shortStat, "+1 \u22121, 2 files");
    assert.deepEqual(
      diff.files.map((f: { path: string; status: string }) => [
        f.path,
        f.status,
      ]),
      [["notes.txt", "modified"], ["src/a.ts", "added"]],
    );
    assert.deepEqual(diff.files[0].hunks[0].lines, [" one", "-two", " three"]);
    assert.equal(diff.truncated, false);
  });
});

Deno.test("cli diff: nothing changed prints nothing on stdout (says so on stderr); --stat the zero count", async () => {
  await withWorktreeSession(async (s) => {
    const run = await s.cli(["diff", "-s", "w1"]);
    assert.equal(run.code, 0);
    assert.deepEqual(run.out, []);
    assert.deepEqual(run.err, [
      `no changes on aimax/w1 since ${s.worktree.baseCommit.slice(0, 8)}`,
    ]);
    const stat = await s.cli(["diff", "-s", "w1", "--stat"]);
    assert.deepEqual(stat.out, ["+0 \u22120, 0 files"]);
  });
});

Deno.test("cli diff: a session without a worktree is bad input (exit 2) saying how to get one", async () => {
  await withWorktreeSession(async (s) => {
    await new StateStore(s.data).put(
      bareRecord("plain", "tmux-claude-code", join(s.dir, "my repo")),
    );
    const run = await s.cli(["diff", "-s", "plain", "--json"]);
    assert.equal(run.code, 2);
    assert.match(
      run.err[0],
      /^aimax: session "plain" has no worktree .*--worktree/,
    );
    assert.equal(JSON.parse(run.out[0]).error.code, "invalid_input");
    const missing = await s.cli(["diff", "-b", "tmux-claude-code"]);
    assert.equal(missing.code, 2);
    assert.match(missing.err[0], /--session is required/);
  });
});
