/**
 * Bringing a session's work back: its worktree's uncommitted work is
 * committed on its branch, and the branch is merged into the branch
 * checked out in the main tree. Everything is checked and built as
 * objects first (`git merge-tree --write-tree`, `git commit-tree`), with
 * no ref, index or file changed; then the branch takes the work commit,
 * and last the main tree fast-forwards to the built commit (`git merge
 * --ff-only`). So a conflict, a dirty main tree or a crash at any step
 * leaves the main tree as it was, and no half-done merge (`MERGE_HEAD`,
 * conflict markers) is ever left behind.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import {
  DirtyTreeError,
  GitError,
  MergeConflictError,
  WorktreeBusyError,
} from "./errors.ts";
import { execGit, runGit } from "./git.ts";
import { identityArgs } from "./identity.ts";
import { repositoryOf } from "./repository.ts";
import { worktreeTree } from "./snapshot.ts";
import { changedFiles } from "./status.ts";

/**
 * The steps of {@linkcode mergeWorktree}, in order, as told to `onStep`
 * after each is done. Up to `commit-built` nothing has changed but new
 * objects in the object store; `work-committed` moved the worktree's
 * branch; `merged` moved the main tree.
 */
export type MergeStep =
  | "main-checked"
  | "merge-checked"
  | "commit-built"
  | "work-committed"
  | "merged";

/**
 * Options of {@linkcode mergeWorktree}.
 *
 * @example
 * ```ts
 * import type { MergeWorktreeOptions } from "./merge.ts";
 * const options: MergeWorktreeOptions = {
 *   repo: "/src/app", worktree: "/data/worktrees/app-1a2b3c4d/s1",
 *   branch: "aimax/s1", sessionId: "s1", squash: true,
 * };
 * ```
 */
export interface MergeWorktreeOptions {
  /** The main tree (the branch checked out there receives the work). */
  repo: string;
  /** The session's worktree. */
  worktree: string;
  /** The worktree's branch. */
  branch: string;
  /** The session (named in the default messages). */
  sessionId: string;
  /** One commit with the work (parent: the main branch) instead of a merge commit. */
  squash?: boolean;
  /**
   * The message of the commit of the worktree's uncommitted work and of
   * the merge (or squashed) commit; default messages name the session.
   */
  message?: string;
  /** Time limit of each git call. */
  timeoutMs?: number;
  /** Told each step once it is done (for progress, and fault tests). */
  onStep?: (step: MergeStep) => void | Promise<void>;
}

/**
 * What {@linkcode mergeWorktree} did.
 *
 * @example
 * ```ts
 * import { mergeWorktree, type MergeResult } from "./merge.ts";
 * const result: MergeResult = await mergeWorktree({
 *   repo: "/src/app", worktree: "/data/worktrees/app-1a2b3c4d/s1",
 *   branch: "aimax/s1", sessionId: "s1",
 * });
 * console.log(result.merged ? `now at ${result.commit}` : "nothing to merge");
 * ```
 */
export interface MergeResult {
  /** Whether the main branch moved (`false`: it had all the work already). */
  merged: boolean;
  /** The main tree's HEAD afterwards. */
  commit: string;
  /** The branch that received the work (`undefined`: the main tree's HEAD is detached). */
  into: string | undefined;
  /** The commit made of the worktree's uncommitted work, if there was any. */
  workCommit: string | undefined;
  /** The files the merge changed in the main tree. */
  files: string[];
}

/** The tree of `commit`. */
async function treeOf(
  commit: string,
  call: { cwd: string; timeoutMs?: number },
): Promise<string> {
  return (await runGit(["rev-parse", `${commit}^{tree}`], call)).trim();
}

/** The result of a merge that had nothing to bring. */
function unchanged(head: string, branch: string | undefined): MergeResult {
  return {
    merged: false,
    commit: head,
    into: branch,
    workCommit: undefined,
    files: [],
  };
}

/** Splits NUL-separated output into its non-empty fields. */
function fields(out: string): string[] {
  return out.split("\0").filter((f) => f !== "");
}

/**
 * Merges a session's worktree into the main tree:
 * 1. refuses (`dirty_tree`, naming the files) when the main tree has
 *    uncommitted changes to tracked files;
 * 2. takes the worktree's files as they are, untracked ones included, as
 *    a commit on its branch's tip, not yet on the branch ({@linkcode
 *    worktreeTree}, `git commit-tree`);
 * 3. checks the merge without touching the main tree (`git merge-tree
 *    --write-tree`); a conflict is refused (`merge_conflict`, naming the
 *    files);
 * 4. builds the result with `git commit-tree`: a merge commit (parents:
 *    the main HEAD, the work) or, with `squash`, one commit on the main
 *    HEAD; refuses (`dirty_tree`) when it would overwrite untracked files
 *    of the main tree;
 * 5. puts the work commit on the branch (`git update-ref`, only if the
 *    branch has not moved) and brings the worktree's index to it (its
 *    files are already that);
 * 6. moves the main tree to the result with `git merge --ff-only`, which
 *    refuses (changing nothing) if the main tree moved meanwhile.
 * A refusal in steps 1–4 changes nothing in either tree or branch.
 *
 * @example
 * ```ts
 * import { mergeWorktree } from "./merge.ts";
 * await mergeWorktree({
 *   repo: "/src/app", worktree: "/data/worktrees/app-1a2b3c4d/s1",
 *   branch: "aimax/s1", sessionId: "s1", message: "Add the parser",
 * });
 * ```
 * @param options what to merge where
 * @throws {DirtyTreeError} when the main tree has uncommitted changes, or untracked files the merge would overwrite
 * @throws {MergeConflictError} when the merge would conflict
 * @throws {WorktreeBusyError} when the worktree does not have `branch` checked out, or the main tree does
 * @throws {InputError} when the worktree belongs to another repository, or a tree has no commit
 * @throws {GitError} when git fails (a branch or main tree that moved meanwhile)
 */
