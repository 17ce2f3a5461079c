import assert from "node:assert/strict";
import { summarizeRecord } from "../lib/format.ts";

Deno.test("format: one-line summaries of both agents' records", () => {
  assert.equal(
    summarizeRecord({ type: "user", message: { content: "hi" } }),
    "user: hi",
  );
  assert.equal(
    summarizeRecord({
      type: "assistant",
      message: {
        content: [{ type: "tool_use", name: "Bash", input: { command: "ls" } }],
      },
    }),
    'assistant: [tool Bash: {"command":"ls"}]',
  );
  assert.equal(
    summarizeRecord({ type: "system", subtype: "turn_duration" }),
    "system: turn_duration",
  );
  assert.equal(
    summarizeRecord({
      type: "event_msg",
      payload: {
        type: "item_completed",
        item: { type: "AgentMessage", content: [{ type: "Text", text: "ok" }] },
      },
    }),
    "AgentMessage: ok",
  );
  assert.equal(
    summarizeRecord({ type: "event_msg", payload: { type: "task_complete" } }),
    "event: task_complete",
  );
  assert.ok(
    summarizeRecord({ type: "user", message: { content: "x".repeat(500) } })
      .length <= 160,
  );
});
