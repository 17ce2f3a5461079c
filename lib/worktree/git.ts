/**
 * Running git: one call is one `git` process through `Deno.Command` (an
 * argv array, never a shell string), bounded in time (killed with what it
 * started) and in output, with a fixed environment and fixed `-c` options
 * so that the user's configuration cannot make aimax run a repository's
 * hooks, sign, prompt or page.
 *
 * @module
 */
import { DEFAULT_TIMINGS } from "../backend/timings.ts";
import { PreflightError } from "../errors.ts";
import { GitError } from "./errors.ts";
import { killProcessTree, readBounded } from "./process.ts";

/**
 * Configuration every call sets, whatever the user's: no hooks (a
 * repository's own files are never run by aimax), no file-system monitor
 * daemon, no background garbage collection or maintenance left running, no
 * signing (it would prompt), no submodule recursion, no colour, paths
 * unquoted.
 */
export const FIXED_CONFIG: readonly string[] = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "core.quotePath=false",
  "gc.auto=0",
  "maintenance.auto=false",
  "commit.gpgSign=false",
  "submodule.recurse=false",
  "color.ui=false",
];

/**
 * The environment variables a git call inherits, when set. Everything else
 * is left out, above all what points git at another repository or index
 * (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`, …, set when aimax runs
 * from a git hook) and `GIT_CONFIG_PARAMETERS`. git runs with `LC_ALL=C`,
 * so that its messages are the same everywhere.
 */
export const GIT_ENV_PASSED: readonly string[] = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "TMPDIR",
  "TZ",
  "XDG_CONFIG_HOME",
  "GIT_CONFIG_GLOBAL",
  "GIT_CONFIG_SYSTEM",
  "GIT_CONFIG_NOSYSTEM",
  "GIT_AUTHOR_NAME",
  "GIT_AUTHOR_EMAIL",
  "GIT_COMMITTER_NAME",
  "GIT_COMMITTER_EMAIL",
  "EMAIL",
  "GIT_EXEC_PATH",
];

/** The most bytes of standard output a call keeps unless told otherwise: 32 MiB. */
export const GIT_OUTPUT_BYTES = 32 * 1024 * 1024;

/** The most bytes of standard error a call keeps (the rest is read and dropped). */
const STDERR_BYTES = 64 * 1024;

/**
 * Options of one git call.
 *
 * @example
 * ```ts
 * import { type GitCallOptions, runGit } from "./git.ts";
 * const options: GitCallOptions = { cwd: "/tmp", timeoutMs: 5_000 };
 * await runGit(["--version"], options);
 * ```
 */
export interface GitCallOptions {
  /** The directory git runs in. */
  cwd: string;
  /**
   * Kill git (and what it started) after this long and fail with a
   * {@linkcode GitError}; default `DEFAULT_TIMINGS.gitCallMs`.
   */
  timeoutMs?: number;
  /**
   * Keep at most this many bytes of standard output; past it git is killed
   * and the output marked truncated (default {@linkcode GIT_OUTPUT_BYTES}).
   */
  maxOutputBytes?: number;
  /** Extra variables (such as `GIT_INDEX_FILE` for a temporary index). */
  env?: Record<string, string>;
}

/**
 * What one git call printed, whatever its exit code.
 *
 * @example
 * ```ts
 * import { execGit, type GitOutput } from "./git.ts";
 * const out: GitOutput = await execGit(["status"], { cwd: "/tmp" });
 * if (out.code !== 0) console.log(out.stderr);
 * ```
 */
export interface GitOutput {
  /** Exit code (that of the kill when `truncated`). */
  code: number;
  /** Standard output (its first `maxOutputBytes` when `truncated`). */
  stdout: string;
  /** Standard error (its first 64 KiB). */
  stderr: string;
  /** Whether the output was longer than `maxOutputBytes` (git was then stopped). */
  truncated: boolean;
}

/** The inherited variables of {@linkcode GIT_ENV_PASSED} that can be read. */
function passedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of GIT_ENV_PASSED) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch (error) {
      // A scoped --allow-env without this name: git goes without it.
      if (!(error instanceof Deno.errors.NotCapable)) throw error;
    }
  }
  return env;
}

