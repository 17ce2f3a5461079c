/**
 * How an error reaches a person or a script: its exit code (from the table
 * of errors, `ERRORS` in `lib/errors.ts`), one line for stderr (plus the
 * screen or dialog when it is the reason), and the JSON
 * `{"error": {code, message, dialog?, screen?}}`.
 *
 * @module
 */
import {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  type ErrorCode,
  ERRORS,
  errorSpec,
} from "../errors.ts";
import { terminalText } from "../terminal.ts";

/**
 * The exit code for an error: its code's row of `ERRORS`; a `parseArgs`
 * error (an unknown option, a missing value) is bad usage; anything else
 * thrown is `error`'s.
 *
 * @example
 * ```ts
 * import { exitCodeOf } from "./errors.ts";
 * import { InputError } from "../errors.ts";
 * exitCodeOf(new InputError("bad id")); // 2
 * ```
 * @param error what was thrown
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof AimaxError) return errorSpec(error.code).exit;
  if (error instanceof TypeError && "code" in error) return ERRORS.usage.exit;
  return ERRORS.error.exit;
}

/** An error as printed. */
export interface ErrorReport {
  /** The exit code. */
  code: number;
  /** stderr lines: `aimax: <reason>`, then the screen when it is the reason. */
  lines: string[];
  /** The `--json` error object. */
  json: { error: Record<string, unknown> };
}

/**
 * How an error is printed: its stderr lines through
 * {@linkcode terminalText} (a server's or an agent's text never reaches the
 * terminal raw), its `--json` object as it came.
 *
 * @example
 * ```ts
 * import { reportError } from "./errors.ts";
 * const { lines, json } = reportError(new Error("boom"));
 * ```
 * @param error what was thrown
 */
export function reportError(error: unknown): ErrorReport {
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof Deno.errors.NotCapable) {
    message += " (see README: Permissions)";
  }
  // Its text may come from a server or an agent: made safe for a terminal.
  const [first, ...more] = terminalText(message).split("\n");
  const screen = error instanceof AgentScreenError ||
      error instanceof AwaitingInputError
    ? error.screen
    : undefined;
  const errorCode: ErrorCode = error instanceof AimaxError
    ? error.code
    : "error";
  return {
    code: exitCodeOf(error),
    lines: [
      `aimax: ${first}`,
      ...(screen !== undefined && more.length > 0 ? [more.join("\n")] : []),
    ],
    json: {
      error: {
        code: errorCode,
        message: screen === undefined ? message : message.split("\n")[0],
        ...(error instanceof AwaitingInputError
          ? { dialog: error.dialog }
          : {}),
        ...(screen === undefined ? {} : { screen }),
      },
    },
  };
}
