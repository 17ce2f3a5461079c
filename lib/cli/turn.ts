/**
 * Printing how a turn ended (`wait`, `send --wait`, `pause --wait`): the
 * final answer alone on stdout (so `aimax send --wait … | next-step`
 * works), a one-line reason on stderr otherwise, and the exit code.
 *
 * @module
 */
import type { TurnOutcome } from "../backend/mod.ts";
import { UsageError } from "../errors.ts";
import { EXIT } from "./command.ts";
import type { CliIo } from "./command.ts";
import { oneLine } from "../render/table.ts";
import { jsonLine, terminalText } from "../terminal.ts";

/**
 * Seconds of a `--timeout`-like option as milliseconds (`undefined`: none).
 *
 * @example
 * ```ts
 * import { secondsOption } from "./turn.ts";
 * secondsOption({ timeout: "2.5" }, "timeout"); // 2500
 * ```
 * @param values parsed options
 * @param name the option
 */
export function secondsOption<V extends object>(
  values: V,
  name: keyof V & string,
): number | undefined {
  const raw: unknown = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !/^\d+(\.\d+)?$/.test(raw)) {
    throw new UsageError(`--${name} takes seconds, got "${raw}"`);
  }
  return Math.round(Number(raw) * 1000);
}

/**
 * The exit code of a turn's outcome: 0 completed, 5 waiting on a person,
 * 6 out of time, 7 interrupted, 8 cannot tell, 1 exited.
 *
 * @example
 * ```ts
 * import { turnExitCode } from "./turn.ts";
 * turnExitCode("timeout"); // 6
 * ```
 * @param outcome how the turn ended
 */
export function turnExitCode(outcome: TurnOutcome["outcome"]): number {
  switch (outcome) {
    case "completed":
      return EXIT.ok;
    case "awaiting_input":
      return EXIT.awaitingInput;
    case "timeout":
      return EXIT.timeout;
    case "interrupted":
      return EXIT.interrupted;
    case "unknown":
      return EXIT.unknown;
    default:
      return EXIT.failure;
  }
}

/**
 * Prints a turn's outcome and returns its exit code. The answer goes to
 * stdout through {@linkcode terminalText} when stdout is a terminal, raw
 * when it is not (`send --wait | next-step` gets the answer as the agent
 * wrote it); what goes to stderr always goes through it.
 *
 * @example
 * ```ts ignore
 * import { reportTurn } from "./turn.ts";
 * return reportTurn(io, { turn, sessionId: "demo", json: false });
 * ```
 * @param io where to write
 * @param options the outcome, the session, `--json`
 */
export function reportTurn(
  io: CliIo,
  options: { turn: TurnOutcome; sessionId: string; json: boolean },
): number {
  const { turn, sessionId } = options;
  if (options.json) {
    io.out(jsonLine({ sessionId, ...turn }));
    return turnExitCode(turn.outcome);
  }
  switch (turn.outcome) {
    case "completed":
      io.out(io.terminal?.() ? terminalText(turn.text) : turn.text);
      if (turn.empty) {
        io.err(
          `aimax: the turn of session "${sessionId}" ended without text (its final message had none)`,
        );
      }
      break;
    case "awaiting_input":
      io.err(
        `aimax: session "${sessionId}" waits on a person (answer with \`aimax keys\` or \`aimax attach\`):`,
      );
      io.err(terminalText(turn.text));
      break;
    case "timeout":
      io.err(
        `aimax: session "${sessionId}" is still ${oneLine(turn.state)} after ${
          Math.round(turn.durationMs / 100) / 10
        } s`,
      );
      break;
    case "interrupted":
      io.err(
        `aimax: the turn of session "${sessionId}" was interrupted before it ended`,
      );
      break;
    case "unknown":
      io.err(
        `aimax: cannot tell how the turn of session "${sessionId}" ended: ${
          oneLine(turn.reason ?? "its transcript records no end")
        }`,
      );
      break;
    default:
      io.err(`aimax: the agent of session "${sessionId}" exited`);
  }
  return turnExitCode(turn.outcome);
}
