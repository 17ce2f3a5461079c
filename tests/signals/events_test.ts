/**
 * The event model against transcripts recorded from the pinned TUIs
 * (`tests/fixtures/transcripts/`: a session driven through aimax against
 * the loopback model: "hello"; a Bash tool call `[[bash echo hi]]`; a slow
 * turn interrupted by `pause`; "after").
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readJsonl } from "../../lib/jsonl/reader.ts";
import { EventNormalizer } from "../../lib/signals/events.ts";
import { PROFILES } from "../../lib/registry.ts";
import { ROOT } from "../support/world.ts";

async function eventsOf(agent: "claude" | "codex", backend: string) {
  const { entries } = await readJsonl(
    join(ROOT, "tests", "fixtures", "transcripts", `${agent}.jsonl`),
  );
  const normalizer = new EventNormalizer(
    (r) => PROFILES[backend].transcriptEvents(r),
    { sessionId: "s", backend },
  );
  return entries.flatMap((e) => normalizer.events(e.value, e.offset));
}

const brief = (e: Record<string, unknown>) =>
  e.type === "user_message" || e.type === "assistant_message"
    ? `${e.type}:${e.text}`
    : e.type === "tool_call"
    ? `tool_call:${e.name}`
    : e.type === "turn_completed"
    ? `turn_completed:${e.text}`
    : String(e.type);

const EXPECTED = [
  "turn_started",
  "user_message:hello",
  "assistant_message:ack: hello",
  "turn_completed:ack: hello",
  "turn_started",
  "user_message:run it [[bash echo hi]]",
  "tool_call:*",
  "tool_result",
  "assistant_message:tool done",
  "turn_completed:tool done",
  "turn_started",
  "user_message:slow [[slow 5]]",
  "assistant_message:*",
  "turn_aborted",
  "turn_started",
  "user_message:after",
  "assistant_message:ack: after",
  "turn_completed:ack: after",
];

for (
  const [agent, backend] of [["claude", "tmux-claude-code"], [
    "codex",
    "tmux-codex",
  ]] as const
) {
  Deno.test(`events: a recorded ${agent} conversation reads as the expected sequence`, async () => {
    const events = await eventsOf(agent, backend);
    const got = events.map(brief).filter((e) =>
      // Claude writes a partial assistant message before the interrupt;
      // Codex may write none: compare the rest.
      !(e.startsWith("assistant_message:") && e.includes("tick"))
    );
    const want = EXPECTED.filter((e) => e !== "assistant_message:*").map((e) =>
      e === "tool_call:*" ? got.find((g) => g.startsWith("tool_call:"))! : e
    );
    assert.deepEqual(got, want);
    const call = events.find((e) => e.type === "tool_call");
    assert.ok(call && call.type === "tool_call" && call.callId);
    const result = events.find((e) => e.type === "tool_result");
    assert.ok(result && result.type === "tool_result");
    assert.equal(result.callId, call.callId, "the result names its call");
    assert.match(result.output, /hi/);
    assert.ok(
      events.every((e) => e.sessionId === "s" && e.backend === backend),
    );
    assert.ok(events.every((e) => typeof e.offset === "number" && e.raw));
    const done = events.filter((e) => e.type === "turn_completed");
    assert.ok(
      done.every((e) =>
        e.type === "turn_completed" && typeof e.durationMs === "number"
      ),
    );
  });
}
