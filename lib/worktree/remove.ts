/**
 * Removing a session's worktree when the session ends: a clean worktree
 * whose work is merged goes (its branch stays); one with uncommitted or
 * unmerged work is kept unless the caller says to discard it, and then
 * its branch goes too.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { DirtyTreeError, WorktreeBusyError } from "./errors.ts";
import { execGit, runGit } from "./git.ts";
import { findWorktree, listWorktrees } from "./list.ts";
import { type WorktreeStatus, worktreeStatus } from "./status.ts";

/**
 * Options of {@linkcode removeWorktree}.
 *
 * @example
 * ```ts
 * import type { RemoveWorktreeOptions } from "./remove.ts";
 * const options: RemoveWorktreeOptions = {
 *   repo: "/src/app", branch: "aimax/s1", mainBranch: "main",
 * };
 * ```
 */
export interface RemoveWorktreeOptions {
  /** The repository's main tree (where git runs). */
  repo: string;
  /** The worktree's branch: deleted with `discard`, kept otherwise. */
  branch: string;
  /** The branch its work is merged into (what "unmerged" is measured against). */
  mainBranch: string;
  /** Remove it (and delete its branch) even with uncommitted or unmerged work. */
  discard?: boolean;
  /** Time limit of each git call. */
  timeoutMs?: number;
}

/**
 * What {@linkcode removeWorktree} did.
 *
 * @example
 * ```ts
 * import { removeWorktree, type RemovedWorktree } from "./remove.ts";
 * const removed: RemovedWorktree = await removeWorktree("/data/worktrees/app-1a2b3c4d/s1", {
 *   repo: "/src/app", branch: "aimax/s1", mainBranch: "main",
 * });
 * ```
 */
export interface RemovedWorktree {
  /** Whether git still listed the worktree (`false`: it was gone already). */
  removed: boolean;
  /** Whether its branch was deleted (only with `discard`). */
  branchDeleted: boolean;
  /** What it held when it was removed (`undefined` when its folder was gone). */
  status: WorktreeStatus | undefined;
}

/** The one line saying what a worktree holds that removing it would lose. */
function unsaved(path: string, status: WorktreeStatus, main: string): string {
  const count = (n: number, what: string) =>
    `${n} ${what}${n === 1 ? "" : "s"}`;
  const parts: string[] = [];
  if (status.dirty) parts.push(count(status.files.length, "uncommitted file"));
  if (!status.merged) {
    parts.push(
      `${count(status.unmergedCommits, "commit")} not merged into ${main}`,
    );
  }
  return `the worktree ${path} has ${
    parts.join(" and ")
  }; it is kept (merge it, or remove it with discard)`;
}

/**
 * Removes the worktree at `path`. Without `discard`, a worktree with
 * uncommitted changes (untracked files included) or commits that
 * `mainBranch` lacks is refused (`dirty_tree`) and kept; a clean one is
 * removed with `git worktree remove` (no force) and its branch kept. With
 * `discard`, it is removed whatever it holds (`--force`) and its branch
 * deleted. A worktree whose folder is gone is pruned. A locked worktree
 * is refused (`worktree_busy`).
 *
 * @example
 * ```ts
 * import { removeWorktree } from "./remove.ts";
 * await removeWorktree("/data/worktrees/app-1a2b3c4d/s1", {
 *   repo: "/src/app", branch: "aimax/s1", mainBranch: "main", discard: true,
 * });
 * ```
 * @param path the worktree's folder
 * @param options the repository, branches, `discard`
 * @throws {DirtyTreeError} when it holds work and `discard` is not set
 * @throws {WorktreeBusyError} when it is locked or not a worktree of `repo`
 * @throws {GitError} when git fails
 */
export async function removeWorktree(
  path: string,
  options: RemoveWorktreeOptions,
): Promise<RemovedWorktree> {
  if (options.branch.startsWith("-")) {
    throw new InputError(`"${options.branch}" is not a branch`);
  }
  const call = { cwd: options.repo, timeoutMs: options.timeoutMs };
  const entry = await findWorktree(
    await listWorktrees(options.repo, options),
    path,
  );
  const folder = await Deno.stat(path).catch(() => undefined);
  if (!entry && folder) {
    throw new WorktreeBusyError(
      `${path} is not a worktree of the repository ${options.repo}`,
    );
  }
  if (entry?.locked !== undefined) {
    throw new WorktreeBusyError(
      `the worktree ${path} is locked${
        entry.locked ? ` (${entry.locked})` : ""
      }; unlock it with \`git worktree unlock\` first`,
    );
  }
  let status: WorktreeStatus | undefined;
  if (entry && folder) {
    status = await worktreeStatus(path, options);
    if (!options.discard && (status.dirty || !status.merged)) {
      throw new DirtyTreeError(
        unsaved(path, status, options.mainBranch),
        status.files,
      );
    }
    await runGit([
      "worktree",
      "remove",
      ...(options.discard ? ["--force"] : []),
      entry.path,
    ], call);
  }
  await runGit(["worktree", "prune"], call);
  let branchDeleted = false;
  if (options.discard) {
    const exists = await execGit(
      ["rev-parse", "--verify", "-q", `refs/heads/${options.branch}`],
      call,
    );
    if (exists.code === 0) {
      await runGit(["branch", "-D", options.branch], call);
      branchDeleted = true;
    }
  }
  return { removed: entry !== undefined, branchDeleted, status };
}
