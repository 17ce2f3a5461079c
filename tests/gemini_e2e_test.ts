/**
 * The end-to-end suite against the real Gemini CLI TUI, plus what is Gemini
 * CLI's own: it outlives a killed tmux window, so `stop` must leave none of
 * its processes behind; a queued prompt handed on after a pause is sent
 * once; hooks fire from the settings block a user adds.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  create,
  defineE2eSuite,
  history,
  userPrompts,
  waitIdle,
  waitReply,
} from "./support/e2e_suite.ts";
import { json, waitFor, type World, worldTest } from "./support/world.ts";

defineE2eSuite("gemini");

/** Gemini CLI's processes in this world (its GEMINI_CLI_HOME), parent and child. */
async function geminiPids(world: World): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const environ = await Deno.readTextFile(`/proc/${entry.name}/environ`);
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      if (stat[stat.lastIndexOf(")") + 2] === "Z") continue;
      if (
        environ.split("\0").includes(
          `GEMINI_CLI_HOME=${join(world.root, "gemini-home")}`,
        ) &&
        cmdline.split("\0").slice(0, 3).some((arg) => /(^|\/)gemini$/.test(arg))
      ) pids.push(Number(entry.name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

worldTest(
  "gemini",
  "gemini e2e: stop ends Gemini CLI's whole process tree (it survives the window's SIGHUP)",
  async (world) => {
    await create(world, "k1", "hello");
    await waitReply(world, "k1", "ack: hello");
    const running = await geminiPids(world);
    assert.equal(running.length, 2, "a parent and its relaunched child");
    const stopped = json(await world.cli(["stop", "-s", "k1", "--json"]));
    assert.equal(stopped.killed, true);
    assert.deepEqual(await geminiPids(world), [], "nothing left running");
  },
);

worldTest(
  "gemini",
  "gemini e2e: a prompt queued behind a turn that pause interrupts is answered once",
  async (world) => {
    await create(world, "q1", "slow one [[slow 20]]");
    await waitFor("the slow turn runs", async () => {
      const s = json(await world.cli(["status", "-s", "q1", "--json"]));
      return s.working;
    });
    const queued = json(
      await world.cli(["send", "-s", "q1", "-p", "queued A", "--json"]),
    );
    assert.equal(queued.queued, true);
    const paused = await world.cli(["pause", "-s", "q1", "-p", "pause B"]);
    assert.equal(paused.code, 0, paused.stderr);
    await waitReply(world, "q1", "ack: pause B");
    await waitReply(world, "q1", "ack: queued A");
    await waitIdle(world, "q1");
    const prompts = userPrompts((await history(world, "q1")).entries);
    assert.deepEqual(
      prompts.filter((p) => p === "queued A"),
      ["queued A"],
      `sent once: ${JSON.stringify(prompts)}`,
    );
  },
);

worldTest(
  "gemini",
  "gemini e2e: hooks from the user's settings block fire for aimax's session only",
  async (world) => {
    await create(world, "h1", "hello");
    await waitReply(world, "h1", "ack: hello");
    const events = join(world.dataDir, "events", "tmux-gemini.h1.jsonl");
    const names = await waitFor("the turn's end hook", async () => {
      const lines = (await Deno.readTextFile(events)).split("\n")
        .filter((l) => l !== "").map((l) => JSON.parse(l).event as string);
      return lines.includes("AfterAgent") && lines;
    });
    assert.deepEqual(
      names.filter((n) => n !== "SessionEnd").slice(0, 3),
      ["SessionStart", "BeforeAgent", "AfterAgent"],
    );
    // The hook runs inside the turn (Gemini CLI waits for its `{}`): the
    // screen shows the turn until it returned.
    await waitFor("idle after the turn's end", async () => {
      const state = json(await world.cli(["status", "-s", "h1", "--json"]));
      return state.state === "idle";
    }, 10_000);
  },
);
