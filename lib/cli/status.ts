/**
 * `aimax status`: one session's status.
 *
 * @module
 */
import { formatPermission } from "../agent_options.ts";
import { formatRules, hasRules } from "../rules.ts";
import { cut, oneLine } from "../render/table.ts";
import { worktreeDetails } from "../render/worktree.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { STATUS_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need, printStatusTable, shortPath, textView } from "./shared.ts";

/**
 * Runs `aimax status [-b BACKEND] -s ID [--wide]`.
 *
 * @example
 * ```ts ignore
 * import { status } from "./status.ts";
 * const code = await status(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function status(
  { values, io, emit }: CommandContext<typeof STATUS_OPTIONS>,
): Promise<number> {
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
    if (status.dialogInfo) {
      const { id, choices } = status.dialogInfo;
      detail("dialog", id);
      if (choices.length > 0) {
        detail(
          "choices",
          choices.map((c) => `${c.label} [${c.kind}]`).join(" · "),
        );
      }
    }
    detail("permission", formatPermission(status.permission));
    if (status.worktree) {
      for (const [name, value] of worktreeDetails(status.worktree, view)) {
        detail(name, value);
      }
    }
    if (hasRules(status.rules)) {
      detail("rules", formatRules(status.rules));
    }
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
}
