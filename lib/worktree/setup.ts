/**
 * A new worktree's setup command (`--setup CMD`): the user's own command
 * line, run by `sh -c` in the worktree before the agent starts, its output
 * appended to the session's log. aimax runs nothing of a repository's
 * unless the user names it here.
 *
 * @module
 */
import { dirname } from "../path.ts";
import { DEFAULT_TIMINGS } from "../backend/timings.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../private.ts";
import { oneLine, SetupError } from "./errors.ts";
import { killProcessTree, readChunks } from "./process.ts";

/** How many lines of output a failure shows. */
export const SETUP_TAIL_LINES = 20;

/** The most bytes of recent output kept in memory for a failure's tail. */
const TAIL_BYTES = 16 * 1024;

/**
 * Options of {@linkcode runSetup}.
 *
 * @example
 * ```ts
 * import type { SetupOptions } from "./setup.ts";
 * const options: SetupOptions = {
 *   cwd: "/data/worktrees/app-1a2b3c4d/s1",
 *   logPath: "/data/logs/s1.log",
 *   timeoutMs: 300_000,
 * };
 * ```
 */
export interface SetupOptions {
  /** Where the command runs (the new worktree). */
  cwd: string;
  /** The log its output is appended to (created 0600). */
  logPath: string;
  /** Kill it (and what it started) after this long; default `DEFAULT_TIMINGS.setupMs`. */
  timeoutMs?: number;
}

/**
 * How a setup command ended (it succeeded: a failure is a
 * {@linkcode SetupError}).
 *
 * @example
 * ```ts
 * import { runSetup, type SetupResult } from "./setup.ts";
 * const result: SetupResult = await runSetup("npm ci", {
 *   cwd: "/data/worktrees/app-1a2b3c4d/s1",
 *   logPath: "/data/logs/s1.log",
 * });
 * console.log(`setup took ${result.durationMs} ms`);
 * ```
 */
export interface SetupResult {
  /** How long it ran. */
  durationMs: number;
  /** Its last lines of output (sanitised). */
  output: string[];
}

/** The last `SETUP_TAIL_LINES` non-empty lines of `bytes`, each on one line, sanitised. */
function lastLines(bytes: Uint8Array): string[] {
  return new TextDecoder().decode(bytes).split(/\r?\n|\r/)
    .map((line) => oneLine(line, 300)).filter((line) => line !== "")
    .slice(-SETUP_TAIL_LINES);
}

/**
 * Runs `command` with `sh -c` in `options.cwd` (standard input closed),
 * appending what it prints (standard output and error) to
 * `options.logPath` between a header and an exit line. It is killed, with
 * what it started ({@linkcode killProcessTree}), after `timeoutMs`.
 *
 * @example
 * ```ts
 * import { runSetup } from "./setup.ts";
 * await runSetup("cp .env.example .env && npm ci", {
 *   cwd: "/data/worktrees/app-1a2b3c4d/s1",
 *   logPath: "/data/logs/s1.log",
 * });
 * ```
 * @param command the user's command line
 * @param options `cwd`, `logPath`, `timeoutMs`
 * @throws {SetupError} when it exits non-zero or runs out of time, with
 *   its exit code and last lines of output
 */
export async function runSetup(
  command: string,
  options: SetupOptions,
): Promise<SetupResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMINGS.setupMs;
  await Deno.mkdir(dirname(options.logPath), {
    recursive: true,
    mode: PRIVATE_DIR_MODE,
  });
  const log = await Deno.open(options.logPath, {
    append: true,
    create: true,
    mode: PRIVATE_FILE_MODE,
  });
  const encoder = new TextEncoder();
  let tail = new Uint8Array(0);
  // Both streams go to one log: one write at a time, in arrival order.
  let writing = Promise.resolve();
  const append = (bytes: Uint8Array) => {
    writing = writing.then(async () => {
      let written = 0;
      while (written < bytes.length) {
        written += await log.write(bytes.subarray(written));
      }
    });
    return writing;
  };
  const started = Date.now();
  try {
    await append(encoder.encode(
      `--- setup in ${options.cwd} at ${
        new Date(started).toISOString()
      }: ${command}\n`,
    ));
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command("sh", {
        args: ["-c", command],
        cwd: options.cwd,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        // Its own process group, so that a kill reaches what it started.
        detached: true,
      }).spawn();
    } catch (error) {
      throw new SetupError(
        `cannot run the setup command in ${options.cwd}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    // Stops the reads when it is killed: what it started may hold its pipes.
    const stop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killProcessTree(child);
      stop.abort();
    }, timeoutMs);
    const onChunk = (chunk: Uint8Array) => {
      const joined = new Uint8Array(tail.length + chunk.length);
      joined.set(tail);
      joined.set(chunk, tail.length);
      tail = joined.slice(-TAIL_BYTES);
      return append(chunk);
    };
    let status: Deno.CommandStatus;
    try {
      [status] = await Promise.all([
        child.status,
        readChunks(child.stdout, { signal: stop.signal, onChunk }),
        readChunks(child.stderr, { signal: stop.signal, onChunk }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    const durationMs = Date.now() - started;
    await append(encoder.encode(
      `--- setup ${
        timedOut ? `killed after ${timeoutMs} ms` : `exited ${status.code}`
      } (${durationMs} ms)\n`,
    ));
    const output = lastLines(tail);
    if (timedOut) {
      throw new SetupError(
        `the setup command did not finish within ${timeoutMs} ms and was killed (its output is in ${options.logPath})`,
        { output },
      );
    }
    if (status.code !== 0) {
      throw new SetupError(
        `the setup command exited with ${status.code} (its output is in ${options.logPath})`,
        { exitCode: status.code, output },
      );
    }
    return { durationMs, output };
  } finally {
    await writing.catch(() => {});
    log.close();
  }
}
