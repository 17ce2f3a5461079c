/**
 * Where aimax keeps worktrees and their intent files: outside the user's
 * working tree, one folder per repository, one worktree per session.
 *
 * @module
 */
import { basename, isAbsolute, join } from "../path.ts";
import { InputError } from "../errors.ts";
import { hexDigest } from "../hash.ts";
import { validateSessionId } from "../inputs.ts";

/** The environment variable that moves the worktrees out of the data dir. */
export const WORKTREE_DIR_ENV = "AIMAX_WORKTREE_DIR";

/**
 * Where the worktrees of a data dir live unless `AIMAX_WORKTREE_DIR` says
 * otherwise: `<dataDir>/worktrees`.
 *
 * @example
 * ```ts
 * import { worktreesDir } from "./paths.ts";
 * worktreesDir("/home/me/.local/share/aimax"); // "/home/me/.local/share/aimax/worktrees"
 * ```
 * @param dataDir the data dir
 */
export function worktreesDir(dataDir: string): string {
  return join(dataDir, "worktrees");
}

/**
 * Where the intent files of unfinished worktree operations lie (always in
 * the data dir, wherever the worktrees are): `<dataDir>/worktrees/.intents`.
 *
 * @example
 * ```ts
 * import { intentsDir } from "./paths.ts";
 * intentsDir("/data"); // "/data/worktrees/.intents"
 * ```
 * @param dataDir the data dir
 */
export function intentsDir(dataDir: string): string {
  return join(worktreesDir(dataDir), ".intents");
}

/**
 * A repository's folder name: its root's base name made safe (letters,
 * digits, `.`, `_`, `-`; not starting with a dot; at most 40 characters),
 * a dash, and the first 4 bytes of the SHA-256 of its root path in hex, so
 * that two repositories of one name get two folders.
 *
 * @example
 * ```ts
 * import { repositoryDirName } from "./paths.ts";
 * await repositoryDirName("/src/my app"); // "my_app-" + 8 hex digits
 * ```
 * @param repoRoot the repository's root (absolute)
 */
export async function repositoryDirName(repoRoot: string): Promise<string> {
  const name = basename(repoRoot).replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/^\.+/, "").slice(0, 40) || "repo";
  return `${name}-${await hexDigest(repoRoot, { bytes: 4 })}`;
}

/**
 * Where a session's worktree of `repoRoot` goes:
 * `<dataDir>/worktrees/<repo name>-<short hash of its path>/<session id>`,
 * or the same under `worktreeDir` (the value of `AIMAX_WORKTREE_DIR`) when
 * it is given.
 *
 * @example
 * ```ts
 * import { worktreePath } from "./paths.ts";
 * await worktreePath("/src/app", "s1", { dataDir: "/data" });
 * // "/data/worktrees/app-1a2b3c4d/s1"
 * await worktreePath("/src/app", "s1", { dataDir: "/data", worktreeDir: "/wt" });
 * // "/wt/app-1a2b3c4d/s1"
 * ```
 * @param repoRoot the repository's root (absolute)
 * @param sessionId the session id
 * @param options `dataDir`; `worktreeDir`, an absolute folder replacing `<dataDir>/worktrees`
 * @throws {InputError} for a bad session id or a relative folder
 */
export async function worktreePath(
  repoRoot: string,
  sessionId: string,
  options: { dataDir: string; worktreeDir?: string },
): Promise<string> {
  validateSessionId(sessionId);
  if (!isAbsolute(repoRoot)) {
    throw new InputError(`the repository root must be absolute: ${repoRoot}`);
  }
  const dir = options.worktreeDir || worktreesDir(options.dataDir);
  if (!isAbsolute(dir)) {
    throw new InputError(
      `${WORKTREE_DIR_ENV} must be an absolute folder, got "${dir}"`,
    );
  }
  return join(dir, await repositoryDirName(repoRoot), sessionId);
}
