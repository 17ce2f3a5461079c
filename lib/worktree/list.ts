/**
 * The worktrees a repository knows (`git worktree list --porcelain -z`).
 *
 * @module
 */
import { runGit } from "./git.ts";

/**
 * One worktree as git lists it.
 *
 * @example
 * ```ts
 * import { listWorktrees, type WorktreeEntry } from "./list.ts";
 * const entries: WorktreeEntry[] = await listWorktrees("/src/app");
 * console.log(entries.map((e) => `${e.path} ${e.branch ?? "(detached)"}`));
 * ```
 */
export interface WorktreeEntry {
  /** Its folder (absolute). */
  path: string;
  /** The commit checked out (`undefined` before the first commit). */
  head: string | undefined;
  /** The branch checked out, short (`aimax/s1`); `undefined` when detached. */
  branch: string | undefined;
  /** Why it is locked (`""`: no reason given); `undefined` when not locked. */
  locked: string | undefined;
  /** Why git would prune it (its folder is gone); `undefined` otherwise. */
  prunable: string | undefined;
  /** Whether it is the repository's main working tree (listed first). */
  main: boolean;
}

/**
 * The worktrees of the repository `cwd` belongs to, the main one first.
 *
 * @example
 * ```ts
 * import { listWorktrees } from "./list.ts";
 * const linked = (await listWorktrees("/src/app")).filter((w) => !w.main);
 * ```
 * @param cwd a directory of the repository
 * @param options `timeoutMs` of the git call
 */
export async function listWorktrees(
  cwd: string,
  options: { timeoutMs?: number } = {},
): Promise<WorktreeEntry[]> {
  const out = await runGit(["worktree", "list", "--porcelain", "-z"], {
    cwd,
    ...options,
  });
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of out.split("\0")) {
    if (field === "") {
      current = undefined;
      continue;
    }
    const space = field.indexOf(" ");
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? "" : field.slice(space + 1);
    if (key === "worktree") {
      current = {
        path: value,
        head: undefined,
        branch: undefined,
        locked: undefined,
        prunable: undefined,
        main: entries.length === 0,
      };
      entries.push(current);
    } else if (!current) {
      continue;
    } else if (key === "HEAD") {
      current.head = /^0+$/.test(value) ? undefined : value;
    } else if (key === "branch") {
      current.branch = value.replace(/^refs\/heads\//, "");
    } else if (key === "locked") {
      current.locked = value;
    } else if (key === "prunable") {
      current.prunable = value;
    }
  }
  return entries;
}

/** Whether `a` and `b` name one folder (both resolved when they exist). */
async function samePath(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const [ra, rb] = await Promise.all([
    Deno.realPath(a).catch(() => a),
    Deno.realPath(b).catch(() => b),
  ]);
  return ra === rb;
}

/**
 * The linked worktree of `entries` whose folder is `path` (symbolic links
 * resolved when the folders exist).
 *
 * @example
 * ```ts
 * import { findWorktree, listWorktrees } from "./list.ts";
 * const entry = await findWorktree(await listWorktrees("/src/app"), "/data/worktrees/app-1a2b3c4d/s1");
 * ```
 * @param entries what {@linkcode listWorktrees} returned
 * @param path a worktree's folder
 */
export async function findWorktree(
  entries: readonly WorktreeEntry[],
  path: string,
): Promise<WorktreeEntry | undefined> {
  for (const entry of entries) {
    if (!entry.main && await samePath(entry.path, path)) return entry;
  }
  return undefined;
}
