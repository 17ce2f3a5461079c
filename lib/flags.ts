/**
 * The job-completion convention: each prompt submission writes
 * `<flagRoot>/.imac/flags/<sessionId>/running.flag`; the agent removes it
 * when its job is done and writes `failed.flag` if the job failed. Any
 * process can read them.
 *
 * @module
 */
import { join } from "./path.ts";
import { validateSessionId } from "./inputs.ts";

/**
 * The flag files of one session.
 *
 * @example
 * ```ts
 * import { flagPaths } from "./flags.ts";
 * const { running, failed } = flagPaths("/work/repo", "demo");
 * const done = !(await Deno.stat(running).then(() => true, () => false));
 * ```
 */
export interface FlagPaths {
  /** `<flagRoot>/.imac/flags/<sessionId>` */
  dir: string;
  /** Present while a job runs. */
  running: string;
  /** Present when the job failed. */
  failed: string;
}

/**
 * Where a session's flags live.
 *
 * @example
 * ```ts
 * import { flagPaths } from "./flags.ts";
 * flagPaths("/work/repo", "demo").running;
 * // "/work/repo/.imac/flags/demo/running.flag"
 * ```
 * @param flagRoot the anchor directory (the session's cwd by default)
 * @param sessionId a valid session id
 */
export function flagPaths(flagRoot: string, sessionId: string): FlagPaths {
  const dir = join(flagRoot, ".imac", "flags", validateSessionId(sessionId));
  return {
    dir,
    running: join(dir, "running.flag"),
    failed: join(dir, "failed.flag"),
  };
}

// A synchronous lstat: a flag check is one quick system call, and `list`
// makes two per session (an awaited one costs a round trip through Deno's
// blocking pool each).
function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** What a running flag records. */
export interface RunningFlag {
  /** The aimax session id. */
  sessionId: string;
  /** Backend name. */
  backend: string;
  /** ISO time of the submission. */
  submittedAt: string;
}

/**
 * Marks a job as started: writes `running.flag` and removes a stale
 * `failed.flag` from an earlier job.
 *
 * @param flagRoot anchor directory
 * @param flag what to record
 */
export async function writeRunningFlag(
  flagRoot: string,
  flag: RunningFlag,
): Promise<void> {
  const paths = flagPaths(flagRoot, flag.sessionId);
  await Deno.mkdir(paths.dir, { recursive: true });
  await Deno.remove(paths.failed).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.writeTextFile(paths.running, JSON.stringify(flag) + "\n");
}

/**
 * Whether the job is done: `running.flag` is absent.
 *
 * @param flagRoot anchor directory
 * @param sessionId session id
 */
export function isJobDone(
  flagRoot: string,
  sessionId: string,
): Promise<boolean> {
  return Promise.resolve(!exists(flagPaths(flagRoot, sessionId).running));
}

/**
 * Whether the job failed: `failed.flag` is present.
 *
 * @param flagRoot anchor directory
 * @param sessionId session id
 */
export function isJobFailed(
  flagRoot: string,
  sessionId: string,
): Promise<boolean> {
  return Promise.resolve(exists(flagPaths(flagRoot, sessionId).failed));
}
