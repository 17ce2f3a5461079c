/**
 * `aimax status`: one session's status.
 *
 * @module
 */
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import {
  BACKEND_OPTION,
  backendFor,
  need,
  printStatus,
  SESSION_OPTION,
} from "./shared.ts";

/**
 * `aimax status [-b BACKEND] -s ID`.
 *
 * @example
 * ```ts
 * import { status } from "./status.ts";
 * console.log(status.help);
 * ```
 */
export const status = defineCommand({
  name: "status",
  summary: "one session's status",
  help: `Usage: aimax status [-b BACKEND] -s ID
${COMMON_HELP}`,
  options: { ...BACKEND_OPTION, ...SESSION_OPTION },
  async run({ values, io, emit }) {
    const sessionId = need(values, "session");
    const backend = await backendFor(values);
    const status = await backend.status(sessionId);
    emit(status, () => {
      printStatus(io, status);
      io.out(`  agent session: ${status.agentSessionId ?? "-"}`);
      io.out(`  transcript:    ${status.jsonlPath ?? "-"}`);
      io.out(`  window/pane:   ${status.windowId} ${status.paneId}`);
    });
    return EXIT.ok;
  },
});
