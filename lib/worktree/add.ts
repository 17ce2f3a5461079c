/**
 * Adding a session's worktree: a new branch (or, on purpose, an existing
 * one) checked out in a new folder outside the user's working tree. Crash
 * safe: what is about to be created is written to an intent file first,
 * and `recoverIntents` (./recover.ts) takes back whatever part a killed process
 * left behind.
 *
 * @module
 */
import { basename, dirname, isAbsolute, join } from "../path.ts";
import { InputError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";
import { BranchExistsError, GitError, WorktreeBusyError } from "./errors.ts";
import { execGit, runGit } from "./git.ts";
import { type AddIntent, IntentFile } from "./intents.ts";
import { listWorktrees } from "./list.ts";
import { repositoryOf } from "./repository.ts";
import { undoAdd } from "./undo.ts";

/**
 * The steps of {@linkcode addWorktree}, in order, as told to `onStep`
 * after each is done.
 */
export type AddStep = "intent-written" | "branch-created" | "worktree-added";

/**
 * Options of {@linkcode addWorktree}.
 *
 * @example
 * ```ts
 * import type { AddWorktreeOptions } from "./add.ts";
 * const options: AddWorktreeOptions = {
 *   repo: "/src/app", path: "/data/worktrees/app-1a2b3c4d/s1",
 *   sessionId: "s1", dataDir: "/data",
 * };
 * ```
 */
export interface AddWorktreeOptions {
  /** A folder of the repository (its working tree's root is used). */
  repo: string;
  /** The new worktree's folder (absolute; must not exist). */
  path: string;
  /** The session the worktree is for. */
  sessionId: string;
  /** The data dir (intent files go to `<dataDir>/worktrees/.intents`). */
  dataDir: string;
  /** The branch; default `aimax/<sessionId>`. */
  branch?: string;
  /** Where the new branch starts: a commit-ish; default the repository's `HEAD`. */
  base?: string;
  /**
   * Check out `branch` although it exists (its base is then where it
   * forked from `base`); default: an existing branch is refused.
   */
  reuseBranch?: boolean;
  /**
   * Leave the intent file in place (the result's `intent`), so that a
   * crash during what follows (copy, setup, starting the agent) takes the
   * worktree back too; the caller clears it once the session is recorded.
   */
  keepIntent?: boolean;
  /** Time limit of each git call. */
  timeoutMs?: number;
  /** Told each step once it is done (for progress, and fault tests). */
  onStep?: (step: AddStep) => void | Promise<void>;
}

/**
 * A worktree {@linkcode addWorktree} made.
 *
 * @example
 * ```ts
 * import { type AddedWorktree, addWorktree } from "./add.ts";
 * const added: AddedWorktree = await addWorktree({
 *   repo: "/src/app", path: "/data/worktrees/app-1a2b3c4d/s1",
 *   sessionId: "s1", dataDir: "/data",
 * });
 * console.log(added.branch, added.baseCommit);
 * ```
 */
export interface AddedWorktree {
  /** The repository's working tree root (where the add was run). */
  repo: string;
  /** The branch checked out in the worktree. */
  branch: string;
  /** The commit its changes are measured against. */
  baseCommit: string;
  /** The worktree's folder (its parent's symbolic links resolved). */
  path: string;
  /** Whether the branch was created (`false`: an existing one reused). */
  createdBranch: boolean;
  /** The intent file still held, with `keepIntent` (clear it when done). */
  intent?: IntentFile;
}

/** A branch name git accepts as it is (no `@{-1}` or other expansion), not an option. */
async function checkBranchName(
  branch: string,
  call: { cwd: string; timeoutMs?: number },
): Promise<void> {
  const out = branch.startsWith("-")
    ? undefined
    : await execGit(["check-ref-format", "--branch", branch], call);
  if (out?.code !== 0 || out.stdout.trim() !== branch) {
    throw new InputError(`"${branch}" is not a valid branch name`);
  }
}

/** The commit `base` names in the repository. */
async function resolveCommit(
  base: string,
  call: { cwd: string; timeoutMs?: number },
): Promise<string> {
  const out = await execGit([
    "rev-parse",
    "--verify",
    "-q",
    "--end-of-options",
    `${base}^{commit}`,
  ], call);
  if (out.code !== 0) {
    throw new InputError(
      base === "HEAD"
        ? `the repository in ${call.cwd} has no commit yet; commit once before using a worktree`
        : `"${base}" is not a commit of the repository in ${call.cwd}`,
    );
  }
  return out.stdout.trim();
}

/**
 * Adds a worktree for a session: checks the branch name, the base and the
 * folder; writes the intent; creates the branch `aimax/<sessionId>` (or the
 * one given) at the base (`git branch --no-track`), unless an existing one
 * is reused on purpose; checks it out in `path` (`git worktree add`); then
 * removes the intent (unless `keepIntent`). On a failure the part done is
 * taken back before the error is thrown; after a crash,
 * `recoverIntents` (./recover.ts) takes it back.
 *
 * @example
 * ```ts
 * import { addWorktree } from "./add.ts";
 * import { worktreePath } from "./paths.ts";
 * import { repositoryOf } from "./repository.ts";
 * const repo = await repositoryOf("/src/app");
 * const path = await worktreePath(repo.root, "s1", { dataDir: "/data" });
 * const added = await addWorktree({ repo: repo.root, path, sessionId: "s1", dataDir: "/data" });
 * ```
 * @param options what to add where
 * @throws {BranchExistsError} when the branch exists and `reuseBranch` is not set
 * @throws {WorktreeBusyError} when the folder exists or the branch is checked out elsewhere
 * @throws {NotARepositoryError} when `repo` is not in a git repository
 * @throws {InputError} for a bad session id, branch name, base or path
 * @throws {GitError} when git fails (the part done is taken back)
 */
export async function addWorktree(
  options: AddWorktreeOptions,
): Promise<AddedWorktree> {
  validateSessionId(options.sessionId);
  if (!isAbsolute(options.path)) {
    throw new InputError(
      `a worktree's folder must be absolute: ${options.path}`,
    );
  }
  const repo = await repositoryOf(options.repo, options);
  const call = { cwd: repo.root, timeoutMs: options.timeoutMs };
  const branch = options.branch ?? `aimax/${options.sessionId}`;
  await checkBranchName(branch, call);
  if (options.base?.startsWith("-")) {
    throw new InputError(`"${options.base}" is not a commit`);
  }
  const base = await resolveCommit(options.base ?? "HEAD", call);
  const ref = `refs/heads/${branch}`;
  const tip = await execGit(["rev-parse", "--verify", "-q", ref], call);
  const exists = tip.code === 0;
  if (exists && !options.reuseBranch) throw new BranchExistsError(branch);
  if (exists) {
    const holder = (await listWorktrees(repo.root, options)).find((e) =>
      e.branch === branch
    );
    if (holder) {
      throw new WorktreeBusyError(
        `the branch ${branch} is checked out in ${holder.path}; a branch can be checked out in one worktree only`,
      );
    }
  }
  const baseCommit = exists
    ? (await runGit(["merge-base", base, tip.stdout.trim()], call)).trim()
    : base;
  if (await Deno.lstat(options.path).then(() => true, () => false)) {
    throw new WorktreeBusyError(
      `${options.path} exists already; a worktree goes in a new folder`,
    );
  }
  await Deno.mkdir(dirname(options.path), {
    recursive: true,
    mode: PRIVATE_DIR_MODE,
  });
  const path = join(
    await Deno.realPath(dirname(options.path)),
    basename(options.path),
  );
  const plan: AddIntent = {
    kind: "add",
    repo: repo.root,
    path,
    branch,
    baseCommit,
    createsBranch: !exists,
  };
  const intent = await IntentFile.write(options.dataDir, plan);
  try {
    await options.onStep?.("intent-written");
    if (!exists) {
      const args = ["branch", "--no-track", branch, baseCommit];
      const out = await execGit(args, call);
      if (out.code !== 0) {
        // Another process made it meanwhile: it is not ours to undo.
        if (/already exists/.test(out.stderr)) {
          plan.createsBranch = false;
          throw new BranchExistsError(branch);
        }
        throw new GitError(args, out.code, out.stderr);
      }
      await options.onStep?.("branch-created");
    }
    const args = ["worktree", "add", path, branch];
    const out = await execGit(args, call);
    if (out.code !== 0) {
      if (/already checked out|already used by worktree/.test(out.stderr)) {
        throw new WorktreeBusyError(
          `the branch ${branch} is checked out in another worktree`,
        );
      }
      throw new GitError(args, out.code, out.stderr);
    }
    await options.onStep?.("worktree-added");
  } catch (error) {
    try {
      await undoAdd(plan, options);
      await intent.clear();
    } catch {
      // The intent stays for recoverIntents; the first error is the one to tell.
      intent.release();
    }
    throw error;
  }
  if (!options.keepIntent) await intent.clear();
  return {
    repo: repo.root,
    branch,
    baseCommit,
    path,
    createdBranch: !exists,
    ...(options.keepIntent ? { intent } : {}),
  };
}
