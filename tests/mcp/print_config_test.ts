/**
 * `aimax mcp --print-config claude|codex`: the snippet parses as what each
 * agent reads (JSON for Claude Code's `--mcp-config`, TOML for Codex's
 * config) and starts `aimax mcp` with the options given.
 */
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { main } from "../../cli.ts";
import { configSnippet } from "../../lib/mcp/print_config.ts";

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdin: () => Promise.resolve(undefined),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("mcp --print-config claude: JSON for --mcp-config on stdout, the claude mcp add line on stderr", async () => {
  const { code, out, err } = await run(["mcp", "--print-config", "claude"]);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), {
    mcpServers: { aimax: { command: "aimax", args: ["mcp"] } },
  });
  assert.match(err, /claude --mcp-config FILE/);
  assert.match(err, /claude mcp add aimax -- aimax mcp$/);
});

Deno.test("mcp --print-config codex: a [mcp_servers.aimax] table, with --all-sessions and --server passed on", async () => {
  const { code, out } = await run([
    "mcp",
    "--print-config",
    "codex",
    "--all-sessions",
    "--server",
    "http://10.0.0.2:7878",
  ]);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(JSON.stringify(parse(out))), {
    mcp_servers: {
      aimax: {
        command: "aimax",
        args: ["mcp", "--all-sessions", "--server", "http://10.0.0.2:7878"],
        tool_timeout_sec: 600,
        env_vars: ["AIMAX_SERVE_TOKEN"],
      },
    },
  });
  const claude = JSON.parse(
    configSnippet("claude", { server: "http://h:1", command: "/bin/aimax" })
      .text,
  );
  assert.deepEqual(claude.mcpServers.aimax, {
    command: "/bin/aimax",
    args: ["mcp", "--server", "http://h:1"],
    env: { AIMAX_SERVE_TOKEN: "${AIMAX_SERVE_TOKEN}" },
  });
});

Deno.test("mcp --print-config: another client is bad usage (exit 2)", async () => {
  const { code, err } = await run(["mcp", "--print-config", "nobody"]);
  assert.equal(code, 2);
  assert.match(err, /--print-config takes claude or codex\b.*, got "nobody"/);
});
