/**
 * `aimax create`: start a session and submit its first prompt.
 *
 * @module
 */
import { PERMISSION_MODES, type PermissionMode } from "../agents/options.ts";
import { SUPPORTED_BACKENDS } from "../registry.ts";
import { oneLine } from "../render/table.ts";
import { Spinner } from "../terminal.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import {
  BACKEND_OPTION,
  backendFor,
  FLAG_ROOT_OPTION,
  need,
  PROMPT_OPTIONS,
  promptOf,
  SESSION_OPTION,
  shortPath,
  VERBOSE_OPTION,
} from "./shared.ts";

/**
 * `aimax create -b BACKEND -s ID --cwd DIR (-p TEXT | --prompt-file F | stdin)`.
 *
 * @example
 * ```ts
 * import { create } from "./create.ts";
 * console.log(create.help);
 * ```
 */
export const create = defineCommand({
  name: "create",
  summary: "start a session and submit its first prompt",
  help:
    `Usage: aimax create -b BACKEND -s ID --cwd DIR (-p TEXT | --prompt-file F | stdin)
                    [--permission-mode MODE [--allow-bypass]] [-- AGENT ARGS…]

  -b, --backend NAME     ${SUPPORTED_BACKENDS.join(" | ")}
  -s, --session ID       session id (A-Z a-z 0-9 _ -, up to 64)
      --cwd DIR          working directory (absolute, existing)
  -p, --prompt TEXT      first prompt (or --prompt-file FILE, or piped stdin)
      --model NAME       forwarded as --model to the agent
      --flag-root DIR    anchor of .imac/flags (default: cwd)
      --display-name T   free-form label
      --agent-session-id ID  resume this Claude uuid / Codex thread
      --use-proxy | --no-proxy   force proxychains on or off
      --permission-mode MODE  ${PERMISSION_MODES.join(" | ")}: ask (tools not
                         allowed ask), edits (file edits allowed, commands
                         ask), plan (read-only), auto (the agent decides),
                         bypass (nothing asks); default: the agent's own
                         (\`aimax status\` shows it)
      --allow-bypass     needed with --permission-mode bypass
  -v, --verbose          also the agent session id and the transcript path
  -- ARGS…               passed to the agent as they are, after aimax's own
                         (options only, e.g. \`-- --some-flag VALUE\`);
                         those aimax sets itself are refused with what to use
${COMMON_HELP}`,
  passthrough: true,
  options: {
    ...BACKEND_OPTION,
    ...SESSION_OPTION,
    cwd: { type: "string" },
    ...PROMPT_OPTIONS,
    model: { type: "string" },
    ...FLAG_ROOT_OPTION,
    "display-name": { type: "string" },
    "agent-session-id": { type: "string" },
    "use-proxy": { type: "boolean" },
    "no-proxy": { type: "boolean" },
    "permission-mode": { type: "string" },
    "allow-bypass": { type: "boolean" },
    ...VERBOSE_OPTION,
  },
  async run({ values, rest, io, json, emit }) {
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
  },
});
