/**
 * Reading a session's signals from the end of its events file (no tmux): a
 * turn end far back is still found, and a prompt's own turn end is told
 * from the turn it waited behind.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { claudeProfile } from "../../lib/agents/claude.ts";
import type { BackendContext } from "../../lib/backend/context.ts";
import { DEFAULT_TIMINGS } from "../../lib/backend/timings.ts";
import { readSignals } from "../../lib/backend/turns.ts";
import { configFromEnv } from "../../lib/config.ts";
import { signalFiles } from "../../lib/signals/files.ts";
import { type SessionRecord, StateStore } from "../../lib/state.ts";

async function setUp(lines: Record<string, unknown>[]) {
  const dataDir = await Deno.makeTempDir();
  const ctx: BackendContext = {
    name: claudeProfile.name,
    profile: claudeProfile,
    config: { ...configFromEnv(), dataDir },
    store: new StateStore(dataDir),
    timings: DEFAULT_TIMINGS,
  };
  const record = { sessionId: "t1", agentSessionId: null } as SessionRecord;
  const { events } = signalFiles(dataDir, {
    backend: ctx.name,
    sessionId: "t1",
  });
  await Deno.mkdir(join(events, ".."), { recursive: true });
  await Deno.writeTextFile(
    events,
    lines.map((l) => JSON.stringify(l) + "\n").join(""),
  );
  return { ctx, record, dataDir };
}

Deno.test("turns: the last turn end is found behind many tool signals (read in growing windows)", async () => {
  const big = "x".repeat(10_000); // a tool's output in the payload
  const lines = [
    { at: 1, event: "UserPromptSubmit", payload: { prompt: "one" } },
    { at: 2, event: "Stop", payload: { last_assistant_message: "ack: one" } },
    { at: 3, event: "UserPromptSubmit", payload: { prompt: "two" } },
    ...Array.from({ length: 100 }, (_, i) => ({
      at: 4 + i,
      event: i % 2 ? "PostToolUse" : "PreToolUse",
      payload: { tool_response: big },
    })),
  ];
  const { ctx, record, dataDir } = await setUp(lines);
  const signals = await readSignals(ctx, record);
  assert.equal(signals.any, true);
  assert.equal(signals.last?.state, "working");
  assert.equal(signals.lastEnd?.raw.at, 2, "the end 100 lines back");
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("turns: a prompt's own end, not the end of the turn it was queued behind", async () => {
  const lines = [
    { at: 10, event: "UserPromptSubmit", payload: { prompt: "three" } },
    ...Array.from({ length: 30 }, (_, i) => ({
      at: 11 + i,
      event: "PreToolUse",
      payload: {},
    })),
    {
      at: 50,
      event: "Stop",
      payload: { last_assistant_message: "ack: three" },
    },
    { at: 51, event: "UserPromptSubmit", payload: { prompt: "four" } },
  ];
  const { ctx, record, dataDir } = await setUp(lines);
  // "four" was sent at 20, while "three" ran.
  const before = await readSignals(ctx, record, { prompt: "four", since: 20 });
  assert.equal(before.lastEnd?.raw.at, 50);
  assert.equal(before.promptEnd, undefined, "its turn has not ended");
  await Deno.writeTextFile(
    signalFiles(dataDir, { backend: ctx.name, sessionId: "t1" }).events,
    JSON.stringify({
      at: 60,
      event: "Stop",
      payload: { last_assistant_message: "ack: four" },
    }) + "\n",
    { append: true },
  );
  const after = await readSignals(ctx, record, { prompt: "four", since: 20 });
  assert.deepEqual(after.promptEnd?.said, {
    kind: "turn_ended",
    answer: "ack: four",
  });
  await Deno.remove(dataDir, { recursive: true });
});