/** The full argv of a call: the fixed options, then `args`. */
function fullArgs(args: readonly string[]): string[] {
  return [...FIXED_CONFIG.flatMap((c) => ["-c", c]), ...args];
}

/**
 * Runs `git` with `args` in `options.cwd` and returns what it printed,
 * whatever its exit code. git is killed, with what it started
 * ({@linkcode killProcessTree}), after `timeoutMs` (then a
 * {@linkcode GitError}), or once its standard output passes
 * `maxOutputBytes` (then `truncated`).
 *
 * @example
 * ```ts
 * import { execGit } from "./git.ts";
 * const out = await execGit(["rev-parse", "--verify", "-q", "HEAD"], { cwd: "/tmp" });
 * console.log(out.code === 0 ? out.stdout.trim() : "no commit");
 * ```
 * @param args git arguments (after the fixed `-c` options)
 * @param options `cwd`, `timeoutMs`, `maxOutputBytes`, `env`
 * @throws {GitError} when git does not answer in time or its folder is missing
 * @throws {PreflightError} when git is not installed
 */
export async function execGit(
  args: readonly string[],
  options: GitCallOptions,
): Promise<GitOutput> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMINGS.gitCallMs;
  const maxOutputBytes = options.maxOutputBytes ?? GIT_OUTPUT_BYTES;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("git", {
      args: fullArgs(args),
      cwd: options.cwd,
      clearEnv: true,
      env: {
        ...passedEnv(),
        GIT_TERMINAL_PROMPT: "0",
        GIT_OPTIONAL_LOCKS: "0",
        GIT_PAGER: "cat",
        GIT_EDITOR: "true",
        LC_ALL: "C",
        ...options.env,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      // Its own process group, so that a kill reaches what it started.
      detached: true,
    }).spawn();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    const cwdThere = await Deno.stat(options.cwd).then(
      (info) => info.isDirectory,
      () => false,
    );
    if (!cwdThere) {
      throw new GitError(args, -1, `no such directory: ${options.cwd}`);
    }
    throw new PreflightError(
      "git not found. Install git: `apt-get install git` (Debian/Ubuntu) or `brew install git` (macOS)",
    );
  }
  // Stops the reads when git is killed: what it started may hold its pipes.
  const stop = new AbortController();
  const kill = () => {
    killProcessTree(child);
    stop.abort();
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  try {
    const [out, err, status] = await Promise.all([
      readBounded(child.stdout, {
        max: maxOutputBytes,
        signal: stop.signal,
        onOver: kill,
      }),
      readBounded(child.stderr, { max: STDERR_BYTES, signal: stop.signal }),
      child.status,
    ]);
    if (timedOut) {
      throw new GitError(
        args,
        -1,
        `no answer within ${timeoutMs} ms; git was killed`,
      );
    }
    const decoder = new TextDecoder();
    return {
      code: status.code,
      stdout: decoder.decode(out.bytes),
      stderr: decoder.decode(err.bytes),
      truncated: out.over,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `git` with `args` and returns its standard output; fails with a
 * {@linkcode GitError} (its arguments, exit code and standard error on one
 * line) when it exits non-zero, does not answer in time or prints more
 * than `maxOutputBytes`.
 *
 * @example
 * ```ts
 * import { runGit } from "./git.ts";
 * const head = (await runGit(["rev-parse", "HEAD"], { cwd: "/src/app" })).trim();
 * ```
 * @param args git arguments (after the fixed `-c` options)
 * @param options `cwd`, `timeoutMs`, `maxOutputBytes`, `env`
 * @returns standard output
 */
export async function runGit(
  args: readonly string[],
  options: GitCallOptions,
): Promise<string> {
  const out = await execGit(args, options);
  if (out.truncated) {
    throw new GitError(
      args,
      out.code,
      `more than ${
        options.maxOutputBytes ?? GIT_OUTPUT_BYTES
      } bytes of output; git was stopped`,
    );
  }
  if (out.code !== 0) throw new GitError(args, out.code, out.stderr);
  return out.stdout;
}
