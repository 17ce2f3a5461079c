/**
 * `aimax stop`: end a session (kill its window, archive it).
 *
 * @module
 */
import { oneLine } from "../render/table.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { STOP_OPTIONS } from "./options.ts";
import { backendFor, need } from "./shared.ts";

/**
 * Runs `aimax stop [-b BACKEND] -s ID`.
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
  const result = await backend.terminateSession(sessionId);
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
  });
  return EXIT.ok;
}
