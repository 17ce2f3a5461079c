import assert from "node:assert/strict";
import * as worktree from "../../lib/worktree/mod.ts";

Deno.test("worktree mod: the git core's operations are all reachable from one module", () => {
  const operations = [
    "addWorktree",
    "changedFiles",
    "copyUntracked",
    "execGit",
    "identityArgs",
    "listWorktrees",
    "mergeWorktree",
    "recoverIntents",
    "removeWorktree",
    "repositoryOf",
    "runGit",
    "runSetup",
    "shortStat",
    "undoAdd",
    "worktreeDiff",
    "worktreePath",
    "worktreeStatus",
    "worktreeTree",
  ];
  for (const name of operations) {
    assert.equal(
      typeof (worktree as Record<string, unknown>)[name],
      "function",
      name,
    );
  }
  const codes = [
    new worktree.GitError([], 1, "").code,
    new worktree.NotARepositoryError("/", "").code,
    new worktree.BranchExistsError("b").code,
    new worktree.WorktreeBusyError("").code,
    new worktree.DirtyTreeError("", []).code,
    new worktree.MergeConflictError("b", "m", []).code,
    new worktree.SetupError("").code,
  ];
  assert.deepEqual(codes, [
    "git_failed",
    "not_a_repository",
    "branch_exists",
    "worktree_busy",
    "dirty_tree",
    "merge_conflict",
    "setup_failed",
  ]);
});
