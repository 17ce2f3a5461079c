/**
 * Recovery after a crash: every intent file whose writer died is undone
 * and removed, so that a SIGKILL at any step of a worktree add leaves the
 * repository as it was once this has run.
 *
 * @module
 */
import { type IntentRecord, staleIntents } from "./intents.ts";
import { undoAdd, type UndoneAdd } from "./undo.ts";

/**
 * What {@linkcode recoverIntents} did with one intent file.
 *
 * @example
 * ```ts
 * import type { RecoveredIntent } from "./recover.ts";
 * const done: RecoveredIntent = {
 *   file: "/data/worktrees/.intents/m0x1-ab12cd34.json",
 *   undone: { worktreeRemoved: true, branchDeleted: true },
 * };
 * ```
 */
export interface RecoveredIntent {
  /** The intent file (removed when `undone` is set). */
  file: string;
  /** What it said (absent when it could not be read). */
  intent?: IntentRecord;
  /** What was taken back. */
  undone?: UndoneAdd;
  /** Why it could not be undone (the file is kept for a later attempt). */
  error?: string;
}

/**
 * Undoes the operations of `dataDir` that died half-way (their intent
 * files are unlocked), removing each intent file once undone. Operations
 * of live processes are left alone. An intent that cannot be undone (or
 * read) is kept and reported.
 *
 * @example
 * ```ts
 * import { recoverIntents } from "./recover.ts";
 * for (const r of await recoverIntents("/home/me/.local/share/aimax")) {
 *   console.error(r.error ?? `undid ${r.intent?.path}`);
 * }
 * ```
 * @param dataDir the data dir
 * @param options `timeoutMs` of each git call
 */
export async function recoverIntents(
  dataDir: string,
  options: { timeoutMs?: number } = {},
): Promise<RecoveredIntent[]> {
  const done: RecoveredIntent[] = [];
  for (const stale of await staleIntents(dataDir)) {
    if (!stale.record) {
      stale.release();
      done.push({ file: stale.path, error: stale.problem });
      continue;
    }
    try {
      const undone = await undoAdd(stale.record, options);
      await stale.remove();
      done.push({ file: stale.path, intent: stale.record, undone });
    } catch (error) {
      stale.release();
      done.push({
        file: stale.path,
        intent: stale.record,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return done;
}
