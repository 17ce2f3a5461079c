/**
 * A session's changes against its base: committed, uncommitted and
 * untracked (not ignored) files, as one diff: the base against the
 * worktree's files as a tree ({@linkcode worktreeTree}, made through a
 * temporary index), so the worktree's own index, and what the agent
 * staged, stay untouched.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { GitError } from "./errors.ts";
import { execGit, runGit } from "./git.ts";
import {
  type FileDiff,
  parseNameStatus,
  parseNumstat,
  patchSections,
} from "./patch.ts";
import { worktreeTree } from "./snapshot.ts";

/** The most bytes of patch a diff keeps unless told otherwise: 4 MiB. */
export const DIFF_BYTES = 4 * 1024 * 1024;

/**
 * A worktree's changes against its base.
 *
 * @example
 * ```ts
 * import { type WorktreeDiff, worktreeDiff } from "./diff.ts";
 * const diff: WorktreeDiff = await worktreeDiff("/data/worktrees/app-1a2b3c4d/s1", "0123abcd");
 * for (const file of diff.files) console.log(file.status, file.path);
 * ```
 */
export interface WorktreeDiff {
  /** The commit compared against. */
  baseCommit: string;
  /** The changed files, in git's order. */
  files: FileDiff[];
  /** Lines added, all files. */
  additions: number;
  /** Lines removed, all files. */
  deletions: number;
  /** `+12 −3, 2 files`. */
  shortStat: string;
  /** The diff as `git diff` prints it (its first `maxBytes` when `truncated`). */
  patchText: string;
  /**
   * Whether the patch was longer than `maxBytes`: `patchText` stops at a
   * line's end, and files past it have no hunks (their counts are whole).
   */
  truncated: boolean;
}

/**
 * The short change count of a diff: `+12 −3, 2 files` (a real minus sign).
 *
 * @example
 * ```ts
 * import { shortStat } from "./diff.ts";
 * shortStat({ additions: 12, deletions: 3, files: 2 }); // "+12 −3, 2 files"
 * shortStat({ additions: 1, deletions: 0, files: 1 }); // "+1 −0, 1 file"
 * ```
 * @param counts lines added and removed, files changed
 */
export function shortStat(
  counts: { additions: number; deletions: number; files: number },
): string {
  return `+${counts.additions} \u2212${counts.deletions}, ${counts.files} file${
    counts.files === 1 ? "" : "s"
  }`;
}

/**
 * The changes of the worktree at `path` against `baseCommit`: commits on
 * its branch, staged and unstaged changes and untracked files alike,
 * renames found. Git writes the new files' contents to the object store
 * (as `git add` does) but nothing else in the repository changes.
 *
 * @example
 * ```ts
 * import { worktreeDiff } from "./diff.ts";
 * const diff = await worktreeDiff("/data/worktrees/app-1a2b3c4d/s1", "0123abcd", {
 *   maxBytes: 1024 * 1024,
 * });
 * console.log(diff.shortStat);
 * console.log(diff.patchText);
 * ```
 * @param path the worktree's root
 * @param baseCommit the commit to compare with
 * @param options `maxBytes` of patch kept; `timeoutMs` of each git call
 * @throws {GitError} when git fails (an unknown base, a folder that is not a worktree)
 */
export async function worktreeDiff(
  path: string,
  baseCommit: string,
  options: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<WorktreeDiff> {
  if (baseCommit.startsWith("-")) {
    throw new InputError(`"${baseCommit}" is not a commit`);
  }
  const maxBytes = options.maxBytes ?? DIFF_BYTES;
  const call = { cwd: path, timeoutMs: options.timeoutMs };
  const base = (await runGit(
    ["rev-parse", "--verify", "--end-of-options", `${baseCommit}^{commit}`],
    call,
  )).trim();
  const tree = await worktreeTree(path, options);
  const diff = [
    "diff",
    "--find-renames",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
  ];
  const files = parseNameStatus(
    await runGit([...diff, "--name-status", "-z", base, tree], call),
  );
  const counts = parseNumstat(
    await runGit([...diff, "--numstat", "-z", base, tree], call),
  );
  const patchArgs = [
    ...diff,
    "--no-color",
    "--unified=3",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    base,
    tree,
  ];
  const patch = await execGit(patchArgs, { ...call, maxOutputBytes: maxBytes });
  if (!patch.truncated && patch.code !== 0) {
    throw new GitError(patchArgs, patch.code, patch.stderr);
  }
  const patchText = patch.truncated
    ? patch.stdout.slice(0, patch.stdout.lastIndexOf("\n") + 1)
    : patch.stdout;
  const sections = patchSections(patchText);
  files.forEach((file, i) => {
    const count = counts[i];
    file.binary = count !== undefined && count.additions === undefined;
    file.additions = count?.additions ?? 0;
    file.deletions = count?.deletions ?? 0;
    file.hunks = sections[i]?.hunks ?? [];
    file.binary ||= sections[i]?.binary ?? false;
  });
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return {
    baseCommit: base,
    files,
    additions,
    deletions,
    shortStat: shortStat({ additions, deletions, files: files.length }),
    patchText,
    truncated: patch.truncated,
  };
}
