/**
 * Git worktrees for sessions: each agent on its own branch in its own
 * folder, its changes shown and merged back, nothing lost when it ends.
 * The git core only; git runs through `Deno.Command` (needs
 * `--allow-run=git`, and `sh` for setup commands).
 *
 * @module
 */
export {
  type AddedWorktree,
  type AddStep,
  addWorktree,
  type AddWorktreeOptions,
} from "./add.ts";
export { copyUntracked, relativeInside } from "./copy.ts";
export {
  DIFF_BYTES,
  shortStat,
  type WorktreeDiff,
  worktreeDiff,
} from "./diff.ts";
export {
  BranchExistsError,
  DirtyTreeError,
  GitError,
  MergeConflictError,
  NotARepositoryError,
  SetupError,
  WorktreeBusyError,
} from "./errors.ts";
export { execGit, type GitCallOptions, type GitOutput, runGit } from "./git.ts";
export { identityArgs } from "./identity.ts";
export { type AddIntent, IntentFile, type IntentRecord } from "./intents.ts";
export { listWorktrees, type WorktreeEntry } from "./list.ts";
export {
  type MergeResult,
  type MergeStep,
  mergeWorktree,
  type MergeWorktreeOptions,
} from "./merge.ts";
export type { DiffHunk, FileDiff, FileStatus } from "./patch.ts";
export { killProcessTree } from "./process.ts";
export {
  intentsDir,
  WORKTREE_DIR_ENV,
  worktreePath,
  worktreesDir,
} from "./paths.ts";
export { type RecoveredIntent, recoverIntents } from "./recover.ts";
export {
  type RemovedWorktree,
  removeWorktree,
  type RemoveWorktreeOptions,
} from "./remove.ts";
export { type Repository, repositoryOf } from "./repository.ts";
export { runSetup, type SetupOptions, type SetupResult } from "./setup.ts";
export { worktreeTree } from "./snapshot.ts";
export { changedFiles, type WorktreeStatus, worktreeStatus } from "./status.ts";
export { undoAdd, type UndoneAdd } from "./undo.ts";
