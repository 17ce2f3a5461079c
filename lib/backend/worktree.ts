/**
 * A session's own git worktree, as the engine uses it: made before the
 * agent starts (`create --worktree`), read for `diff` and `status`, merged
 * back (`merge`) and removed or kept when the session stops. The git work
 * itself is `lib/worktree/`; this module ties it to sessions: where the
 * session's log is, which time limits apply, what a record keeps.
 *
 * @module
 */
import { join } from "../path.ts";
import type { SessionWorktree } from "../state.ts";
import type { IntentFile } from "../worktree/intents.ts";
import {
  addWorktree,
  copyUntracked,
  mergeWorktree,
  recoverIntents,
  removeWorktree,
  repositoryOf,
  runSetup,
  undoAdd,
  worktreeDiff,
  worktreePath,
} from "../worktree/mod.ts";
import type { BackendContext } from "./context.ts";
import type {
  MergeOptions,
  SessionDiff,
  SessionMerge,
  WorktreeOptions,
  WorktreeOutcome,
} from "./contract.ts";
import { InputError } from "../errors.ts";

/**
 * A worktree made for a session that is not recorded yet: `keep()` once
 * the session's record holds it, `undo()` when the create fails.
 */
export interface PreparedWorktree {
  /** What the record keeps. */
  worktree: SessionWorktree;
  /** Lets a recovery forget it: the session's record now holds it. */
  keep(): Promise<void>;
  /** Removes it (and the branch it made), as if it had never been. */
  undo(): Promise<void>;
}

/** The most `copy` paths one worktree takes. */
export const MAX_WORKTREE_COPIES = 64;

/** The longest `copy` path, `branch`, `base` or `setup` command. */
export const MAX_WORKTREE_TEXT = 4096;

/**
 * `value` as {@linkcode WorktreeOptions} (`true` for all defaults), or an
 * {@linkcode InputError} saying what is wrong: every way in (library,
 * REST, CLI) passes what it was given through here.
 *
 * @example
 * ```ts
 * import { validateWorktreeOptions } from "./worktree.ts";
 * validateWorktreeOptions({ copy: [".env"] }); // { copy: [".env"] }
 * ```
 * @param value what the caller gave
 */
export function validateWorktreeOptions(value: unknown): WorktreeOptions {
  if (value === true) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(
      "worktree is an object ({branch?, base?, reuseBranch?, copy?, setup?}) or true",
    );
  }
  const given = value as Record<string, unknown>;
  const known = ["branch", "base", "reuseBranch", "copy", "setup"];
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new InputError(
        `worktree has no option "${key.slice(0, 40)}" (known: ${
          known.join(", ")
        })`,
      );
    }
  }
  const text = (key: string): string | undefined => {
    const v = given[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" || v === "" || v.length > MAX_WORKTREE_TEXT) {
      throw new InputError(
        `worktree.${key} is a non-empty string of at most ${MAX_WORKTREE_TEXT} characters`,
      );
    }
    return v;
  };
  const copy = given.copy;
  if (
    copy !== undefined && copy !== null &&
    (!Array.isArray(copy) || copy.length > MAX_WORKTREE_COPIES ||
      copy.some((p) =>
        typeof p !== "string" || p === "" || p.length > MAX_WORKTREE_TEXT
      ))
  ) {
    throw new InputError(
      `worktree.copy is a list of at most ${MAX_WORKTREE_COPIES} paths`,
    );
  }
  const reuse = given.reuseBranch;
  if (reuse !== undefined && reuse !== null && typeof reuse !== "boolean") {
    throw new InputError("worktree.reuseBranch is true or false");
  }
  const options: WorktreeOptions = {};
  const branch = text("branch");
  const base = text("base");
  const setup = text("setup");
  if (branch !== undefined) options.branch = branch;
  if (base !== undefined) options.base = base;
  if (reuse === true) options.reuseBranch = true;
  if (Array.isArray(copy) && copy.length > 0) {
    options.copy = [...copy as string[]];
  }
  if (setup !== undefined) options.setup = setup;
  return options;
}

/**
 * The log of session `sessionId`: what its `--setup` printed.
 *
 * @param ctx the backend
 * @param sessionId the session
 */
export function sessionLogPath(ctx: BackendContext, sessionId: string): string {
  return join(ctx.config.dataDir, "logs", ctx.name, `${sessionId}.log`);
}

/**
 * Makes session `sessionId`'s worktree from the repository `cwd` is in:
 * the branch, the copies, the setup command. A failure of any step leaves
 * nothing behind (the worktree removed, a branch it made deleted).
 *
 * @param ctx the backend
 * @param options the session, its folder, what `create` asked for
 */
