/**
 * `aimax wait`: until the session's current turn ends.
 *
 * @module
 */
import { COMMON_HELP, defineCommand } from "./command.ts";
import { BACKEND_OPTION, backendFor, need, SESSION_OPTION } from "./shared.ts";
import { reportTurn, secondsOption, TIMEOUT_OPTION } from "./turn.ts";

/**
 * `aimax wait [-b BACKEND] -s ID [--timeout SEC]`.
 *
 * @example
 * ```ts
 * import { wait } from "./wait.ts";
 * console.log(wait.help);
 * ```
 */
export const wait = defineCommand({
  name: "wait",
  summary: "wait until the current turn ends; print its final answer",
  help: `Usage: aimax wait [-b BACKEND] -s ID [--timeout SEC]

Waits until the session's current turn ends (at once when it is idle) and
prints the turn's final answer on stdout.
The answer is the final message of the turn as the agent's transcript
records it (hooks only make aimax hear of it sooner).
Exit: 0 completed, 5 the agent waits on a person (the dialog's text on
stderr), 6 --timeout passed (the turn still runs), 7 the turn was
interrupted, 8 the session is idle but its transcript records no end of the
turn (aimax cannot tell the answer; the reason on stderr), 1 the agent
exited.
  --timeout SEC          give up after SEC seconds (default: no limit)
With --json: {sessionId, outcome, state, text, source?, empty?, reason?,
turnId?, durationMs}; empty: true when the final message had no text.
${COMMON_HELP}`,
  options: { ...BACKEND_OPTION, ...SESSION_OPTION, ...TIMEOUT_OPTION },
  async run({ values, io, json }) {
    const sessionId = need(values, "session");
    const timeoutMs = secondsOption(values, "timeout");
    const backend = await backendFor(values);
    const turn = await backend.waitForTurn(sessionId, { timeoutMs });
    return reportTurn(io, { turn, sessionId, json });
  },
});
