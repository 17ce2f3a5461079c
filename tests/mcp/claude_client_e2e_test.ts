/**
 * Agents that drive agents, end to end and offline: the real Claude Code
 * TUI, started by aimax with aimax registered as its MCP server for this
 * run only (`-- --mcp-config FILE`), is told by its loopback model to call
 * `create_session` for a Codex session and then `send` with `wait: true`;
 * the real Codex TUI (its own loopback model) answers, and the answer comes
 * back into Claude Code's own transcript.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  MOCK_API_KEY_ENV,
  prepareCodexHome,
} from "../../offline/codex_home.ts";
import { startOpenAIStub } from "../../offline/openai_stub.ts";
import { hasAgent, ROOT, worldTest } from "../support/world.ts";

function ok(result: { code: number; stdout: string; stderr: string }) {
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  return result.stdout;
}

worldTest(
  "claude",
  "aimax mcp: Claude Code calls create_session for a Codex session, then send with wait, and gets Codex's answer into its transcript",
  async (world) => {
    const openai = await startOpenAIStub();
    try {
      const codexHome = join(world.root, "codex-home");
      const codexEnv = await prepareCodexHome(codexHome, {
        baseUrl: openai.baseUrl,
        home: world.home,
      });
      const config = join(world.root, "aimax-mcp.json");
      await Deno.writeTextFile(
        config,
        JSON.stringify({
          mcpServers: {
            aimax: {
              command: Deno.execPath(),
              args: ["run", "-A", join(ROOT, "cli.ts"), "mcp"],
              env: {
                ...world.env,
                CODEX_HOME: codexHome,
                AIMAX_CODEX_HOME: codexHome,
                [MOCK_API_KEY_ENV]: codexEnv[MOCK_API_KEY_ENV],
              },
            },
          },
        }),
      );
      ok(
        await world.cli([
          "create",
          "-b",
          "tmux-claude-code",
          "-s",
          "boss",
          "--cwd",
          world.cwd,
          "-p",
          "hi",
          "--",
          `--mcp-config=${config}`,
          "--allowedTools=mcp__aimax",
        ]),
      );
      assert.equal(
        ok(await world.cli(["wait", "-s", "boss", "--timeout", "90"])).trim(),
        "ack: hi",
      );

      const create = {
        backend: "tmux-codex",
        session_id: "worker",
        cwd: world.cwd,
        prompt: "hello worker",
      };
      const send = {
        session_id: "worker",
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
      // Claude Code hands its model a tool's structured content (JSON), and
      // the loopback model repeats what it got.
      assert.match(answer, /^mcp done: \{/);
      const got = JSON.parse(answer.trim().slice("mcp done: ".length));
      assert.equal(got.summary, "the answer is 42");
      assert.equal(got.turn.outcome, "completed");

      // Claude Code's own transcript holds the two tool calls and the answer.
      const history = ok(await world.cli(["history", "-s", "boss", "--wide"]));
      assert.match(history, /mcp__aimax__create_session/);
      assert.match(history, /mcp__aimax__send/);
      assert.match(history, /mcp done: .*the answer is 42/);
      // The worker is a real Codex session aimax runs, which got both prompts.
      const rows = JSON.parse(ok(await world.cli(["list", "--json"]))) as {
        sessionId: string;
        backend: string;
      }[];
      assert.deepEqual(
        rows.map((r) => [r.sessionId, r.backend]).sort(),
        [["boss", "tmux-claude-code"], ["worker", "tmux-codex"]],
      );
      const prompts = openai.prompts().join("\n");
      assert.match(prompts, /hello worker/);
      assert.match(prompts, /\[\[say the answer is 42\]\]/);
    } finally {
      await openai.close();
    }
  },
  { ignore: !hasAgent("codex") },
);
