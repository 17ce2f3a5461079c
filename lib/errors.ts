/**
 * Error types raised by aimax. Every error carries a stable `code` so that
 * scripts (and the CLI's `--json` output) can tell failures apart; one table
 * ({@linkcode ERRORS}) gives each code the class that raises it, the CLI's
 * exit code, the server's HTTP status and a one-line hint, and the CLI, the
 * server and the remote client all read it.
 *
 * @module
 */

/**
 * Exit codes of the CLI.
 *
 * @example
 * ```ts
 * import { EXIT, main } from "@aimax/cli/cli";
 * const code = await main(["status", "-s", "demo"]);
 * if (code === EXIT.notFound) console.log("no such session");
 * ```
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The operation failed (tmux, the agent, the state file). */
  failure: 1,
  /** Bad usage or bad input; nothing was changed. */
  usage: 2,
  /** No such session. */
  notFound: 3,
  /** tmux or the agent is not installed. */
  preflight: 4,
  /** The agent waits on a person (a permission dialog, a question); nothing was sent. */
  awaitingInput: 5,
  /** `wait` (or `--wait`) ran out of time; the turn still runs. */
  timeout: 6,
  /** The turn was interrupted before it ended (Escape, `pause`). */
  interrupted: 7,
  /** The session is idle, but aimax cannot tell how the turn ended. */
  unknown: 8,
} as const;

/**
 * One of the CLI's exit codes ({@linkcode EXIT}).
 *
 * @example
 * ```ts
 * import { EXIT, type ExitCode } from "./errors.ts";
 * const code: ExitCode = EXIT.notFound; // 3
 * ```
 */
export type ExitCode = typeof EXIT[keyof typeof EXIT];

/**
 * Every error code aimax raises, answers or prints: the `code` of an
 * {@linkcode AimaxError}, of the server's JSON errors and of the CLI's
 * `--json` errors. {@linkcode ERRORS} says what each one means.
 *
 * @example
 * ```ts
 * import type { ErrorCode } from "@aimax/cli";
 * const code: ErrorCode = "session_not_found";
 * ```
 */
export type ErrorCode =
  // The caller's input.
  | "usage"
  | "invalid_input"
  // Sessions.
  | "session_not_found"
  | "session_exists"
  | "session_dead"
  | "no_transcript"
  | "preflight_failed"
  // The agent's screen.
  | "agent_screen"
  | "no_input_box"
  | "awaiting_input"
  | "dialog_changed"
  // The engine.
  | "tmux_failed"
  | "state_corrupt"
  | "lock_timeout"
  | "data_dir"
  // The remote client (`--server`).
  | "server_unreachable"
  | "server_timeout"
  | "bad_response"
  | "response_too_large"
  | "stream_failed"
  // The server's own checks of a request.
  | "unauthorized"
  | "bad_host"
  | "cross_origin"
  | "not_found"
  | "method_not_allowed"
  | "too_large"
  | "upgrade_required"
  | "bad_json"
  | "request_timeout"
  | "headers_too_large"
  // Worktrees (`create --worktree`, `diff`, `merge`, `stop`).
  | "git_failed"
  | "not_a_repository"
  | "branch_exists"
  | "worktree_busy"
  | "dirty_tree"
  | "merge_conflict"
  | "setup_failed"
  // Anything else that was thrown.
  | "io_failed"
  | "error";

/**
 * The class that raises an error code: an {@linkcode AimaxError} class,
 * `HttpError` (the server's own checks, `lib/serve/http.ts`),
 * `LockTimeoutError` (`lib/lock.ts`), or `Error` for what aimax did not
 * raise on purpose (a bug, a file system error).
 *
 * @example
 * ```ts
 * import { ERRORS, type ErrorClass } from "./errors.ts";
 * const raisedBy: ErrorClass = ERRORS.session_not_found.class; // "SessionNotFoundError"
 * ```
 */
export type ErrorClass =
  | "AimaxError"
  | "UsageError"
  | "InputError"
  | "SessionNotFoundError"
  | "SessionExistsError"
  | "PreflightError"
  | "AgentScreenError"
  | "NoInputBoxError"
  | "AwaitingInputError"
  | "TmuxError"
  | "StateCorruptError"
  | "LockTimeoutError"
  | "HttpError"
  | "GitError"
  | "NotARepositoryError"
  | "BranchExistsError"
  | "WorktreeBusyError"
  | "DirtyTreeError"
  | "MergeConflictError"
  | "SetupError"
  | "Error";

