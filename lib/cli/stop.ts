/**
 * `aimax stop`: end a session (kill its window, archive it).
 *
 * @module
 */
import { oneLine } from "../render/table.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import {
  BACKEND_OPTION,
  backendFor,
  need,
  SESSION_OPTION,
  VERBOSE_OPTION,
} from "./shared.ts";

/**
 * `aimax stop [-b BACKEND] -s ID`.
 *
 * @example
 * ```ts
 * import { stop } from "./stop.ts";
 * console.log(stop.help);
 * ```
 */
export const stop = defineCommand({
  name: "stop",
  summary: "end a session (kill its window, archive it)",
  help: `Usage: aimax stop [-b BACKEND] -s ID

Kills the session's window and moves it to the archive.
  -v, --verbose          also whether a window was killed and a turn ran
${COMMON_HELP}`,
  options: { ...BACKEND_OPTION, ...SESSION_OPTION, ...VERBOSE_OPTION },
  async run({ values, io, emit }) {
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
  },
});