export async function mergeWorktree(
  options: MergeWorktreeOptions,
): Promise<MergeResult> {
  validateSessionId(options.sessionId);
  const main = await repositoryOf(options.repo, options);
  const work = await repositoryOf(options.worktree, options);
  if (work.commonDir !== main.commonDir) {
    throw new InputError(
      `${work.root} is not a worktree of the repository ${main.root}`,
    );
  }
  if (work.branch !== options.branch) {
    throw new WorktreeBusyError(
      `the worktree ${work.root} has ${
        work.branch ?? "a detached HEAD"
      } checked out, not ${options.branch}`,
    );
  }
  if (main.branch === options.branch || main.root === work.root) {
    throw new WorktreeBusyError(
      `the main tree ${main.root} has ${options.branch} checked out itself; there is nothing to merge it into`,
    );
  }
  if (!main.head) {
    throw new InputError(`the main tree ${main.root} has no commit yet`);
  }
  if (!work.head) {
    throw new InputError(`the worktree ${work.root} has no commit yet`);
  }
  const mainCall = { cwd: main.root, timeoutMs: options.timeoutMs };
  const workCall = { cwd: work.root, timeoutMs: options.timeoutMs };
  const into = main.branch ?? main.head;
  const dirty = await changedFiles(main.root, {
    untracked: false,
    timeoutMs: options.timeoutMs,
  });
  if (dirty.length > 0) {
    throw new DirtyTreeError(
      `the main tree ${main.root} has uncommitted changes; commit or stash them, then merge again`,
      dirty,
    );
  }
  await options.onStep?.("main-checked");

  const tip = work.head;
  const workTree = await worktreeTree(work.root, options);
  const tipTree = await treeOf(tip, workCall);
  const workCommit = workTree === tipTree ? undefined : (await runGit([
    ...await identityArgs(work.root, options),
    "commit-tree",
    workTree,
    "-p",
    tip,
    "-m",
    options.message ??
      `aimax: uncommitted work of session ${options.sessionId}`,
  ], workCall)).trim();
  const workTip = workCommit ?? tip;
  const upToDate = await execGit(
    ["merge-base", "--is-ancestor", workTip, main.head],
    mainCall,
  );
  if (upToDate.code === 0) {
    return unchanged(main.head, main.branch);
  }
  const checkArgs = [
    "merge-tree",
    "--write-tree",
    "--name-only",
    "--no-messages",
    "-z",
    main.head,
    workTip,
  ];
  const check = await execGit(checkArgs, mainCall);
  if (check.code === 1) {
    const [, ...conflicted] = fields(check.stdout);
    throw new MergeConflictError(options.branch, into, [
      ...new Set(conflicted),
    ]);
  }
  if (check.code !== 0) {
    throw new GitError(checkArgs, check.code, check.stderr);
  }
  const tree = fields(check.stdout)[0];
  await options.onStep?.("merge-checked");

  if (options.squash && tree === await treeOf(main.head, mainCall)) {
    return unchanged(main.head, main.branch);
  }
  const message = options.message ??
    (options.squash
      ? `aimax: work of session ${options.sessionId} (${options.branch}, squashed)`
      : `Merge branch '${options.branch}' (aimax session ${options.sessionId})`);
  const commit = (await runGit([
    ...await identityArgs(main.root, options),
    "commit-tree",
    tree,
    "-p",
    main.head,
    ...(options.squash ? [] : ["-p", workTip]),
    "-m",
    message,
  ], mainCall)).trim();
  const files = fields(
    await runGit([
      "diff",
      "--name-only",
      "-z",
      "--no-renames",
      main.head,
      commit,
    ], mainCall),
  );
  // The tracked files were clean: what is listed now is untracked.
  const untracked = new Set(
    await changedFiles(main.root, {
      untracked: true,
      timeoutMs: options.timeoutMs,
    }),
  );
  const overwritten = files.filter((f) => untracked.has(f));
  if (overwritten.length > 0) {
    throw new DirtyTreeError(
      `the main tree ${main.root} has untracked files the merge would overwrite; move them away, then merge again`,
      overwritten,
    );
  }
  await options.onStep?.("commit-built");

  if (workCommit) {
    // Only if the branch is still where its files were read from.
    await runGit([
      "update-ref",
      "-m",
      `aimax: uncommitted work of session ${options.sessionId}`,
      `refs/heads/${options.branch}`,
      workCommit,
      tip,
    ], mainCall);
    // The worktree's files are the commit's: its index follows (mixed reset).
    await runGit(["reset", "-q"], workCall);
  }
  await options.onStep?.("work-committed");

  await runGit(["merge", "--ff-only", "-q", commit], mainCall);
  await options.onStep?.("merged");
  return { merged: true, commit, into: main.branch, workCommit, files };
}