/**
 * What an error code means: who raises it, how the CLI exits and how the
 * server answers, and what to do about it.
 *
 * @example
 * ```ts
 * import { ERRORS, type ErrorSpec } from "./errors.ts";
 * const spec: ErrorSpec = ERRORS.awaiting_input;
 * console.log(spec.exit, spec.http); // 5 423
 * ```
 */
export interface ErrorSpec {
  /** The class that raises it. */
  readonly class: ErrorClass;
  /** The CLI's exit code. */
  readonly exit: ExitCode;
  /** The HTTP status the server answers it with. */
  readonly http: number;
  /** One line: what to do about it. */
  readonly hint: string;
}

/**
 * The one table of error codes: for each {@linkcode ErrorCode}, the class
 * that raises it, the CLI's exit code, the server's HTTP status and a
 * one-line hint. The CLI's exit codes, the server's statuses and the
 * remote client's classes are read from it.
 *
 * @example
 * ```ts
 * import { ERRORS } from "./errors.ts";
 * console.log(ERRORS.session_not_found); // { class: "SessionNotFoundError", exit: 3, http: 404, hint: … }
 * ```
 */
export const ERRORS: Readonly<Record<ErrorCode, ErrorSpec>> = {
  usage: {
    class: "UsageError",
    exit: EXIT.usage,
    http: 400,
    hint: "see the command's --help; nothing was changed",
  },
  invalid_input: {
    class: "InputError",
    exit: EXIT.usage,
    http: 400,
    hint: "fix the value the message names; nothing was changed",
  },
  session_not_found: {
    class: "SessionNotFoundError",
    exit: EXIT.notFound,
    http: 404,
    hint: "see `aimax list` for the sessions there are",
  },
  session_exists: {
    class: "SessionExistsError",
    exit: EXIT.failure,
    http: 409,
    hint: "stop the running session first, or pick another id",
  },
  session_dead: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 409,
    hint:
      "the agent no longer runs: see `aimax status`, then stop the session and create it again",
  },
  no_transcript: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 409,
    hint: "the session has no transcript yet: send it a prompt first",
  },
  preflight_failed: {
    class: "PreflightError",
    exit: EXIT.preflight,
    http: 503,
    hint:
      "install the program the message names (`aimax doctor` checks them all)",
  },
  agent_screen: {
    class: "AgentScreenError",
    exit: EXIT.failure,
    http: 500,
    hint:
      "the agent did not reach the expected screen: the message shows it (`aimax screen`)",
  },
  no_input_box: {
    class: "NoInputBoxError",
    exit: EXIT.failure,
    http: 409,
    hint:
      "the agent shows no input box: `aimax keys -s ID Escape` brings it back; nothing was typed",
  },
  awaiting_input: {
    class: "AwaitingInputError",
    exit: EXIT.awaitingInput,
    http: 423,
    hint:
      "a person answers the dialog (`aimax attach`), then the prompt can be sent",
  },
  dialog_changed: {
    class: "AgentScreenError",
    exit: EXIT.awaitingInput,
    http: 409,
    hint:
      "another dialog, or none, is up: nothing was pressed; read the one up now (`aimax status`)",
  },
  tmux_failed: {
    class: "TmuxError",
    exit: EXIT.failure,
    http: 500,
    hint: "tmux's own words are in the message",
  },
  state_corrupt: {
    class: "StateCorruptError",
    exit: EXIT.failure,
    http: 500,
    hint: "the state file was moved aside: inspect or restore it",
  },
  lock_timeout: {
    class: "LockTimeoutError",
    exit: EXIT.failure,
    http: 500,
    hint:
      "another aimax holds the lock: retry, or end the process the message names",
  },
  data_dir: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 500,
    hint: "set AIMAX_DATA_DIR to a writable directory",
  },
  server_unreachable: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 500,
    hint: "check the --server URL and that `aimax serve` runs there",
  },
  server_timeout: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 500,
    hint:
      "the server did not answer in time: check it, or raise --server-timeout",
  },
  bad_response: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 500,
    hint:
      "the server's answer was not what aimax expects: is it an aimax server of this version?",
  },
  response_too_large: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 500,
    hint: "the server's answer was larger than a remote answer may be",
  },
  stream_failed: {
    class: "AimaxError",
    exit: EXIT.failure,
    http: 500,
    hint:
      "the event stream failed again and again: check the server, then run the command again",
  },
  unauthorized: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 401,
    hint: "set AIMAX_SERVE_TOKEN to the server's token",
  },
  bad_host: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 403,
    hint: "the server answers its own host names only (DNS rebinding guard)",
  },
  cross_origin: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 403,
    hint: "the server refuses requests from another site",
  },
  not_found: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 404,
    hint: "no such route: see the README's REST table",
  },
  method_not_allowed: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 405,
    hint: "the route takes another method: see the README's REST table",
  },
  too_large: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 413,
    hint: "the request body is larger than the server takes",
  },
  upgrade_required: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 426,
    hint: "the route is a WebSocket: connect with an upgrade",
  },
  bad_json: {
    class: "HttpError",
    exit: EXIT.usage,
    http: 400,
    hint: "send a JSON object as the request body",
  },
  git_failed: {
    class: "GitError",
    exit: EXIT.failure,
    http: 500,
    hint:
      "git refused or failed: its message says why; nothing aimax did was left half done",
  },
  not_a_repository: {
    class: "NotARepositoryError",
    exit: EXIT.usage,
    http: 400,
    hint: "a worktree needs --cwd inside a git repository",
  },
  branch_exists: {
    class: "BranchExistsError",
    exit: EXIT.usage,
    http: 409,
    hint: "name another branch, or pass --reuse-branch to start from it",
  },
  worktree_busy: {
    class: "WorktreeBusyError",
    exit: EXIT.failure,
    http: 409,
    hint:
      "the worktree is locked or in use by another operation; try again when it ends",
  },
  dirty_tree: {
    class: "DirtyTreeError",
    exit: EXIT.failure,
    http: 409,
    hint:
      "commit or stash the listed changes in the main tree, then merge again",
  },
  merge_conflict: {
    class: "MergeConflictError",
    exit: EXIT.failure,
    http: 409,
    hint:
      "the listed files changed on both sides: merge them by hand (git merge in the main tree)",
  },
  setup_failed: {
    class: "SetupError",
    exit: EXIT.failure,
    http: 422,
    hint:
      "the --setup command failed: its output is in the session's log; nothing was left behind",
  },
  request_timeout: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 408,
    hint: "a request's headers must arrive within the server's header time",
  },
  headers_too_large: {
    class: "HttpError",
    exit: EXIT.failure,
    http: 431,
    hint: "a request's line and headers are larger than the server takes",
  },
  io_failed: {
    class: "Error",
    exit: EXIT.failure,
    http: 500,
    hint: "a file or system operation failed on the server: see its log",
  },
  error: {
    class: "Error",
    exit: EXIT.failure,
    http: 500,
    hint: "an unexpected failure: the message says what failed",
  },
};

