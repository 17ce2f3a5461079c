/**
 * `aimax create`: start a session and submit its first prompt.
 *
 * @module
 */
import type { PermissionMode } from "../agent_options.ts";
import { oneLine } from "../render/table.ts";
import { Spinner } from "../terminal.ts";
import { type CommandContext, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import type { CREATE_OPTIONS } from "./options.ts";
import { backendFor, need, promptOf, shortPath } from "./shared.ts";

/**
 * Runs `aimax create -b BACKEND -s ID --cwd DIR (-p TEXT | --prompt-file F | stdin)`.
 *
 * @example
 * ```ts ignore
 * import { create } from "./create.ts";
 * const code = await create(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function create(
  { values, rest, io, json, emit }: CommandContext<typeof CREATE_OPTIONS>,
): Promise<number> {
  const backend = await backendFor({
    backend: need(values, "backend"),
    server: values.server,
    "server-timeout": values["server-timeout"],
  });
  if (values["use-proxy"] && values["no-proxy"]) {
    throw new UsageError("give --use-proxy or --no-proxy, not both");
  }
  const spinner = new Spinner(
    io.progress ?? (() => {}),
    !json && (io.interactive?.() ?? false),
  );
  spinner.start(`starting ${backend.profile.label} session`);
  const result = await backend.createNewSession({
    onProgress: (step) => spinner.update(step),
    onWarning: (message) => io.err(`aimax: warning: ${oneLine(message)}`),
    sessionId: need(values, "session"),
    cwd: need(values, "cwd"),
    initialPrompt: await promptOf(values, io),
    flagRoot: values["flag-root"],
    model: values.model,
    displayName: values["display-name"],
    agentSessionId: values["agent-session-id"],
    permissionMode: values["permission-mode"] as PermissionMode | undefined,
    allowBypass: values["allow-bypass"],
    agentArgs: rest.length > 0 ? rest : undefined,
    useProxy: values["use-proxy"]
      ? true
      : values["no-proxy"]
      ? false
      : undefined,
  }).finally(() => spinner.stop());
  const cwd = need(values, "cwd");
  emit(result, () => {
    io.out(
      `created ${oneLine(result.sessionId)} (${backend.profile.shortName}, ${
        shortPath(cwd)
      })`,
    );
    if (!values.verbose) return;
    io.out(`  agent session: ${oneLine(result.agentSessionId ?? "-")}`);
    io.out(
      `  transcript:    ${
        result.jsonlPath ? oneLine(shortPath(result.jsonlPath)) : "-"
      }`,
    );
  });
  return EXIT.ok;
}
