/**
 * `aimax wait`: until the session's current turn ends.
 *
 * @module
 */
import type { CommandContext } from "./command.ts";
import type { WAIT_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need } from "./shared.ts";
import { reportTurn, secondsOption } from "./turn.ts";

/**
 * Runs `aimax wait [-b BACKEND] -s ID [--timeout SEC]`.
 *
 * @example
 * ```ts ignore
 * import { wait } from "./wait.ts";
 * const code = await wait(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function wait(
  { values, io, json }: CommandContext<typeof WAIT_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const timeoutMs = secondsOption(values, "timeout");
  const backend = await backendFor(values);
  const turn = await backend.waitForTurn(sessionId, { timeoutMs });
  return reportTurn(io, { turn, sessionId, json });
}