/**
 * Whether `value` is one of the {@linkcode ErrorCode}s.
 *
 * @example
 * ```ts
 * import { isErrorCode } from "./errors.ts";
 * isErrorCode("session_dead"); // true
 * isErrorCode("nope"); // false
 * ```
 * @param value a code, as read from a server's answer or elsewhere
 */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}

/**
 * The row of {@linkcode ERRORS} for `code`; a code this version does not
 * know (a newer server's) reads as `error`'s row.
 *
 * @example
 * ```ts
 * import { errorSpec } from "./errors.ts";
 * errorSpec("session_not_found").http; // 404
 * errorSpec("from_the_future").exit; // 1
 * ```
 * @param code an error's code
 */
export function errorSpec(code: string): ErrorSpec {
  return isErrorCode(code) ? ERRORS[code] : ERRORS.error;
}

/**
 * Base class of every error aimax raises on purpose.
 *
 * @example
 * ```ts
 * import { AimaxError, get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * try {
 *   await get(SUPPORTED_BACKENDS[0]).isAlive("nope");
 * } catch (error) {
 *   if (error instanceof AimaxError) console.log(error.code); // "session_not_found"
 * }
 * ```
 */
export class AimaxError extends Error {
  /**
   * A stable, machine-readable error code such as `"invalid_input"` (see
   * {@linkcode ERRORS}). An error a remote server of another version sent
   * keeps the code it came with, even one this version does not know.
   */
  readonly code: ErrorCode;

  /**
   * Creates an instance.
   *
   * @param code stable machine-readable code
   * @param message human-readable, one line
   * @param options standard error options (`cause`)
   */
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AimaxError";
    this.code = code;
  }
}

/**
 * Bad input from a caller: an unsafe session id, a missing cwd, a bad prompt. Nothing was changed.
 *
 * @example
 * ```ts
 * import { getState, InputError } from "@aimax/cli";
 * try {
 *   await getState("../etc");
 * } catch (error) {
 *   console.log(error instanceof InputError); // true
 * }
 * ```
 */
export class InputError extends AimaxError {
  /**
   * Creates an instance.
   * @param message what was wrong and how to fix it
   */
  constructor(message: string) {
    super("invalid_input", message);
    this.name = "InputError";
  }
}

