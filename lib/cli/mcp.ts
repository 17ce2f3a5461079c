/**
 * `aimax mcp`: aimax's sessions as an MCP server over stdio, for agents
 * that drive agents; `--print-config` prints the snippet that registers it.
 *
 * @module
 */
import { configSnippet } from "../mcp/print_config.ts";
import { serveStdio } from "../mcp/server.ts";
import { localSource, remoteSource } from "../mcp/source.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { MCP_OPTIONS } from "./options.ts";
import { remoteOf } from "./shared.ts";

/**
 * Runs `aimax mcp [--all-sessions] [--server URL]` (until the client
 * closes stdin) or `aimax mcp --print-config AGENT`.
 *
 * @example
 * ```ts ignore
 * import { mcp } from "./mcp.ts";
 * const code = await mcp(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function mcp(
  { values, io }: CommandContext<typeof MCP_OPTIONS>,
): Promise<number> {
  if (values["print-config"] !== undefined) {
    const snippet = configSnippet(values["print-config"], {
      allSessions: values["all-sessions"],
      server: values.server,
    });
    io.out(snippet.text);
    io.err(snippet.note);
    return EXIT.ok;
  }
  const server = remoteOf(values);
  await serveStdio({
    source: server ? remoteSource(server) : localSource(),
    allSessions: values["all-sessions"] ?? false,
  });
  return EXIT.ok;
}
