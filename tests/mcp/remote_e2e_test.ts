/**
 * `aimax mcp --server URL`: the SDK's client drives the real Codex TUI
 * (against the loopback model) on another "machine", an `aimax serve` in a
 * Codex world, from an MCP server process with its own empty HOME, data dir
 * and tmux socket: create with wait, send with wait, history, list, stop.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { SERVE_WORLD, startServe, TOKEN } from "../support/serve_client.ts";
import { ROOT, worldTest } from "../support/world.ts";

function textOf(result: CallToolResult): string {
  return (result.content as { type: string; text?: string }[])
    .map((c) => c.text ?? "").join("");
}

worldTest(
  "codex",
  "aimax mcp --server: the tools drive a Codex session of a remote aimax serve (create and send with wait, history, list, stop)",
  async (world) => {
    const served = await startServe(world);
    const here = await Deno.makeTempDir({ prefix: "aimax-mcp-client-" });
    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args: ["run", "-A", join(ROOT, "cli.ts"), "mcp", "--server", served.url],
      env: {
        PATH: world.env.PATH,
        HOME: here,
        AIMAX_DATA_DIR: join(here, "data"),
        AIMAX_TMUX_SOCKET: join(here, "tmux.sock"),
        AIMAX_SERVE_TOKEN: TOKEN,
        ...(world.env.DENO_DIR ? { DENO_DIR: world.env.DENO_DIR } : {}),
      },
      stderr: "pipe",
    });
    const client = new Client({ name: "test", version: "1" });
    const call = async (name: string, args: Record<string, unknown>) =>
      await client.callTool({ name, arguments: args }, undefined, {
        timeout: 240_000,
      }) as CallToolResult;
    try {
      await client.connect(transport);
      const created = await call("create_session", {
        backend: "tmux-codex",
        session_id: "far1",
        cwd: world.cwd,
        prompt: "hello from afar",
        wait: true,
        timeout_seconds: 180,
      });
      assert.equal(created.isError, undefined, textOf(created));
      assert.match(
        textOf(created),
        /created session far1 \(Codex\)[^]*\nack: hello from afar$/,
      );

      const answered = await call("send", {
        session_id: "far1",
        prompt: "[[say forty-two]]",
        wait: true,
        timeout_seconds: 180,
      });
      assert.equal(textOf(answered), "forty-two");

      const history = await call("get_history", { session_id: "far1" });
      assert.match(
        textOf(history),
        /❯ hello from afar[^]*ack: hello from afar[^]*forty-two/,
      );

      const listed = await call("list_sessions", {});
      const rows = (listed.structuredContent as {
        sessions: { sessionId: string; createdHere: boolean }[];
      }).sessions;
      assert.deepEqual(
        rows.map((r) => [r.sessionId, r.createdHere]),
        [["far1", true]],
      );

      const stopped = await call("stop_session", { session_id: "far1" });
      assert.match(textOf(stopped), /^stopped far1/);
      const gone = await call("get_screen", { session_id: "far1" });
      assert.match(textOf(gone), /^error session_not_found: /);
    } finally {
      await client.close();
      await served.stop();
      await Deno.remove(here, { recursive: true });
    }
  },
  SERVE_WORLD,
);
