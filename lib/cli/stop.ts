/**
 * `aimax stop`: end a session (kill its window, archive it).
 *
 * @module
 */
import { getConfig } from "../config.ts";
import { oneLine } from "../render/table.ts";
import { worktreeOutcomeLines } from "../render/worktree.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { STOP_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need } from "./shared.ts";

/**
 * Runs `aimax stop [-b BACKEND] -s ID [--discard]`: with a worktree, says
 * whether it was removed (its branch kept) or kept, where, and why.
 *
 * @example
 * ```ts ignore
 * import { stop } from "./stop.ts";
 * const code = await stop(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function stop(
  { values, io, emit }: CommandContext<typeof STOP_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const result = await backend.terminateSession(
    sessionId,
    values.discard ? { discard: true } : {},
  );
  emit(result, () => {
    io.out(
      `stopped ${oneLine(result.sessionId)}${
        result.killed ? "" : " (window was already gone)"
      }${result.wasWorking ? " (a turn was running)" : ""}`,
    );
    if (values.verbose) {
      io.out(
        `  window killed: ${result.killed ? "yes" : "no"}; turn running: ${
          result.wasWorking ? "yes" : "no"
        }`,
      );
    }
    if (result.worktree) {
      for (
        const line of worktreeOutcomeLines(result.worktree, {
          home: getConfig().home,
        })
      ) io.out(line);
    }
  });
  return EXIT.ok;
}
