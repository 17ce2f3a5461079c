import assert from "node:assert/strict";
import { claudeProfile } from "../../lib/agents/claude.ts";
import { codexProfile } from "../../lib/agents/codex.ts";
import { entryLine } from "../../lib/cli/conversation.ts";
import {
  ConversationRenderer,
  eventLines,
  foldOutput,
  toolCallLabel,
  toolInputSummary,
} from "../../lib/render/conversation.ts";
import { assertSnapshot, transcriptEntries } from "../support/snapshot.ts";

const PROFILES = { claude: claudeProfile, codex: codexProfile } as const;

for (const agent of ["claude", "codex"] as const) {
  const read = (r: Record<string, unknown>) =>
    PROFILES[agent].transcriptEvents(r);

  Deno.test(`conversation: ${agent} transcript as people read it (snapshot)`, async () => {
    const renderer = new ConversationRenderer(read, { width: 80 });
    const lines = (await transcriptEntries(agent)).flatMap((e) =>
      renderer.lines(e)
    );
    assert.ok(lines.includes("❯ hello"));
    assert.ok(lines.some((l) => /^ {2}⏺ \S+: echo hi$/.test(l)), "tool call");
    assert.ok(lines.includes("  ✗ interrupted"));
    assert.ok(!lines.some((l) => l.includes("\x1b")), "no colour");
    await assertSnapshot(`conversation_${agent}`, lines);
  });

  Deno.test(`conversation: ${agent} with --all --offsets (snapshot)`, async () => {
    const renderer = new ConversationRenderer(read, {
      width: 80,
      all: true,
      offsets: true,
      fallback: entryLine,
    });
    const entries = await transcriptEntries(agent);
    const lines = entries.flatMap((e) => renderer.lines(e));
    for (const entry of entries) {
      assert.ok(
        lines.some((l) => l.startsWith(`[${entry.offset}] `)),
        `record at ${entry.offset} shown`,
      );
    }
    await assertSnapshot(`conversation_${agent}_all`, lines);
  });
}

Deno.test("conversation: one line per tool call, its result folded", () => {
  assert.deepEqual(
    eventLines({
      type: "tool_call",
      name: "Bash",
      input: { command: "rm -f a-file-with-a-long-name\necho done" },
    }, { width: 30 }),
    ["  ⏺ Bash: rm -f a-file-with-a…"],
  );
  assert.deepEqual(
    eventLines({
      type: "tool_result",
      output: "\nfirst\n2\n3\n",
      isError: true,
    }),
    ["    ⎿ error: first (+2 lines)"],
  );
  assert.equal(foldOutput(""), "(no output)");
  assert.equal(toolInputSummary({ cmd: ["bash", "-lc", "ls"] }), "bash -lc ls");
  assert.equal(toolInputSummary({ a: 1 }), '{"a":1}');
  assert.equal(toolCallLabel("Bash", { command: "ls -la" }), "Bash: ls -la");
  assert.equal(
    toolCallLabel("Edit", { file_path: "src/x.ts", old_string: "a" }),
    "Edit: src/x.ts",
  );
  assert.equal(toolCallLabel("TodoWrite", undefined), "TodoWrite");
});

Deno.test("conversation: multi-line messages stay whole, indented; turn ends with duration", () => {
  assert.deepEqual(
    eventLines({ type: "assistant_message", text: "one\n\ntwo\n" }),
    ["  one", "", "  two"],
  );
  assert.deepEqual(eventLines({ type: "user_message", text: "a\nb" }), [
    "❯ a",
    "  b",
  ]);
  assert.deepEqual(
    eventLines({ type: "turn_completed", durationMs: 4_200, offset: 7 }, {
      offsets: true,
    }),
    ["[7]   ✓ done in 4.2s", ""],
  );
  assert.deepEqual(eventLines({ type: "turn_started" }), []);
});

Deno.test("conversation: an agent's text reaches the terminal with its escape sequences made visible, messages and one-line items alike", () => {
  const hostile = "x\x1b]52;c;cm0=\x07\x1b[2J";
  assert.deepEqual(
    eventLines({ type: "assistant_message", text: `${hostile}\nnext` }),
    ["  x?]52;c;cm0=??[2J", "  next"],
  );
  assert.deepEqual(
    eventLines({ type: "state", from: "idle", to: "working", reason: hostile }),
    ["  · idle → working (x?]52;c;cm0=??[2J)"],
  );
  assert.deepEqual(
    eventLines({
      type: "tool_call",
      name: hostile,
      input: { command: hostile },
    }),
    ["  ⏺ x?]52;c;cm0=??[2J: x?]52;c;cm0=??[2J"],
  );
});
