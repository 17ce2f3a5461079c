/**
 * A worktree's files as a git tree: what is there now, tracked changes and
 * untracked files alike (ignored ones left out), written through a
 * temporary index so that the worktree's own index, and what the agent
 * staged, stay untouched.
 *
 * @module
 */
import { join } from "../path.ts";
import { runGit } from "./git.ts";

/**
 * The tree of the worktree at `path` as its files are now, as `git add -A`
 * would stage it. Its blobs are written to the object store (as `git add`
 * writes them); nothing else in the repository changes.
 *
 * @example
 * ```ts
 * import { worktreeTree } from "./snapshot.ts";
 * const tree = await worktreeTree("/data/worktrees/app-1a2b3c4d/s1");
 * ```
 * @param path the worktree's root
 * @param options `timeoutMs` of each git call
 * @returns the tree's object id
 */
export async function worktreeTree(
  path: string,
  options: { timeoutMs?: number } = {},
): Promise<string> {
  const call = { cwd: path, timeoutMs: options.timeoutMs };
  const realIndex = (await runGit(
    ["rev-parse", "--path-format=absolute", "--git-path", "index"],
    call,
  )).trim();
  const tmp = await Deno.makeTempDir({ prefix: "aimax-index-" });
  try {
    const index = join(tmp, "index");
    const withIndex = { ...call, env: { GIT_INDEX_FILE: index } };
    try {
      // With the index's file stats, unchanged files are not read again.
      await Deno.copyFile(realIndex, index);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      await runGit(["read-tree", "HEAD"], withIndex);
    }
    await runGit(["add", "-A"], withIndex);
    return (await runGit(["write-tree"], withIndex)).trim();
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
