/**
 * `aimax mcp` as a process: the SDK's own client starts it over stdio (as
 * Claude Code or Codex would) against an empty data dir and tmux server of
 * its own, lists the tools, calls them, and the server ends when the
 * client closes its stdin.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { TOOL_NAMES } from "../../lib/mcp/tools.ts";
import { ROOT } from "../support/world.ts";

function textOf(result: CallToolResult): string {
  return (result.content as { type: string; text?: string }[])
    .map((c) => c.text ?? "").join("");
}

Deno.test("aimax mcp: a stdio client lists the tools and calls them on this host's (empty) sessions", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-mcp-" });
  const socket = join(dir, "tmux.sock");
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", join(ROOT, "cli.ts"), "mcp"],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: dir,
      AIMAX_DATA_DIR: join(dir, "data"),
      AIMAX_TMUX_SOCKET: socket,
      ...(Deno.env.get("DENO_DIR")
        ? { DENO_DIR: Deno.env.get("DENO_DIR")! }
        : { DENO_DIR: join(Deno.env.get("HOME") ?? "/root", ".cache/deno") }),
    },
    stderr: "pipe",
  });
  const client = new Client({ name: "test", version: "1" });
  try {
    await client.connect(transport);
    assert.equal(client.getServerVersion()?.name, "aimax");
    const tools = (await client.listTools()).tools as { name: string }[];
    assert.deepEqual(tools.map((t) => t.name), [...TOOL_NAMES]);
    const listed = await client.callTool({
      name: "list_sessions",
      arguments: {},
    }) as CallToolResult;
    assert.equal(textOf(listed), "no sessions");
    assert.deepEqual(listed.structuredContent, {
      sessions: [],
      summary: "no sessions",
    });
    const missing = await client.callTool({
      name: "wait",
      arguments: { session_id: "nobody" },
    }) as CallToolResult;
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /^error session_not_found: /);
    const invented = await client.callTool({
      name: "stop_session",
      arguments: { session_id: "../../etc" },
    }) as CallToolResult;
    assert.match(textOf(invented), /^error invalid_input: invalid session id/);
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
});