/**
 * Bad usage (a missing option, a bad value, a command that does not run
 * here): exit code 2, HTTP 400. Nothing was changed.
 *
 * @example
 * ```ts
 * import { UsageError } from "@aimax/cli";
 * throw new UsageError("--session is required");
 * ```
 */
export class UsageError extends AimaxError {
  /**
   * A usage error with `message`.
   *
   * @param message one line for stderr, without the `aimax: ` prefix
   */
  constructor(message: string) {
    super("usage", message);
    this.name = "UsageError";
  }
}

/** The most arguments of a failed tmux call its message shows. */
const SHOWN_ARGS = 8;

/** An argv for a message: its first arguments, each clipped, never all of a long one. */
function shownArgv(argv: readonly string[]): string {
  const shown = argv.slice(0, SHOWN_ARGS).map((arg) =>
    arg.length > 80 ? `${arg.slice(0, 80)}…` : arg
  );
  const more = argv.length - SHOWN_ARGS;
  return more > 0
    ? `${shown.join(" ")} … (${more} more arguments)`
    : shown.join(" ");
}

/**
 * A tmux command failed; carries the argv and tmux's own stderr. Its
 * message shows the first arguments only (the whole argv is in `argv`).
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, TmuxError } from "@aimax/cli";
 * try {
 *   await get(SUPPORTED_BACKENDS[0]).listSessions();
 * } catch (error) {
 *   if (error instanceof TmuxError) console.log(error.argv, error.stderr);
 * }
 * ```
 */
export class TmuxError extends AimaxError {
  /** The tmux argv that failed (without the binary). */
  readonly argv: readonly string[];
  /** What tmux printed on stderr. */
  readonly stderr: string;
  /** tmux's exit code. */
  readonly exitCode: number;

  /**
   * Creates an instance.
   *
   * @param argv the arguments tmux was called with
   * @param exitCode its exit code
   * @param stderr its standard error, trimmed
   */
  constructor(argv: readonly string[], exitCode: number, stderr: string) {
    super(
      "tmux_failed",
      `tmux ${shownArgv(argv)} failed (exit ${exitCode}): ${
        stderr.trim().slice(0, 500) || "no output"
      }`,
    );
    this.name = "TmuxError";
    this.argv = argv;
    this.exitCode = exitCode;
    this.stderr = stderr.trim();
  }
}

/**
 * The state file could not be parsed; it was moved aside to `asidePath`.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, StateCorruptError } from "@aimax/cli";
 * try {
 *   await get(SUPPORTED_BACKENDS[0]).listSessions();
 * } catch (error) {
 *   if (error instanceof StateCorruptError) console.log("kept at", error.asidePath);
 * }
 * ```
 */
export class StateCorruptError extends AimaxError {
  /** The state file that was corrupt. */
  readonly path: string;
  /** Where the corrupt file now lies. */
  readonly asidePath: string;

  /**
   * Creates an instance.
   *
   * @param path the corrupt file
   * @param asidePath where it was moved
   * @param reason the parse error
   */
  constructor(path: string, asidePath: string, reason: string) {
    super(
      "state_corrupt",
      `state file ${path} is corrupt (${reason}); it was moved aside to ${asidePath} and left untouched there. Inspect or restore it; the next call starts from an empty state.`,
    );
    this.name = "StateCorruptError";
    this.path = path;
    this.asidePath = asidePath;
  }
}

/**
 * No session of that id is known to the backend.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, SessionNotFoundError } from "@aimax/cli";
 * const alive = await get(SUPPORTED_BACKENDS[0]).isAlive("x").catch((error) => {
 *   if (error instanceof SessionNotFoundError) return false;
 *   throw error;
 * });
 * ```
 */
export class SessionNotFoundError extends AimaxError {
  /**
   * Creates an instance.
   * @param backend backend name, `undefined` when no backend knows the id
   * @param sessionId the unknown id
   * @param options `message`: the whole message as already written (a
   *   remote server's), instead of one made from `backend` and `sessionId`
   */
  constructor(
    backend: string | undefined,
    sessionId: string,
    options: { message?: string } = {},
  ) {
    super(
      "session_not_found",
      options.message ??
        `no ${
          backend === undefined ? "" : `${backend} `
        }session named "${sessionId}" (see \`aimax list\`)`,
    );
    this.name = "SessionNotFoundError";
  }
}

