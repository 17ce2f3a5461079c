/**
 * Error types raised by aimax. Every error carries a stable `code` so that
 * scripts (and the CLI's `--json` output) can tell failures apart.
 *
 * @module
 */

/**
 * Base class of every error aimax raises on purpose.
 *
 * @example
 * ```ts
 * import { AimaxError, get } from "@aimax/cli";
 * try {
 *   await get("tmux-codex").isAlive("nope");
 * } catch (error) {
 *   if (error instanceof AimaxError) console.log(error.code); // "session_not_found"
 * }
 * ```
 */
export class AimaxError extends Error {
  /** A stable, machine-readable error code such as `"invalid_input"`. */
  readonly code: string;

  /**
   * Creates an instance.
   *
   * @param code stable machine-readable code
   * @param message human-readable, one line
   * @param options standard error options (`cause`)
   */
  constructor(code: string, message: string, options?: ErrorOptions) {
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
 * import { get, TmuxError } from "@aimax/cli";
 * try {
 *   await get("tmux-claude-code").listSessions();
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
 * import { get, StateCorruptError } from "@aimax/cli";
 * try {
 *   await get("tmux-claude-code").listSessions();
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
 * import { get, SessionNotFoundError } from "@aimax/cli";
 * const alive = await get("tmux-codex").isAlive("x").catch((error) => {
 *   if (error instanceof SessionNotFoundError) return false;
 *   throw error;
 * });
 * ```
 */
export class SessionNotFoundError extends AimaxError {
  /**
   * Creates an instance.
   * @param backend backend name @param sessionId the unknown id
   */
  constructor(backend: string, sessionId: string) {
    super(
      "session_not_found",
      `no ${backend} session named "${sessionId}" (see \`aimax list\`)`,
    );
    this.name = "SessionNotFoundError";
  }
}

/**
 * A session of that id already exists and is alive.
 *
 * @example
 * ```ts
 * import { get, SessionExistsError } from "@aimax/cli";
 * const backend = get("tmux-claude-code");
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
   */
  constructor(backend: string, sessionId: string) {
    super(
      "session_exists",
      `a ${backend} session named "${sessionId}" is already running; stop it first or pick another id`,
    );
    this.name = "SessionExistsError";
  }
}

/**
 * A required program (tmux, claude, codex) is not installed.
 *
 * @example
 * ```ts
 * import { get, PreflightError } from "@aimax/cli";
 * try {
 *   await get("tmux-codex").createNewSession({ sessionId: "a", cwd: "/tmp", initialPrompt: "hi" });
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
 * import { AgentScreenError, get } from "@aimax/cli";
 * try {
 *   await get("tmux-claude-code").createNewSession({ sessionId: "a", cwd: "/tmp", initialPrompt: "hi" });
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
    options: { code?: string } = {},
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
 * The agent is up but shows no input box, nor a dialog (Claude Code in
 * shell mode after the key `!`, a menu, a mode aimax does not know):
 * nothing was typed. A person (or `keys Escape`) brings the box back.
 * Code `no_input_box`; the server answers 409 with the screen.
 *
 * @example
 * ```ts
 * import { get, NoInputBoxError } from "@aimax/cli";
 * try {
 *   await get("tmux-claude-code").noPauseCurrentAndQueueQueryAtSession({
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
 * import { AwaitingInputError, get } from "@aimax/cli";
 * try {
 *   await get("tmux-claude-code").noPauseCurrentAndQueueQueryAtSession({
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