export async function prepareWorktree(
  ctx: BackendContext,
  options: {
    sessionId: string;
    cwd: string;
    worktree: WorktreeOptions;
    progress: (step: string) => void;
  },
): Promise<PreparedWorktree> {
  const { sessionId, worktree: wanted, progress } = options;
  const dataDir = ctx.config.dataDir;
  const timeoutMs = ctx.timings.gitCallMs;
  await recoverLeftovers(ctx);
  const repo = await repositoryOf(options.cwd, { timeoutMs });
  const path = await worktreePath(repo.root, sessionId, {
    dataDir,
    worktreeDir: ctx.config.worktreeDir || undefined,
  });
  progress(`making a worktree at ${path}`);
  const added = await addWorktree({
    repo: repo.root,
    path,
    sessionId,
    dataDir,
    branch: wanted.branch,
    base: wanted.base,
    reuseBranch: wanted.reuseBranch,
    keepIntent: true,
    timeoutMs,
  });
  const intent: IntentFile | undefined = added.intent;
  const undo = async () => {
    if (intent) {
      await undoAdd(intent.record, { timeoutMs }).catch(() => undefined);
      await intent.clear().catch(() => undefined);
    }
  };
  try {
    if (wanted.copy?.length) {
      progress(`copying ${wanted.copy.join(", ")}`);
      await copyUntracked(repo.root, added.path, { paths: wanted.copy });
    }
    if (wanted.setup) {
      progress(`running the setup command`);
      await runSetup(wanted.setup, {
        cwd: added.path,
        logPath: sessionLogPath(ctx, sessionId),
        timeoutMs: ctx.timings.setupMs,
      });
    }
  } catch (error) {
    await undo();
    throw error;
  }
  return {
    worktree: {
      repo: added.repo,
      branch: added.branch,
      baseCommit: added.baseCommit,
      path: added.path,
      ...(repo.branch ? { mainBranch: repo.branch } : {}),
    },
    keep: async () => await intent?.clear(),
    undo,
  };
}

/**
 * Takes back what a `create --worktree` or a `merge` killed midway left
 * (a worktree, a branch, a half-moved ref): each worktree operation does
 * this first. Nothing to do costs one directory read.
 *
 * @param ctx the backend
 */
export async function recoverLeftovers(ctx: BackendContext): Promise<void> {
  await recoverIntents(ctx.config.dataDir, {
    timeoutMs: ctx.timings.gitCallMs,
  }).catch(() => []);
}

/** The error for a session that has no worktree. */
function noWorktree(sessionId: string): InputError {
  return new InputError(
    `session "${sessionId}" has no worktree of its own (create it with --worktree)`,
  );
}

/**
 * The branch the main tree has checked out now, else the one it had when
 * the worktree was made.
 */
async function mainBranchOf(
  ctx: BackendContext,
  worktree: SessionWorktree,
): Promise<string> {
  const repo = await repositoryOf(worktree.repo, {
    timeoutMs: ctx.timings.gitCallMs,
  }).catch(() => undefined);
  return repo?.branch ?? worktree.mainBranch ?? "HEAD";
}

/**
 * The changes of session `sessionId` against its worktree's base.
 *
 * @param ctx the backend
 * @param record the session's id and worktree
 */
export async function sessionDiff(
  ctx: BackendContext,
  record: { sessionId: string; worktree?: SessionWorktree },
): Promise<SessionDiff> {
  const { worktree } = record;
  if (!worktree) throw noWorktree(record.sessionId);
  await recoverLeftovers(ctx);
  const diff = await worktreeDiff(worktree.path, worktree.baseCommit, {
    timeoutMs: ctx.timings.gitCallMs,
  });
  return {
    sessionId: record.sessionId,
    branch: worktree.branch,
    path: worktree.path,
    ...diff,
  };
}

/**
 * Merges session `sessionId`'s work into the main tree's branch.
 *
 * @param ctx the backend
 * @param record the session's id and worktree
 * @param options `squash`, `message`
 */
export async function sessionMerge(
  ctx: BackendContext,
  record: { sessionId: string; worktree?: SessionWorktree },
  options: MergeOptions = {},
): Promise<SessionMerge> {
  const { worktree } = record;
  if (!worktree) throw noWorktree(record.sessionId);
  await recoverLeftovers(ctx);
  const merged = await mergeWorktree({
    repo: worktree.repo,
    worktree: worktree.path,
    branch: worktree.branch,
    sessionId: record.sessionId,
    squash: options.squash,
    message: options.message,
    timeoutMs: ctx.timings.gitCallMs,
  });
  return { sessionId: record.sessionId, branch: worktree.branch, ...merged };
}

/**
 * What `stop` does with a session's worktree: removes it when it holds
 * nothing unmerged (its branch kept), else keeps it and says where and
 * how to merge or remove it; `discard` removes it and its branch.
 *
 * @param ctx the backend
 * @param record the session's id and worktree
 * @param options `discard`
 */
export async function finishWorktree(
  ctx: BackendContext,
  record: { sessionId: string; worktree: SessionWorktree },
  options: { discard?: boolean } = {},
): Promise<WorktreeOutcome> {
  const { worktree, sessionId } = record;
  await recoverLeftovers(ctx);
  const outcome = { path: worktree.path, branch: worktree.branch };
  try {
    const removed = await removeWorktree(worktree.path, {
      repo: worktree.repo,
      branch: worktree.branch,
      mainBranch: await mainBranchOf(ctx, worktree),
      discard: options.discard,
      timeoutMs: ctx.timings.gitCallMs,
    });
    return {
      ...outcome,
      removed: true,
      branchDeleted: removed.branchDeleted,
    };
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : "";
    return {
      ...outcome,
      removed: false,
      branchDeleted: false,
      reason:
        `${why}; kept: \`aimax merge -s ${sessionId}\` brings it into the main tree, \`aimax stop -s ${sessionId} --discard\` removes it`,
    };
  }
}