/**
 * A session of that id already exists and is alive.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, SessionExistsError } from "@aimax/cli";
 * const backend = get(SUPPORTED_BACKENDS[0]);
 * try {
 *   await backend.createNewSession({ sessionId: "a", cwd: "/tmp", initialPrompt: "hi" });
 * } catch (error) {
 *   if (error instanceof SessionExistsError) await backend.terminateSession("a");
 * }
 * ```
 */
export class SessionExistsError extends AimaxError {
  /**
   * Creates an instance.
   * @param backend backend name @param sessionId the taken id
   * @param options `message`: the whole message as already written (a
   *   remote server's), instead of one made from `backend` and `sessionId`
   */
  constructor(
    backend: string,
    sessionId: string,
    options: { message?: string } = {},
  ) {
    super(
      "session_exists",
      options.message ??
        `a ${backend} session named "${sessionId}" is already running; stop it first or pick another id`,
    );
    this.name = "SessionExistsError";
  }
}

/**
 * A required program (tmux, an agent) is not installed.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, PreflightError } from "@aimax/cli";
 * try {
 *   await get(SUPPORTED_BACKENDS[0]).createNewSession({ sessionId: "a", cwd: "/tmp", initialPrompt: "hi" });
 * } catch (error) {
 *   if (error instanceof PreflightError) console.log(error.message); // how to install
 * }
 * ```
 */
export class PreflightError extends AimaxError {
  /**
   * Creates an instance.
   * @param message what is missing and how to install it
   */
  constructor(message: string) {
    super("preflight_failed", message);
    this.name = "PreflightError";
  }
}

/**
 * The agent TUI did not reach the expected state; carries the screen text.
 *
 * @example
 * ```ts
 * import { AgentScreenError, get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * try {
 *   await get(SUPPORTED_BACKENDS[0]).createNewSession({ sessionId: "a", cwd: "/tmp", initialPrompt: "hi" });
 * } catch (error) {
 *   if (error instanceof AgentScreenError) console.log(error.screen);
 * }
 * ```
 */
export class AgentScreenError extends AimaxError {
  /** The pane's text when aimax gave up. */
  readonly screen: string;

  /**
   * Creates an instance.
   * @param message what was expected @param screen the captured pane
   * @param options `code` of a more precise kind (default `agent_screen`)
   */
  constructor(
    message: string,
    screen: string,
    options: { code?: ErrorCode } = {},
  ) {
    super(
      options.code ?? "agent_screen",
      `${message}\n--- screen ---\n${screen.trimEnd()}\n--------------`,
    );
    this.name = "AgentScreenError";
    this.screen = screen;
  }
}

/**
 * The agent is up but shows no input box, nor a dialog (an agent in
 * shell mode after the key `!`, a menu, a mode aimax does not know):
 * nothing was typed. A person (or `keys Escape`) brings the box back.
 * Code `no_input_box`; the server answers 409 with the screen.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, NoInputBoxError } from "@aimax/cli";
 * try {
 *   await get(SUPPORTED_BACKENDS[0]).noPauseCurrentAndQueueQueryAtSession({
 *     sessionId: "demo-1",
 *     prompt: "next",
 *   });
 * } catch (error) {
 *   if (error instanceof NoInputBoxError) console.log(error.screen);
 * }
 * ```
 */
export class NoInputBoxError extends AgentScreenError {
  /**
   * Creates an instance.
   * @param message who shows what @param screen the captured pane
   */
  constructor(message: string, screen: string) {
    super(message, screen, { code: "no_input_box" });
    this.name = "NoInputBoxError";
  }
}

/**
 * The agent waits on a person: a permission or approval dialog, a question,
 * anything but its input box has the keyboard. Nothing was typed; a person
 * answers it (`tmux attach`), then the prompt can be sent.
 *
 * @example
 * ```ts
 * import { AwaitingInputError, get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * try {
 *   await get(SUPPORTED_BACKENDS[0]).noPauseCurrentAndQueueQueryAtSession({
 *     sessionId: "demo-1",
 *     prompt: "next",
 *   });
 * } catch (error) {
 *   if (error instanceof AwaitingInputError) console.log(error.dialog);
 * }
 * ```
 */
export class AwaitingInputError extends AimaxError {
  /** What the dialog asks (its text as shown). */
  readonly dialog: string;
  /** The whole captured pane. */
  readonly screen: string;

  /**
   * Creates an instance.
   * @param message one line: who waits for what @param dialog what it asks @param screen the captured pane
   */
  constructor(message: string, dialog: string, screen: string) {
    super(
      "awaiting_input",
      `${message}\n--- dialog ---\n${dialog.trimEnd()}\n--------------`,
    );
    this.name = "AwaitingInputError";
    this.dialog = dialog;
    this.screen = screen;
  }
}
