import assert from "node:assert/strict";
import {
  agentOfTest,
  compatReport,
  parseTestOutput,
} from "../scripts/compat.ts";

Deno.test("compat: reads the top-level outcomes of deno test's plain output", () => {
  const output = [
    "running 3 tests from ./tests/claude_e2e_test.ts",
    "claude: a turn ... ok (1s)",
    "codex turns: keys ...",
    "  a step ... ok (5ms)",
    "codex turns: keys ... FAILED (2s)",
    "screens: claude/2.1.332/ready.txt reads as input ... ignored (0ms)",
    "ok | 1 passed | 1 failed",
  ].join("\n");
  assert.deepEqual(parseTestOutput(output), [
    { name: "claude: a turn", result: "ok" },
    { name: "codex turns: keys", result: "FAILED" },
    {
      name: "screens: claude/2.1.332/ready.txt reads as input",
      result: "ignored",
    },
  ]);
});

Deno.test("compat: a test belongs to the one agent its name names", () => {
  assert.equal(agentOfTest("claude e2e: create"), "claude");
  assert.equal(agentOfTest("Codex: queue"), "codex");
  assert.equal(agentOfTest("turns: claude and codex agree"), undefined);
  assert.equal(agentOfTest("screens: every capture"), undefined);
});

Deno.test("compat: the report has each agent's version, its tests and a summary line", () => {
  const lines = compatReport({ claude: "2.1.400", codex: "0.172.0" }, [
    { name: "claude: a", result: "ok" },
    { name: "codex: b", result: "FAILED" },
    { name: "screens: c", result: "ok" },
  ]);
  assert.deepEqual(lines, [
    "Claude Code 2.1.400 (@anthropic-ai/claude-code@latest): 1 passed, 0 failed, 0 ignored",
    "  pass  claude: a",
    "Codex 0.172.0 (@openai/codex@latest): 0 passed, 1 failed, 0 ignored",
    "  FAIL  codex: b",
    "Both agents / fixtures: 1 passed, 0 failed, 0 ignored",
    "  pass  screens: c",
    "compat: claude 2.1.400, codex 0.172.0: 2 passed, 1 failed of 3 tests — see the failures above",
  ]);
});
