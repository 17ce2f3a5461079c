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
import { PROFILES } from "../../lib/agents/mod.ts";
import { type AgentName, TEST_KITS } from "../../offline/kits.ts";
import { ROOT } from "../support/world.ts";

/**
 * The agents recorded in the four-turn scenario above
 * (`tests/fixtures/transcripts/<agent>.jsonl`).
 */
const RECORDED: readonly AgentName[] = ["claude", "codex"];

async function eventsOf(agent: AgentName) {
  const backend = TEST_KITS[agent].backend;
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

for (const agent of RECORDED) {
  Deno.test(`events: a recorded ${agent} conversation reads as the expected sequence`, async () => {
    const events = await eventsOf(agent);
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
      events.every((e) =>
        e.sessionId === "s" && e.backend === TEST_KITS[agent].backend
      ),
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

Deno.test("events: Claude records written out of order are put back in order by their links", () => {
  const profile = PROFILES["tmux-claude-code"];
  const normalizer = new EventNormalizer((r) => profile.transcriptEvents(r), {
    sessionId: "s",
    backend: "tmux-claude-code",
    links: profile.recordLinks,
  });
  // As Claude Code wrote them for a fast reply: the turn's end first.
  const records = [
    {
      type: "system",
      subtype: "turn_duration",
      durationMs: 88,
      uuid: "d",
      parentUuid: "a",
    },
    { type: "user", uuid: "u", parentUuid: "p", message: { content: "hello" } },
    {
      type: "assistant",
      uuid: "a",
      parentUuid: "u",
      message: { content: [{ type: "text", text: "ack: hello" }] },
    },
  ];
  const got = records.flatMap((r, i) => normalizer.events(r, i));
  assert.deepEqual(got.map((e) => brief(e)), [
    "turn_started",
    "user_message:hello",
    "assistant_message:ack: hello",
    "turn_completed:ack: hello",
  ]);
  assert.deepEqual(normalizer.flush(), []);
});

Deno.test("events: a record whose parent never comes is released after a few records, or by flush", () => {
  const profile = PROFILES["tmux-claude-code"];
  const normalizer = new EventNormalizer((r) => profile.transcriptEvents(r), {
    sessionId: "s",
    backend: "tmux-claude-code",
    links: profile.recordLinks,
  });
  const orphan = {
    type: "assistant",
    uuid: "x",
    parentUuid: "before-the-stream",
    message: { content: [{ type: "text", text: "resumed" }] },
  };
  assert.deepEqual(normalizer.events(orphan, 0), []);
  assert.equal(normalizer.lastHeld, true);
  assert.deepEqual(normalizer.flush().map((e) => brief(e)), [
    "assistant_message:resumed",
  ]);
  // More than a few waiting: they are released, in arrival order.
  const many = Array.from({ length: 9 }, (_, i) => ({
    type: "assistant",
    uuid: `m${i}`,
    parentUuid: `gone${i}`,
    message: { content: [{ type: "text", text: `m${i}` }] },
  }));
  const out = many.flatMap((r, i) => normalizer.events(r, i));
  assert.deepEqual(
    out.map((e) => brief(e)),
    Array.from({ length: 9 }, (_, i) => `assistant_message:m${i}`),
  );
  // A user record never waits.
  const user = {
    type: "user",
    uuid: "u2",
    parentUuid: "gone",
    message: { content: "hi" },
  };
  assert.equal(normalizer.events(user, 0).length, 2);
});
