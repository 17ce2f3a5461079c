/**
 * Agents that drive agents the other way round, end to end and offline:
 * the real Codex TUI, started by aimax with aimax registered as its MCP
 * server for this run only (`-- -c mcp_servers.aimax.…`), is told by its
 * loopback model to call `create_session` for a Claude Code session and
 * then `send` with `wait: true`; the real Claude Code TUI (its own loopback
 * model) answers, and the answer comes back into Codex's own transcript.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startAnthropicStub } from "../../offline/anthropic_stub.ts";
import { prepareClaudeHome } from "../../offline/claude_home.ts";
import { hasAgent, ROOT, worldTest } from "../support/world.ts";

function ok(result: { code: number; stdout: string; stderr: string }) {
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** `value` as a TOML inline table of strings. */
function tomlTable(value: Record<string, string>): string {
  return `{${
    Object.entries(value).map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join(", ")
  }}`;
}

worldTest(
  "codex",
  "aimax mcp: Codex calls create_session for a Claude Code session, then send with wait, and gets Claude's answer into its transcript",
  async (world) => {
    const anthropic = await startAnthropicStub();
    try {
      const claudeEnv = await prepareClaudeHome(world.home, {
        baseUrl: anthropic.url,
        allowBash: true,
      });
      // Codex starts an MCP server with the environment it is given only.
      const env = { ...world.env, ...claudeEnv };
      const mcp = [
        "-c",
        `mcp_servers.aimax.command=${JSON.stringify(Deno.execPath())}`,
        "-c",
        `mcp_servers.aimax.args=${
          JSON.stringify(["run", "-A", join(ROOT, "cli.ts"), "mcp"])
        }`,
        "-c",
        `mcp_servers.aimax.env=${tomlTable(env)}`,
        "-c",
        "mcp_servers.aimax.tool_timeout_sec=300",
      ];
      ok(
        await world.cli([
          "create",
          "-b",
          "tmux-codex",
          "-s",
          "boss",
          "--cwd",
          world.cwd,
          "-p",
          "hi",
          "--",
          ...mcp,
        ]),
      );
      assert.equal(
        ok(await world.cli(["wait", "-s", "boss", "--timeout", "90"])).trim(),
        "ack: hi",
      );

      const create = {
        backend: "tmux-claude-code",
        session_id: "helper",
        cwd: world.cwd,
        prompt: "hello helper",
      };
      const send = {
        session_id: "helper",
        prompt: "[[say the answer is 42]]",
        wait: true,
        timeout_seconds: 180,
      };
      const prompt = `Delegate. [[mcp create_session ${
        JSON.stringify(create)
      }]] [[mcp send ${JSON.stringify(send)}]]`;
      const answer = ok(
        await world.cli([
          "send",
          "-s",
          "boss",
          "-p",
          prompt,
          "--wait",
          "--timeout",
          "300",
        ]),
      );
      // Codex hands its model the tool's structured content (JSON, after its
      // own "Wall time" lines), and the loopback model repeats what it got.
      assert.match(answer, /^mcp done: /);
      const got = JSON.parse(answer.slice(answer.indexOf("{")));
      assert.equal(got.summary, "the answer is 42");
      assert.equal(got.turn.outcome, "completed");

      const history = ok(await world.cli(["history", "-s", "boss", "--wide"]));
      assert.match(history, /create_session/);
      assert.match(history, /mcp done: [^]*the answer is 42/);
      const rows = JSON.parse(ok(await world.cli(["list", "--json"]))) as {
        sessionId: string;
        backend: string;
      }[];
      assert.deepEqual(
        rows.map((r) => [r.sessionId, r.backend]).sort(),
        [["boss", "tmux-codex"], ["helper", "tmux-claude-code"]],
      );
      const prompts = anthropic.prompts().join("\n");
      assert.match(prompts, /hello helper/);
      assert.match(prompts, /\[\[say the answer is 42\]\]/);
    } finally {
      await anthropic.close();
    }
  },
  { ignore: !hasAgent("claude") },
);
