/**
 * Waiting for a turn on a real tmux pane that shows a screen captured from
 * the real Codex (`tests/support/fake_codex.ts`) and a rollout the test
 * writes from a recorded one: a turn written after the wait began ends it
 * with the turn's answer; a pane that is gone ends it as exited, well
 * before its time limit.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { codexProfile } from "../../lib/agents/codex.ts";
import { backendContext } from "../../lib/backend/context.ts";
import { waitForTurn } from "../../lib/backend/turn_wait.ts";
import { getConfig } from "../../lib/config.ts";
import { fakeCodexSessions, useFakeCodex } from "../support/fake_codex.ts";
import { ROOT } from "../support/world.ts";

const RECORDED = join(ROOT, "tests/fixtures/transcripts/codex-0.171.0.jsonl");

/** The records of the recorded session's first turn ("hello"). */
async function firstTurn(): Promise<string[]> {
  const lines = (await Deno.readTextFile(RECORDED)).split("\n");
  const end = lines.findIndex((l) => l.includes('"type":"task_complete"'));
  const start = lines.findIndex((l) => l.includes('"type":"task_started"'));
  return lines.slice(start, end + 1);
}

async function world(hub: string) {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-turn-wait-" }),
  );
  const socket = join(root, "tmux.sock");
  const fake = await fakeCodexSessions(root, {
    n: 1,
    prefix: "w",
    socket,
    hub,
  });
  useFakeCodex(fake, { root, socket, hub });
  const ctx = backendContext(codexProfile, getConfig());
  const record = (await ctx.store.get(ctx.name, "w0"))!;
  return {
    ctx,
    record,
    transcript: record.jsonlPath!,
    fake,
    async close() {
      await fake.tmux.killServer().catch(() => {});
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("turn wait: a turn written while waiting ends the wait with its answer, read from the transcript", async () => {
  const w = await world("aimax_turn_wait_hub");
  try {
    const since = Date.now();
    const waiting = waitForTurn(w.ctx, w.record, {
      prompt: "hello",
      since,
      timeoutMs: 20_000,
    });
    await new Promise((r) => setTimeout(r, 300));
    // The turn as Codex wrote it, stamped now (after `since`).
    const now = new Date().toISOString();
    const turn = (await firstTurn()).map((l) =>
      l.replace(/"timestamp":"[^"]*"/, `"timestamp":"${now}"`)
    );
    await Deno.writeTextFile(w.transcript, turn.join("\n") + "\n", {
      append: true,
    });
    const outcome = await waiting;
    assert.equal(outcome.outcome, "completed", JSON.stringify(outcome));
    assert.equal(outcome.text, "ack: hello");
    assert.ok(Date.now() - since < 15_000, "ended by the turn, not the limit");
  } finally {
    await w.close();
  }
});

Deno.test("turn wait: a pane that is gone ends the wait as exited, before its time limit", async () => {
  const w = await world("aimax_turn_wait_gone");
  try {
    await w.fake.tmux.killWindow(w.record.windowId);
    const started = Date.now();
    const outcome = await waitForTurn(w.ctx, w.record, { timeoutMs: 20_000 });
    assert.equal(outcome.outcome, "exited", JSON.stringify(outcome));
    assert.ok(Date.now() - started < 15_000, "not the time limit");
  } finally {
    await w.close();
  }
});
