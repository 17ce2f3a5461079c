/**
 * Undoing an unfinished worktree add: whatever part of it happened (a
 * branch, a locked half-made worktree entry, a folder) is taken back, so
 * that `git worktree list`, `git status` and `git branch` read as before.
 *
 * @module
 */
import { WorktreeBusyError } from "./errors.ts";
import { execGit, runGit } from "./git.ts";
import type { AddIntent } from "./intents.ts";
import { findWorktree, listWorktrees } from "./list.ts";

/**
 * What {@linkcode undoAdd} did.
 *
 * @example
 * ```ts
 * import type { UndoneAdd } from "./undo.ts";
 * const undone: UndoneAdd = { worktreeRemoved: true, branchDeleted: true };
 * ```
 */
export interface UndoneAdd {
  /** Whether a worktree (its entry or its folder) was there and was removed. */
  worktreeRemoved: boolean;
  /** Whether the branch the add created was deleted. */
  branchDeleted: boolean;
  /** Why a branch the add created was kept (it has commits, or is checked out). */
  branchKept?: string;
}

/**
 * Whether `path` is a folder a worktree add left: empty (made, not yet
 * filled) or with a `.git` file (a linked worktree's). Anything else is
 * not removed, whatever an intent file says.
 */
async function isWorktreeFolder(path: string): Promise<boolean> {
  const info = await Deno.lstat(path).catch(() => undefined);
  if (!info) return false;
  if (!info.isDirectory) {
    throw new WorktreeBusyError(
      `${path} is not a folder; it was not made by aimax and is left as it is`,
    );
  }
  const gitFile = await Deno.lstat(`${path}/.git`).catch(() => undefined);
  if (gitFile?.isFile) return true;
  for await (const _ of Deno.readDir(path)) {
    throw new WorktreeBusyError(
      `${path} holds files but no worktree's .git file; it is left as it is`,
    );
  }
  return true;
}

/**
 * Takes back what an add described by `intent` created: the worktree is
 * removed (`--force`, after unlocking the entry git locks while it is
 * being made), its folder deleted, the entries pruned; the branch is
 * deleted only if the add created it, it still points at its base (no
 * commits of its own) and no worktree has it checked out. Safe to run on
 * any part done, or none.
 *
 * @example
 * ```ts
 * import { undoAdd } from "./undo.ts";
 * const undone = await undoAdd({
 *   kind: "add", repo: "/src/app", path: "/data/worktrees/app-1a2b3c4d/s1",
 *   branch: "aimax/s1", baseCommit: "0123abcd", createsBranch: true,
 * });
 * ```
 * @param intent what the add was to create
 * @param options `timeoutMs` of each git call
 * @throws {WorktreeBusyError} when the worktree is still listed afterwards
 */
export async function undoAdd(
  intent: AddIntent,
  options: { timeoutMs?: number } = {},
): Promise<UndoneAdd> {
  const repoThere = await Deno.stat(intent.repo).then(
    (info) => info.isDirectory,
    () => false,
  );
  let worktreeRemoved = false;
  if (repoThere) {
    const call = { cwd: intent.repo, ...options };
    const entry = await findWorktree(
      await listWorktrees(intent.repo, options),
      intent.path,
    );
    if (entry) {
      worktreeRemoved = true;
      if (entry.locked !== undefined) {
        await runGit(["worktree", "unlock", entry.path], call);
      }
      // Fails when the folder is gone already; the prune below then
      // drops the entry.
      await execGit(["worktree", "remove", "--force", entry.path], call);
    }
    await runGit(["worktree", "prune"], call);
  }
  if (await isWorktreeFolder(intent.path)) {
    // The add refuses a folder that exists, so this one is its own.
    await Deno.remove(intent.path, { recursive: true });
    worktreeRemoved = true;
  }
  if (!repoThere) return { worktreeRemoved, branchDeleted: false };
  const call = { cwd: intent.repo, ...options };
  const entries = await listWorktrees(intent.repo, options);
  if (await findWorktree(entries, intent.path)) {
    throw new WorktreeBusyError(
      `the worktree ${intent.path} is still listed by git after its removal; see \`git worktree list\` in ${intent.repo}`,
    );
  }
  if (!intent.createsBranch) return { worktreeRemoved, branchDeleted: false };
  const ref = `refs/heads/${intent.branch}`;
  const tip = await execGit(["rev-parse", "--verify", "-q", ref], call);
  if (tip.code !== 0) return { worktreeRemoved, branchDeleted: false };
  if (tip.stdout.trim() !== intent.baseCommit) {
    return {
      worktreeRemoved,
      branchDeleted: false,
      branchKept: `${intent.branch} has commits beyond its base`,
    };
  }
  const holder = entries.find((e) => e.branch === intent.branch);
  if (holder) {
    return {
      worktreeRemoved,
      branchDeleted: false,
      branchKept: `${intent.branch} is checked out in ${holder.path}`,
    };
  }
  // Deleted only if it still points at the base (compare-and-delete).
  await runGit(["update-ref", "-d", ref, intent.baseCommit], call);
  return { worktreeRemoved, branchDeleted: true };
}
