import assert from "node:assert/strict";
import {
  agentOfTest,
  COMPAT_TESTS,
  compatReport,
  parseTestOutput,
} from "../scripts/compat.ts";
import { AGENTS } from "../offline/kits.ts";

Deno.test("compat: reads the top-level outcomes of deno test's plain output, each with its module", () => {
  const output = [
    "running 2 tests from ./tests/claude_e2e_test.ts",
    "claude: a turn ... ok (1s)",
    "codex turns: keys ...",
    "  a step ... ok (5ms)",
    "codex turns: keys ... FAILED (2s)",
    "running 1 test from ./tests/agents/screens_test.ts",
    "screens: claude/2.1.332/ready.txt reads as input ... ignored (0ms)",
    "ok | 1 passed | 1 failed",
  ].join("\n");
  assert.deepEqual(parseTestOutput(output), [
    {
      module: "tests/claude_e2e_test.ts",
      name: "claude: a turn",
      result: "ok",
    },
    {
      module: "tests/claude_e2e_test.ts",
      name: "codex turns: keys",
      result: "FAILED",
    },
    {
      module: "tests/agents/screens_test.ts",
      name: "screens: claude/2.1.332/ready.txt reads as input",
      result: "ignored",
    },
  ]);
});

Deno.test("compat: a test belongs to the one agent its name names", () => {
  assert.equal(agentOfTest("claude e2e: create"), "claude");
  assert.equal(agentOfTest("Codex: queue"), "codex");
  assert.equal(agentOfTest("gemini e2e: stop"), "gemini");
  assert.equal(agentOfTest("copilot approvals: approve"), "copilot");
  assert.equal(agentOfTest("turns: claude and codex agree"), undefined);
  assert.equal(agentOfTest("screens: every capture"), undefined);
  // A word, not a part of one.
  assert.equal(agentOfTest("codexes: many"), undefined);
});

Deno.test("compat: the report has each agent's version, per module its counts and failures, and a summary line", () => {
  const e2e = "tests/claude_e2e_test.ts";
  const screens = "tests/agents/screens_test.ts";
  const lines = compatReport({ claude: "2.1.400", codex: "0.172.0" }, [
    { module: e2e, name: "claude: a", result: "ok" },
    { module: e2e, name: "claude: b", result: "ignored" },
    { module: screens, name: "screens: claude/x.txt", result: "ok" },
    { module: "tests/codex_e2e_test.ts", name: "codex: b", result: "FAILED" },
    { module: screens, name: "screens: c", result: "ok" },
  ]);
  assert.deepEqual(lines, [
    "Claude Code 2.1.400 (@anthropic-ai/claude-code@latest): 2 passed, 0 failed, 1 ignored",
    "  tests/claude_e2e_test.ts: 1 passed, 0 failed, 1 ignored",
    "    skip  claude: b",
    "  tests/agents/screens_test.ts: 1 passed, 0 failed",
    "Codex 0.172.0 (@openai/codex@latest): 0 passed, 1 failed",
    "  tests/codex_e2e_test.ts: 0 passed, 1 failed",
    "    FAIL  codex: b",
    "Several agents / fixtures: 1 passed, 0 failed",
    "  tests/agents/screens_test.ts: 1 passed, 0 failed",
    "compat: claude 2.1.400, codex 0.172.0: 3 passed, 1 failed of 5 tests — see the failures above",
  ]);
});

Deno.test("compat: the subset is the end-to-end tests of the real TUIs and the screens, all present", async () => {
  assert.deepEqual(COMPAT_TESTS, [
    ...AGENTS.map((agent) => `tests/${agent}_e2e_test.ts`),
    "tests/turns_e2e_test.ts",
    "tests/turns_truth_e2e_test.ts",
    "tests/agents/screens_test.ts",
  ]);
  const root = new URL("../", import.meta.url);
  for (const file of COMPAT_TESTS) {
    assert.ok((await Deno.stat(new URL(file, root))).isFile, file);
  }
});
