/**
 * The aimax MCP server: the official SDK's `Server` (the protocol:
 * initialisation, capabilities, progress, cancellation) with aimax's tools
 * (`./tools.ts`), served over stdio by `aimax mcp`.
 *
 * @module
 */
import process from "node:process";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { AGENT_LABELS, BACKEND_NAMES, listed } from "../agents/names.ts";
import { VERSION } from "../version.ts";
import { Ownership } from "./ownership.ts";
import type { SessionSource } from "./source.ts";
import { MCP_TIMINGS, type McpTimings } from "./timings.ts";
import { registerTools } from "./tools.ts";

/**
 * Options of {@linkcode createMcpServer}.
 *
 * @example
 * ```ts
 * import { localSource } from "./source.ts";
 * import type { McpServerOptions } from "./server.ts";
 * const options: McpServerOptions = { source: localSource(), allSessions: false };
 * ```
 */
export interface McpServerOptions {
  /** Where the sessions are (this host's tmux, or a remote `aimax serve`). */
  source: SessionSource;
  /** `send_keys` and `stop_session` may touch sessions this server did not create. */
  allSessions?: boolean;
  /** Time limits other than {@linkcode MCP_TIMINGS}. */
  timings?: Partial<McpTimings>;
}

/** What the server tells a client about itself on `initialize`. */
const INSTRUCTIONS = `aimax runs ${
  listed(AGENT_LABELS)
} as real, persistent terminal sessions. Start one with create_session (backend ${
  BACKEND_NAMES.join(" or ")
}), give it work with send, read its answer with wait (or send/create_session with wait: true) and its conversation with get_history. A session that waits on a person (awaiting_input) shows a dialog: aimax never answers one by itself. send_keys and stop_session work on the sessions this server created.`;

/**
 * An MCP server with aimax's tools, not yet connected.
 *
 * @example
 * ```ts
 * import { createMcpServer } from "./server.ts";
 * import { localSource } from "./source.ts";
 * const server = createMcpServer({ source: localSource() });
 * ```
 * @param options the sessions' source, `allSessions`, timings
 */
export function createMcpServer(options: McpServerOptions): Server {
  const server = new Server(
    { name: "aimax", version: VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  registerTools(server, {
    source: options.source,
    ownership: new Ownership({ allSessions: options.allSessions ?? false }),
    timings: { ...MCP_TIMINGS, ...options.timings },
  });
  return server;
}

/**
 * Serves aimax's tools over stdin/stdout until the client closes the
 * connection (stdin ends).
 *
 * @example
 * ```ts ignore
 * import { serveStdio } from "./server.ts";
 * import { localSource } from "./source.ts";
 * await serveStdio({ source: localSource() });
 * ```
 * @param options as {@linkcode createMcpServer} takes them
 */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  const server = createMcpServer(options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  // The SDK's transport does not hear stdin end: the client is gone.
  process.stdin.once("end", () => void server.close());
  await closed;
}
