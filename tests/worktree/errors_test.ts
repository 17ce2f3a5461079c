import assert from "node:assert/strict";
import { AimaxError } from "../../lib/errors.ts";
import {
  BranchExistsError,
  DirtyTreeError,
  GitError,
  listFiles,
  MergeConflictError,
  NotARepositoryError,
  oneLine,
  SetupError,
  WorktreeBusyError,
} from "../../lib/worktree/errors.ts";

Deno.test("worktree errors: oneLine takes control characters and line breaks out, and clips", () => {
  assert.equal(
    oneLine("fatal: bad\r\n\x1b[31mred\x1b[0m\tthing\x07\n", 100),
    "fatal: bad [31mred [0m thing",
  );
  assert.equal(oneLine("abcdef", 3), "abc…");
  assert.equal(oneLine("\u009b2J x", 10), "2J x");
});

Deno.test("worktree errors: each class has its code and is an AimaxError", () => {
  const cases: [AimaxError, string][] = [
    [new GitError(["status"], 128, "fatal: x"), "git_failed"],
    [new NotARepositoryError("/tmp", "no"), "not_a_repository"],
    [new BranchExistsError("aimax/s1"), "branch_exists"],
    [new WorktreeBusyError("taken"), "worktree_busy"],
    [new DirtyTreeError("dirty", ["a"]), "dirty_tree"],
    [new MergeConflictError("b", "main", ["f"]), "merge_conflict"],
    [new SetupError("failed"), "setup_failed"],
  ];
  for (const [error, code] of cases) {
    assert.ok(error instanceof AimaxError, code);
    assert.equal(error.code, code);
  }
});

Deno.test("worktree errors: a git failure is one line with git's stderr sanitised", () => {
  const error = new GitError(
    ["worktree", "add", "/x\ny", "b"],
    128,
    "fatal: '/x' already exists\nhint: \x1b]0;title\x07 more\n",
  );
  assert.ok(!error.message.includes("\n"), error.message);
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\x00-\x1f]/.test(error.message), error.message);
  assert.match(
    error.message,
    /^git worktree add \/x y b failed \(exit 128\): fatal: '\/x' already exists hint: \]0;title more$/,
  );
  assert.equal(error.exitCode, 128);
  assert.deepEqual(error.argv, ["worktree", "add", "/x\ny", "b"]);
});

Deno.test("worktree errors: a long argv shows its first arguments and how many more", () => {
  const args = Array.from({ length: 12 }, (_, i) => `a${i}`);
  const error = new GitError(args, 1, "");
  assert.match(
    error.message,
    /a7 … \(4 more arguments\) failed \(exit 1\): no output$/,
  );
});

Deno.test("worktree errors: file lists name ten files then how many more", () => {
  const files = Array.from({ length: 13 }, (_, i) => `f${i}`);
  assert.equal(listFiles(files.slice(0, 2)), "f0, f1");
  assert.match(listFiles(files), /f9 and 3 more$/);
  const dirty = new DirtyTreeError("the main tree /r has uncommitted changes", [
    "a.ts",
    "b.ts",
  ]);
  assert.equal(
    dirty.message,
    "the main tree /r has uncommitted changes: a.ts, b.ts",
  );
  assert.deepEqual(dirty.files, ["a.ts", "b.ts"]);
  const conflict = new MergeConflictError("aimax/s2", "main", ["notes.txt"]);
  assert.equal(
    conflict.message,
    "merging aimax/s2 into main would conflict in notes.txt; nothing was changed",
  );
});

Deno.test("worktree errors: a setup failure keeps its exit code and last output lines", () => {
  const error = new SetupError("the setup command exited with 3", {
    exitCode: 3,
    output: ["a", "b"],
  });
  assert.equal(error.exitCode, 3);
  assert.deepEqual(error.output, ["a", "b"]);
  assert.equal(
    error.message,
    "the setup command exited with 3\n--- last output ---\na\nb",
  );
  assert.equal(new SetupError("x").message, "x");
});
