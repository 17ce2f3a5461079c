/**
 * The snippets that register `aimax mcp` with an agent: Claude Code's
 * `--mcp-config` JSON (and the `claude mcp add` line), Codex's
 * `[mcp_servers.aimax]` TOML table.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** The agents `--print-config` knows. */
export const CONFIG_CLIENTS = ["claude", "codex"] as const;

/**
 * What the snippet starts and how.
 *
 * @example
 * ```ts
 * import type { SnippetOptions } from "./print_config.ts";
 * const options: SnippetOptions = { command: "aimax", allSessions: false };
 * ```
 */
export interface SnippetOptions {
  /** The program the agent runs (default `aimax`). */
  command?: string;
  /** Add `--all-sessions`. */
  allSessions?: boolean;
  /** Add `--server URL` (the token then comes from `AIMAX_SERVE_TOKEN`). */
  server?: string;
}

function argsOf(options: SnippetOptions): string[] {
  return [
    "mcp",
    ...(options.allSessions ? ["--all-sessions"] : []),
    ...(options.server ? ["--server", options.server] : []),
  ];
}

/**
 * The registration of aimax's MCP server with `client`: `text` is what
 * goes in the agent's config (Claude Code: a JSON file for `--mcp-config`
 * or `.mcp.json`; Codex: a table for `~/.codex/config.toml`), `note` one
 * or two lines on how to use it.
 *
 * @example
 * ```ts
 * import { configSnippet } from "./print_config.ts";
 * console.log(configSnippet("codex", {}).text);
 * // [mcp_servers.aimax]
 * // command = "aimax"
 * // args = ["mcp"]
 * // tool_timeout_sec = 600
 * ```
 * @param client `claude` or `codex`
 * @param options the command, `--all-sessions`, `--server`
 */
export function configSnippet(
  client: string,
  options: SnippetOptions,
): { text: string; note: string } {
  const command = options.command ?? "aimax";
  const args = argsOf(options);
  if (client === "claude") {
    const server: Record<string, unknown> = { command, args };
    if (options.server) {
      server.env = { AIMAX_SERVE_TOKEN: "${AIMAX_SERVE_TOKEN}" };
    }
    return {
      text: JSON.stringify({ mcpServers: { aimax: server } }, null, 2),
      note:
        `Save it as a file and start Claude Code with \`claude --mcp-config FILE\` (this run only), or register it once: claude mcp add aimax -- ${
          [command, ...args].join(" ")
        }`,
    };
  }
  if (client === "codex") {
    const lines = [
      "[mcp_servers.aimax]",
      `command = ${JSON.stringify(command)}`,
      `args = [${args.map((a) => JSON.stringify(a)).join(", ")}]`,
      // A wait may take longer than Codex's default 60 s per tool call.
      "tool_timeout_sec = 600",
    ];
    if (options.server) lines.push(`env_vars = ["AIMAX_SERVE_TOKEN"]`);
    return {
      text: lines.join("\n"),
      note:
        "Add it to ~/.codex/config.toml, or for one run: codex -c 'mcp_servers.aimax.command=\"aimax\"' -c 'mcp_servers.aimax.args=[\"mcp\"]'",
    };
  }
  throw new UsageError(
    `--print-config takes ${CONFIG_CLIENTS.join(" or ")}, got "${client}"`,
  );
}
