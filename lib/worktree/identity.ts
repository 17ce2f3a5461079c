/**
 * Who commits: the user's own identity when git has one configured, else
 * `aimax <aimax@localhost>`, so that a commit aimax makes (merge, the
 * worktree's uncommitted work) never fails on "Please tell me who you are".
 *
 * @module
 */
import { execGit } from "./git.ts";
import { GitError } from "./errors.ts";

/** The identity used for what git has not configured. */
export const FALLBACK_IDENTITY = {
  name: "aimax",
  email: "aimax@localhost",
} as const;

/** Whether git in `cwd` has `key` configured (any scope but the fixed options). */
async function configured(
  key: string,
  options: { cwd: string; timeoutMs?: number },
): Promise<boolean> {
  const args = ["config", "--get", key];
  const out = await execGit(args, options);
  if (out.code === 0) return out.stdout.trim() !== "";
  if (out.code === 1) return false; // not set
  throw new GitError(args, out.code, out.stderr);
}

/**
 * The `-c` options that give a commit in `cwd` an identity: empty when git
 * has both `user.name` and `user.email` configured, else the fallback for
 * each one missing. (`GIT_AUTHOR_*` / `GIT_COMMITTER_*` in the environment
 * still win over both.)
 *
 * @example
 * ```ts
 * import { identityArgs } from "./identity.ts";
 * import { runGit } from "./git.ts";
 * const cwd = "/src/app";
 * await runGit([...(await identityArgs(cwd)), "commit", "-m", "x"], { cwd });
 * ```
 * @param cwd a directory of the repository
 * @param options `timeoutMs` of each git call
 */
export async function identityArgs(
  cwd: string,
  options: { timeoutMs?: number } = {},
): Promise<string[]> {
  const args: string[] = [];
  if (!await configured("user.name", { cwd, ...options })) {
    args.push("-c", `user.name=${FALLBACK_IDENTITY.name}`);
  }
  if (!await configured("user.email", { cwd, ...options })) {
    args.push("-c", `user.email=${FALLBACK_IDENTITY.email}`);
  }
  return args;
}
