/**
 * The snippets that register `aimax mcp` with an agent that is an MCP
 * client: each agent's profile writes its own (`mcpRegistration`).
 *
 * @module
 */
import { AGENT_PROFILES } from "../agents/mod.ts";
import { UsageError } from "../errors.ts";

/** The agents `--print-config` knows: the short names of the profiles that
 * say how to register aimax's MCP server. */
export const CONFIG_CLIENTS: readonly string[] = AGENT_PROFILES.filter((p) =>
  p.mcpRegistration
).map((p) => p.shortName);
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
 * The registration of aimax's MCP server with `client` (an agent's short
 * name): `text` is what goes in the agent's config, `note` one or two
 * lines on how to use it.
 *
 * @example
 * ```ts
 * import { CONFIG_CLIENTS, configSnippet } from "./print_config.ts";
 * console.log(configSnippet(CONFIG_CLIENTS[0], {}).text);
 * ```
 * @param client one of {@linkcode CONFIG_CLIENTS}
 * @param options the command, `--all-sessions`, `--server`
 */
export function configSnippet(
  client: string,
  options: SnippetOptions,
): { text: string; note: string } {
  const profile = AGENT_PROFILES.find((p) =>
    p.shortName === client && p.mcpRegistration
  );
  if (!profile?.mcpRegistration) {
    throw new UsageError(
      `--print-config takes ${CONFIG_CLIENTS.join(" or ")}, got "${client}"`,
    );
  }
  return profile.mcpRegistration({
    command: options.command ?? "aimax",
    args: argsOf(options),
    ...(options.server ? { tokenEnv: "AIMAX_SERVE_TOKEN" } : {}),
  });
}
