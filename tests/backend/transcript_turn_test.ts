/**
 * A turn read from the transcript alone, on transcripts recorded from the
 * real TUIs (`tests/fixtures/transcripts/`: the pinned releases of
 * November with hooks, and Claude Code 2.1.332 with `disableAllHooks` and
 * Codex 0.171.0; see the README there), and on records written out of
 * order the way Claude Code writes fast replies.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readJsonl } from "../../lib/jsonl/reader.ts";
import { PROFILES } from "../../lib/agents/mod.ts";
import {
  TranscriptTurnReader,
  TurnTracker,
} from "../../lib/backend/transcript_turn.ts";
import { ROOT } from "../support/world.ts";
import { withTempDir } from "../support/temp_dir.ts";

const DIR = join(ROOT, "tests", "fixtures", "transcripts");
const claude = PROFILES["tmux-claude-code"];
const codex = PROFILES["tmux-codex"];

async function records(file: string): Promise<unknown[]> {
  const { entries } = await readJsonl(join(DIR, file));
  return entries.map((e) => e.value);
}

function track(
  profile: typeof claude,
  recs: readonly unknown[],
  query: { prompt?: string; since?: number } = {},
) {
  const tracker = new TurnTracker(profile, query);
  for (const r of recs) tracker.addRecord(r);
  return tracker.turn;
}

const CASES = [
  {
    agent: "claude 2.1.197",
    profile: claude,
    file: "claude.jsonl",
    tool: "run it [[bash echo hi]]",
  },
  {
    agent: "claude 2.1.332",
    profile: claude,
    file: "claude-2.1.332-nohooks.jsonl",
    tool: "run [[bash echo hi]]",
  },
  {
    agent: "codex 0.169.0",
    profile: codex,
    file: "codex.jsonl",
    tool: "run it [[bash echo hi]]",
  },
  {
    agent: "codex 0.171.0",
    profile: codex,
    file: "codex-0.171.0.jsonl",
    tool: "run [[bash echo hi]]",
  },
  {
    agent: "copilot 1.0.102",
    profile: PROFILES["tmux-copilot"],
    file: "copilot-1.0.102-aimax.jsonl",
    tool: "run [[bash echo hi]]",
  },
];

for (const { agent, profile, file, tool: toolPrompt } of CASES) {
  Deno.test(`transcript turn (${agent}): each prompt's own turn and answer`, async () => {
    const recs = await records(file);
    const hello = track(profile, recs, { prompt: "hello" });
    assert.equal(hello?.end, "completed");
    assert.equal(hello?.text, "ack: hello");
    assert.equal(hello?.hasText, true);

    const tool = track(profile, recs, { prompt: toolPrompt });
    assert.equal(tool?.end, "completed");
    assert.equal(tool?.text, "tool done");

    const after = track(profile, recs, { prompt: "after" });
    assert.equal(after?.end, "completed");
    assert.equal(after?.text, "ack: after");
  });

  Deno.test(`transcript turn (${agent}): without a prompt, the latest turn`, async () => {
    const recs = await records(file);
    const latest = track(profile, recs);
    assert.equal(latest?.end, "completed");
    assert.equal(latest?.text, "ack: after");
    // Cut before the last turn's end: the latest turn runs.
    const cut = recs.findLastIndex((r) =>
      profile.transcriptEvents(r as Record<string, unknown>).some((e) =>
        e.type === "turn_completed"
      )
    );
    const running = track(profile, recs.slice(0, cut));
    assert.equal(running?.end, undefined);
  });

  Deno.test(`transcript turn (${agent}): an interrupted turn is aborted, not completed`, async () => {
    const recs = await records(file);
    const slow = recs.findIndex((r) =>
      profile.promptRecord(r, "[[slow 20]]") === "started" ||
      profile.promptRecord(r, "slow [[slow 5]]") === "started"
    );
    assert.ok(slow >= 0);
    // The latest turn, read up to the interruption.
    const upTo = recs.findIndex((r, i) =>
      i > slow &&
      profile.transcriptEvents(r as Record<string, unknown>).some((e) =>
        e.type === "turn_aborted"
      )
    );
    assert.ok(upTo > slow);
    const turn = track(profile, recs.slice(0, upTo + 1));
    assert.equal(turn?.end, "aborted");
  });
}

Deno.test("transcript turn: a prompt sent again is matched only at or after since", async () => {
  const recs = await records("claude-2.1.332-nohooks.jsonl");
  const second = recs.find((r, i) =>
    claude.promptRecord(r, "[[slow 20]]") === "started" &&
    recs.findIndex((q) => claude.promptRecord(q, "[[slow 20]]") === "started") <
      i
  ) as { timestamp: string };
  const since = Date.parse(second.timestamp);
  const turn = track(claude, recs, { prompt: "[[slow 20]]", since });
  assert.equal(turn?.end, "aborted");
  assert.equal(turn?.text, "tick ");
  // A prompt sent after every record: not there.
  assert.equal(
    track(claude, recs, { prompt: "after", since: Date.now() }),
    undefined,
  );
});

Deno.test("transcript turn: Claude's answer and end written before the prompt record still end that turn", async () => {
  const recs = await records("claude.jsonl");
  const at = recs.findIndex((r) =>
    claude.promptRecord(r, "after") === "started"
  );
  const [prompt, ...rest] = recs.slice(at);
  // The answer, the stop summary and the turn's end first, then the prompt.
  const reordered = [...recs.slice(0, at), ...rest, prompt];
  const partial = track(claude, reordered.slice(0, -1), { prompt: "after" });
  assert.equal(partial, undefined);
  const turn = track(claude, reordered, { prompt: "after" });
  assert.equal(turn?.end, "completed");
  assert.equal(turn?.text, "ack: after");
});

Deno.test("transcript turn: a turn that ran tools and said nothing after them has no text", () => {
  const user = (uuid: string, parent: string | null, content: unknown) => ({
    type: "user",
    uuid,
    parentUuid: parent,
    timestamp: new Date().toISOString(),
    message: { role: "user", content },
  });
  const assistant = (uuid: string, parent: string, content: unknown[]) => ({
    type: "assistant",
    uuid,
    parentUuid: parent,
    timestamp: new Date().toISOString(),
    message: { role: "assistant", model: "m", content },
  });
  const recs = [
    user("u1", null, "tidy up"),
    assistant("a1", "u1", [{ type: "text", text: "I will remove it." }]),
    assistant("a2", "a1", [{
      type: "tool_use",
      id: "t1",
      name: "Bash",
      input: { command: "rm x" },
    }]),
    user("r1", "a2", [{ type: "tool_result", tool_use_id: "t1", content: "" }]),
    assistant("a3", "r1", []),
    {
      type: "system",
      subtype: "turn_duration",
      uuid: "s1",
      parentUuid: "a3",
      timestamp: new Date().toISOString(),
    },
  ];
  const turn = track(claude, recs, { prompt: "tidy up" });
  assert.equal(turn?.end, "completed");
  assert.equal(turn?.text, "");
  assert.equal(turn?.hasText, false);
});

Deno.test("transcript turn reader: reads what the file gains, from a turn start before since", async () => {
  await withTempDir("aimax-turn-", async (dir) => {
    const path = join(dir, "t.jsonl");
    const lines = (await Deno.readTextFile(join(DIR, "codex-0.171.0.jsonl")))
      .split("\n").filter((l) => l !== "");
    const at = lines.findIndex((l) =>
      codex.promptRecord(JSON.parse(l), "after") === "started"
    );
    const since = Date.parse(JSON.parse(lines[at]).timestamp);
    const reader = new TranscriptTurnReader(codex, {
      path,
      prompt: "after",
      since,
    });
    assert.equal(await reader.read(), undefined); // no file yet
    await Deno.writeTextFile(path, lines.slice(0, at + 2).join("\n") + "\n");
    const running = await reader.read();
    assert.equal(running?.end, undefined);
    await Deno.writeTextFile(path, lines.slice(at + 2).join("\n") + "\n", {
      append: true,
    });
    const done = await reader.read();
    assert.equal(done?.end, "completed");
    assert.equal(done?.text, "ack: after");

    const latest = new TranscriptTurnReader(codex, { path });
    assert.equal((await latest.read())?.text, "ack: after");
  });
});
