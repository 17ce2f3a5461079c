/**
 * The git repository a directory belongs to: its working tree's root,
 * its common git directory, the commit and branch checked out.
 *
 * @module
 */
import { GitError, NotARepositoryError } from "./errors.ts";
import { execGit } from "./git.ts";

/**
 * A working tree of a git repository, as found from a directory in it.
 *
 * @example
 * ```ts
 * import { type Repository, repositoryOf } from "./repository.ts";
 * const repo: Repository = await repositoryOf("/src/app/lib");
 * console.log(repo.root, repo.branch ?? "(detached)");
 * ```
 */
export interface Repository {
  /** The root of the working tree (absolute, symbolic links resolved). */
  root: string;
  /** The git directory all its worktrees share (absolute). */
  commonDir: string;
  /** The commit checked out; `undefined` in a repository with no commit yet. */
  head: string | undefined;
  /** The branch checked out (`main`); `undefined` when HEAD is detached. */
  branch: string | undefined;
}

/**
 * The repository whose working tree holds `cwd`.
 *
 * @example
 * ```ts
 * import { repositoryOf } from "./repository.ts";
 * const { root, head } = await repositoryOf(Deno.cwd());
 * ```
 * @param cwd a directory
 * @param options `timeoutMs` of each git call
 * @throws {NotARepositoryError} when `cwd` is missing, not in a git
 *   repository, or in a git directory or bare repository (no working tree)
 */
export async function repositoryOf(
  cwd: string,
  options: { timeoutMs?: number } = {},
): Promise<Repository> {
  const info = await Deno.stat(cwd).catch(() => undefined);
  if (!info?.isDirectory) throw new NotARepositoryError(cwd, "no such folder");
  const call = { cwd, ...options };
  const paths = await execGit([
    "rev-parse",
    "--path-format=absolute",
    "--show-toplevel",
    "--git-common-dir",
  ], call);
  const [root, commonDir] = paths.stdout.split("\n");
  if (paths.code !== 0 || !root || !commonDir) {
    throw new NotARepositoryError(
      cwd,
      paths.stderr.replace(/^fatal: /, "") || "no working tree",
    );
  }
  const head = await execGit(
    ["rev-parse", "--verify", "-q", "HEAD^{commit}"],
    call,
  );
  const branchArgs = ["symbolic-ref", "-q", "--short", "HEAD"];
  const branch = await execGit(branchArgs, call);
  // Exit 1: HEAD is detached; anything else is a failure.
  if (branch.code > 1) {
    throw new GitError(branchArgs, branch.code, branch.stderr);
  }
  return {
    root,
    commonDir,
    head: head.code === 0 ? head.stdout.trim() : undefined,
    branch: branch.code === 0 ? branch.stdout.trim() : undefined,
  };
}
