/**
 * What the CLI says about a session's own worktree: where it was made
 * (`create`, `revive`), what became of it (`stop`), what a merge brought
 * into the main tree (`merge`) and its details (`status`). Paths show the
 * home directory as `~`; every text that came from git or a server is made
 * one safe line ({@linkcode oneLine}).
 *
 * @module
 */
import type { SessionMerge, WorktreeOutcome } from "../backend/contract.ts";
import type { SessionWorktree } from "../state.ts";
import { tildePath } from "./path.ts";
import { oneLine } from "./table.ts";

/**
 * Options of the worktree texts.
 *
 * @example
 * ```ts
 * import type { WorktreeTextOptions } from "./worktree.ts";
 * const options: WorktreeTextOptions = { home: "/home/ada" };
 * ```
 */
export interface WorktreeTextOptions {
  /** The home directory, written `~`. */
  readonly home?: string;
}

/** A commit id as people read it: its first 8 characters. */
function shortCommit(commit: unknown): string {
  return oneLine(String(commit ?? "")).slice(0, 8);
}

/** `path` as one safe line, the home directory as `~`. */
function shown(path: unknown, options: WorktreeTextOptions): string {
  return oneLine(tildePath(String(path ?? ""), options));
}

/**
 * The line `create` and `revive` print under their first one for a
 * session with its own worktree: its folder, its branch and the commit it
 * started from.
 *
 * @example
 * ```ts
 * import { worktreeMadeLine } from "./worktree.ts";
 * worktreeMadeLine({
 *   repo: "/src/app", branch: "aimax/s1", baseCommit: "0123abcd4567",
 *   path: "/data/worktrees/app-1a2b3c4d/s1",
 * });
 * // "  worktree: /data/worktrees/app-1a2b3c4d/s1 (branch aimax/s1 from 0123abcd)"
 * ```
 * @param worktree the session's worktree
 * @param options `home`
 */
export function worktreeMadeLine(
  worktree: SessionWorktree,
  options: WorktreeTextOptions = {},
): string {
  return `  worktree: ${shown(worktree.path, options)} (branch ${
    oneLine(String(worktree.branch))
  } from ${shortCommit(worktree.baseCommit)})`;
}

/**
 * The lines `stop` prints for a session's worktree: removed (its branch
 * kept, or deleted with `--discard`), or kept, where, and why, with how
 * to merge or remove it.
 *
 * @example
 * ```ts
 * import { worktreeOutcomeLines } from "./worktree.ts";
 * worktreeOutcomeLines({
 *   path: "/data/worktrees/app-1a2b3c4d/s1", branch: "aimax/s1",
 *   removed: true, branchDeleted: false,
 * });
 * // ["  worktree removed: /data/worktrees/app-1a2b3c4d/s1 (branch aimax/s1 kept)"]
 * ```
 * @param outcome what became of it
 * @param options `home`
 */
export function worktreeOutcomeLines(
  outcome: WorktreeOutcome,
  options: WorktreeTextOptions = {},
): string[] {
  const branch = oneLine(String(outcome.branch));
  const path = shown(outcome.path, options);
  if (outcome.removed) {
    return [
      `  worktree removed: ${path} (branch ${branch} ${
        outcome.branchDeleted ? "deleted" : "kept"
      })`,
    ];
  }
  return [
    `  worktree kept: ${path} (branch ${branch})`,
    ...(outcome.reason ? [`  ${oneLine(outcome.reason)}`] : []),
  ];
}

/**
 * What `merge` prints: which branch went into which, the main tree's
 * commit now, the commit made of uncommitted work, and the files the
 * merge changed, one a line.
 *
 * @example
 * ```ts
 * import { mergeLines } from "./worktree.ts";
 * mergeLines({
 *   sessionId: "s1", branch: "aimax/s1", merged: true, commit: "89abcdef0123",
 *   into: "main", workCommit: undefined, files: ["notes.txt"],
 * });
 * // ["merged aimax/s1 into main: 89abcdef (1 file)", "  notes.txt"]
 * ```
 * @param merge what the merge did
 * @param options `squash`: it was asked as one commit
 */
export function mergeLines(
  merge: SessionMerge,
  options: { readonly squash?: boolean } = {},
): string[] {
  const branch = oneLine(String(merge.branch));
  const into = typeof merge.into === "string" && merge.into !== ""
    ? oneLine(merge.into)
    : "HEAD (detached)";
  const commit = shortCommit(merge.commit);
  if (!merge.merged) {
    return [`nothing to merge: ${into} has all of ${branch} (${commit})`];
  }
  const files = Array.isArray(merge.files) ? merge.files : [];
  const lines = [
    `${
      options.squash ? "squash-merged" : "merged"
    } ${branch} into ${into}: ${commit} (${files.length} file${
      files.length === 1 ? "" : "s"
    })`,
  ];
  if (merge.workCommit) {
    lines.push(
      `  committed the worktree's uncommitted work first: ${
        shortCommit(merge.workCommit)
      }`,
    );
  }
  for (const file of files) lines.push(`  ${oneLine(String(file))}`);
  return lines;
}

/**
 * The detail lines `status` prints for a session with its own worktree:
 * its folder, its branch with the change count, the repository it merges
 * into.
 *
 * @example
 * ```ts
 * import { worktreeDetails } from "./worktree.ts";
 * worktreeDetails({
 *   repo: "/src/app", branch: "aimax/s1", baseCommit: "0123abcd",
 *   path: "/data/worktrees/app-1a2b3c4d/s1", mainBranch: "main", changes: "+1 −0, 1 file",
 * });
 * // [["worktree", "/data/worktrees/app-1a2b3c4d/s1"],
 * //  ["branch", "aimax/s1 (+1 −0, 1 file since 0123abcd)"],
 * //  ["repository", "/src/app (main)"]]
 * ```
 * @param worktree the status's worktree
 * @param options `home`
 */
export function worktreeDetails(
  worktree: SessionWorktree & { changes?: string },
  options: WorktreeTextOptions = {},
): [string, string][] {
  const since = shortCommit(worktree.baseCommit);
  const changes = typeof worktree.changes === "string"
    ? `${oneLine(worktree.changes)} since ${since}`
    : `changes unknown; from ${since}`;
  return [
    ["worktree", shown(worktree.path, options)],
    ["branch", `${oneLine(String(worktree.branch))} (${changes})`],
    [
      "repository",
      `${shown(worktree.repo, options)}${
        worktree.mainBranch ? ` (${oneLine(String(worktree.mainBranch))})` : ""
      }`,
    ],
  ];
}
