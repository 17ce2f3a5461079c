/**
 * The transcript is the ground truth of a turn, on both real TUIs: with the
 * agent's hooks disabled by the user's own settings, with the hook program
 * failing after start-up, and with the events file removed, `send --wait`
 * and `wait` print the answer of the turn asked about, never an empty or a
 * previous turn's text with exit 0; an interrupted turn is not a success.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { profileOf } from "../lib/agents/mod.ts";
import { create, waitReply } from "./support/e2e_suite.ts";
import {
  AGENTS,
  json,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

/** The lines of the session's events file that hooks or notify wrote. */
async function signalsOf(world: World, id: string): Promise<string[]> {
  const path = join(world.dataDir, "events", `${world.backend}.${id}.jsonl`);
  try {
    const text = await Deno.readTextFile(path);
    return text.split("\n").filter((l) => l !== "").map((l) =>
      JSON.parse(l).event
    );
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Makes aimax's hook program fail from now on (not executable). */
async function breakHook(world: World): Promise<void> {
  await Deno.chmod(join(world.dataDir, "bin", "aimax-hook"), 0o000);
}

worldTest(
  "claude",
  "claude truth: with disableAllHooks in the user's settings, send --wait and wait print the turn's answer from the transcript",
  async (world) => {
    const settings = join(world.home, ".claude", "settings.json");
    const user = JSON.parse(await Deno.readTextFile(settings));
    await Deno.writeTextFile(
      settings,
      JSON.stringify({ ...user, disableAllHooks: true }, null, 2),
    );
    const made = await create(world, "h1", "hello");
    assert.equal(made.sessionId, "h1");
    await waitReply(world, "h1", "ack: hello");

    const sent = await world.cli(["send", "--wait", "-s", "h1", "-p", "one"]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.stdout, "ack: one\n");

    const slow = await world.cli(["send", "-s", "h1", "-p", "[[slow 4]]"]);
    assert.equal(slow.code, 0, slow.stderr);
    const waited = await world.cli(["wait", "-s", "h1", "--json"]);
    assert.equal(waited.code, 0, waited.stderr);
    const turn = json(waited);
    assert.equal(turn.outcome, "completed");
    assert.match(String(turn.text), /slow done/);
    assert.equal(turn.source, "transcript");

    // The hooks really were silenced: nothing about a turn was signalled.
    const signals = await signalsOf(world, "h1");
    assert.ok(!signals.includes("Stop"), signals.join(" "));
    assert.ok(!signals.includes("UserPromptSubmit"), signals.join(" "));
  },
);

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} truth: with the hook program failing after start-up, wait prints the new turn's answer, not the previous one`,
    async (world) => {
      await create(world, "f1", "first");
      const first = await world.cli(["wait", "-s", "f1", "--timeout", "30"]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, "ack: first\n");
      await waitFor(
        "the first turn's end signal",
        async () =>
          (await signalsOf(world, "f1")).some((event) =>
            profileOf(world.backend).signal(
                { at: 0, event, payload: {} },
                { agentSessionId: null },
              )?.kind === "turn_ended" || event === "notify"
          ),
      );

      await breakHook(world);
      const sent = await world.cli([
        "send",
        "-s",
        "f1",
        "-p",
        "second [[slow 3]]",
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      const waited = await world.cli(["wait", "-s", "f1", "--timeout", "60"]);
      assert.equal(waited.code, 0, waited.stderr);
      assert.match(waited.stdout, /slow done/);
      assert.doesNotMatch(waited.stdout, /ack: first/);

      const again = await world.cli([
        "send",
        "--wait",
        "-s",
        "f1",
        "-p",
        "third",
      ]);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, "ack: third\n");
    },
  );

  worldTest(
    agent,
    `${agent} truth: with the events file removed, send --wait prints the answer`,
    async (world) => {
      await create(world, "r1", "hello");
      await waitReply(world, "r1", "ack: hello");
      const events = join(
        world.dataDir,
        "events",
        `${world.backend}.r1.jsonl`,
      );
      await Deno.remove(events).catch(() => {});
      const sent = await world.cli([
        "send",
        "--wait",
        "-s",
        "r1",
        "-p",
        "after removal",
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(sent.stdout, "ack: after removal\n");
    },
  );

  worldTest(
    agent,
    `${agent} truth: a turn interrupted with Escape is not reported as completed`,
    async (world) => {
      await create(world, "i1", "hello");
      await waitReply(world, "i1", "ack: hello");
      const slow = await world.cli(["send", "-s", "i1", "-p", "[[slow 20]]"]);
      assert.equal(slow.code, 0, slow.stderr);
      // Some output first, so that the agent records the interruption.
      await waitReply(world, "i1", "", 30_000).catch(() => {});
      await new Promise((r) => setTimeout(r, 2_500));
      const pressed = await world.cli(["keys", "-s", "i1", "Escape"]);
      assert.equal(pressed.code, 0, pressed.stderr);
      const waited = await world.cli([
        "wait",
        "-s",
        "i1",
        "--timeout",
        "30",
        "--json",
      ]);
      assert.notEqual(waited.code, 0, waited.stdout);
      const turn = JSON.parse(waited.stdout);
      assert.notEqual(turn.outcome, "completed", waited.stdout);
    },
  );
}
