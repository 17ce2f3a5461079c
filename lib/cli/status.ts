/**
 * `aimax status`: one session's status.
 *
 * @module
 */
import { formatPermission } from "../agents/options.ts";
import { cut, oneLine } from "../render/table.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import {
  BACKEND_OPTION,
  backendFor,
  need,
  printStatusTable,
  SESSION_OPTION,
  shortPath,
  textView,
  WIDE_OPTION,
} from "./shared.ts";

/**
 * `aimax status [-b BACKEND] -s ID [--wide]`.
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
  help: `Usage: aimax status [-b BACKEND] -s ID [--wide]

The session's row of \`aimax list\`, then why it is in its state, what it asks
when it waits on a person, its permission mode (and where it comes from: the
create option, the agent's settings or its default), the arguments passed to
the agent, its agent session, transcript and tmux window.
      --wide             nothing cut to the terminal's width
${COMMON_HELP}`,
  options: { ...BACKEND_OPTION, ...SESSION_OPTION, ...WIDE_OPTION },
  async run({ values, io, emit }) {
    const sessionId = need(values, "session");
    const backend = await backendFor(values);
    const status = await backend.status(sessionId);
    emit(status, () => {
      printStatusTable(io, [status], { wide: values.wide });
      const view = textView(io, values);
      const max = view.wide ? Infinity : (view.width ?? Infinity);
      const detail = (name: string, value: string) =>
        io.out(cut(`${`${name}:`.padEnd(15)}${oneLine(value)}`, max));
      io.out("");
      detail("state", `${status.state} (${status.stateReason})`);
      if (status.dialog) {
        detail("asks", status.dialog);
      }
      detail("permission", formatPermission(status.permission));
      if (status.agentArgs?.length) {
        detail("agent args", status.agentArgs.join(" "));
      }
      detail("agent session", status.agentSessionId ?? "-");
      detail(
        "transcript",
        status.jsonlPath ? shortPath(status.jsonlPath) : "-",
      );
      detail("window/pane", `${status.windowId} ${status.paneId}`);
    });
    return EXIT.ok;
  },
});
