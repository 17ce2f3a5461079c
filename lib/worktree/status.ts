/**
 * What a tree holds that is not committed, and what a worktree's branch
 * holds that its main branch does not: what removing the worktree or
 * merging it would have to care about.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { GitError } from "./errors.ts";
import { execGit, runGit } from "./git.ts";

/**
 * The files of the tree at `cwd` that differ from its HEAD (staged or
 * not), relative to the tree's root; with `untracked`, untracked files
 * (not ignored ones) too. Reads only: git takes no lock.
 *
 * @example
 * ```ts
 * import { changedFiles } from "./status.ts";
 * const dirty = await changedFiles("/src/app", { untracked: false });
 * if (dirty.length > 0) console.log("uncommitted:", dirty);
 * ```
 * @param cwd the tree's root (or a folder in it)
 * @param options `untracked`: count untracked files; `timeoutMs` of the git call
 */
export async function changedFiles(
  cwd: string,
  options: { untracked: boolean; timeoutMs?: number },
): Promise<string[]> {
  const out = await runGit([
    "status",
    "--porcelain=v1",
    "-z",
    `--untracked-files=${options.untracked ? "all" : "no"}`,
    "--ignore-submodules=none",
  ], { cwd, timeoutMs: options.timeoutMs });
  const fields = out.split("\0");
  const files: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.length < 4) continue;
    files.push(field.slice(3));
    // A rename or copy is followed by the name it had.
    if (field[0] === "R" || field[0] === "C") i++;
  }
  return files;
}

/**
 * What a worktree holds that removing it would put out of reach.
 *
 * @example
 * ```ts
 * import { type WorktreeStatus, worktreeStatus } from "./status.ts";
 * const status: WorktreeStatus = await worktreeStatus("/data/worktrees/app-1a2b3c4d/s1", {
 *   mainBranch: "main",
 * });
 * if (status.dirty || !status.merged) console.log("keep it");
 * ```
 */
export interface WorktreeStatus {
  /** Whether it has uncommitted changes or untracked files. */
  dirty: boolean;
  /** Those files, relative to the worktree. */
  files: string[];
  /** Commits of its HEAD that `mainBranch` does not have. */
  unmergedCommits: number;
  /**
   * Whether `mainBranch` holds all its committed work: no such commits, or
   * merging them would not change `mainBranch`'s files (after a squash).
   */
  merged: boolean;
}

/**
 * The {@linkcode WorktreeStatus} of the worktree at `path` against
 * `mainBranch` (the branch, or any commit-ish, its work goes into).
 *
 * @example
 * ```ts
 * import { worktreeStatus } from "./status.ts";
 * const { dirty, unmergedCommits } = await worktreeStatus("/data/worktrees/app-1a2b3c4d/s1", {
 *   mainBranch: "main",
 * });
 * ```
 * @param path the worktree's folder
 * @param options `mainBranch`; `timeoutMs` of each git call
 * @throws {InputError} when `mainBranch` looks like an option
 */
export async function worktreeStatus(
  path: string,
  options: { mainBranch: string; timeoutMs?: number },
): Promise<WorktreeStatus> {
  if (options.mainBranch.startsWith("-")) {
    throw new InputError(`"${options.mainBranch}" is not a branch`);
  }
  const call = { cwd: path, timeoutMs: options.timeoutMs };
  const files = await changedFiles(path, {
    untracked: true,
    timeoutMs: options.timeoutMs,
  });
  const unmergedCommits = Number(
    await runGit([
      "rev-list",
      "--count",
      "HEAD",
      "--not",
      "--end-of-options",
      options.mainBranch,
    ], call),
  );
  let merged = unmergedCommits === 0;
  if (!merged) {
    const args = [
      "merge-tree",
      "--write-tree",
      "--no-messages",
      options.mainBranch,
      "HEAD",
    ];
    const out = await execGit(args, call);
    if (out.code > 1) throw new GitError(args, out.code, out.stderr);
    if (out.code === 0) {
      const mainTree = await runGit([
        "rev-parse",
        "--verify",
        "--end-of-options",
        `${options.mainBranch}^{tree}`,
      ], call);
      merged = out.stdout.split("\n")[0] === mainTree.trim();
    }
  }
  return { dirty: files.length > 0, files, unmergedCommits, merged };
}
