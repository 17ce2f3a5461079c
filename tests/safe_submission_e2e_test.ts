/**
 * Safe submission on both real TUIs: a send never answers a permission
 * dialog, leftover input-box text never merges into a prompt, and a
 * follow-up queued before a `pause` still reaches the model.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { profileOf } from "../lib/agents/mod.ts";
import { create, userPrompts, waitReply } from "./support/e2e_suite.ts";
import {
  AGENTS,
  json,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

/** The pane of session `id`, from the state file. */
async function paneOf(world: World, id: string): Promise<string> {
  const state = JSON.parse(
    await Deno.readTextFile(join(world.dataDir, "hub-runtime.json")),
  );
  return state.sessions[`${world.backend}/${id}`].paneId;
}

async function screenOf(world: World, id: string): Promise<string> {
  return (await world.tmux([
    "capture-pane",
    "-p",
    "-t",
    await paneOf(world, id),
  ]))
    .stdout;
}

/** Prompts the model stub received, in order. */
function prompts(world: World): string[] {
  return world.stub.prompts();
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} e2e: send and pause during a permission dialog exit 5 with the dialog text, and the tool does not run`,
    async (world) => {
      const marker = join(world.root, "approved-marker");
      const directive = agent === "codex" ? "escalate" : "bash";
      await create(world, "d1", `[[${directive} touch ${marker}]]`);
      await waitFor(
        "the permission dialog",
        async () =>
          profileOf(world.backend).readScreen(await screenOf(world, "d1"))
            .kind === "dialog",
      );
      const sent = await world.cli(["send", "-s", "d1", "-p", "hello there"]);
      assert.equal(sent.code, 5, sent.stderr);
      assert.match(sent.stderr, /waits on a person/);
      assert.ok(sent.stderr.includes(`touch ${marker}`), sent.stderr);

      const asJson = await world.cli([
        "pause",
        "-s",
        "d1",
        "-p",
        "hello again",
        "--json",
      ]);
      assert.equal(asJson.code, 5, asJson.stderr);
      const error = JSON.parse(asJson.stdout).error;
      assert.equal(error.code, "awaiting_input");
      assert.ok(error.screen.includes(`touch ${marker}`));
      assert.ok(error.dialog.includes(`touch ${marker}`));

      // Nothing answered the dialog: it is still up, the tool did not run,
      // and neither prompt reached the model.
      await new Promise((r) => setTimeout(r, 1500));
      const still = profileOf(world.backend).readScreen(
        await screenOf(world, "d1"),
      );
      assert.equal(still.kind, "dialog", JSON.stringify(still));
      assert.equal(still.purpose, "permission");
      await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
      assert.ok(!prompts(world).some((p) => p.includes("hello")));
    },
    { approvals: true },
  );

  worldTest(
    agent,
    `${agent} e2e: text left in the input box never merges into a pause prompt`,
    async (world) => {
      await create(world, "l1", "first");
      await waitReply(world, "l1", "ack: first");
      const pane = await paneOf(world, "l1");
      await world.tmux(["send-keys", "-t", pane, "-l", "LEFTOVER half typed"]);
      await waitFor(
        "the leftover on screen",
        async () => (await screenOf(world, "l1")).includes("LEFTOVER"),
      );
      const paused = await world.cli(["pause", "-s", "l1", "-p", "Now this"]);
      assert.equal(paused.code, 0, paused.stderr);
      await waitReply(world, "l1", "ack: Now this");
      assert.ok(prompts(world).includes("Now this"), prompts(world).join("|"));
      assert.ok(!prompts(world).some((p) => p.includes("LEFTOVER")));
    },
  );

  worldTest(
    agent,
    `${agent} e2e: a follow-up queued before a pause still reaches the model`,
    async (world) => {
      await create(world, "q1", "long turn [[slow 40]]");
      await waitFor("the slow turn", async () => {
        const s = json(await world.cli(["status", "-s", "q1", "--json"]));
        return s.working;
      });
      const queued = await world.cli([
        "send",
        "-s",
        "q1",
        "-p",
        "queued follow-up",
        "--json",
      ]);
      assert.equal(queued.code, 0, queued.stderr);
      assert.equal(JSON.parse(queued.stdout).queued, true);
      const paused = await world.cli([
        "pause",
        "-s",
        "q1",
        "-p",
        "the redirect",
        "--json",
      ]);
      assert.equal(paused.code, 0, paused.stderr);
      await waitReply(world, "q1", "ack: the redirect");
      const h = await waitReply(world, "q1", "ack: queued follow-up");
      const turns = userPrompts(h.entries);
      assert.equal(
        turns.filter((p) => p === "queued follow-up").length,
        1,
        `one turn: ${turns.join(" | ")}`,
      );
      const seen = prompts(world);
      if (agent === "codex") {
        // Codex hands the queue back on interrupt: aimax sends it after.
        assert.equal(JSON.parse(paused.stdout).resubmitted, 1);
        assert.ok(
          seen.indexOf("the redirect") < seen.indexOf("queued follow-up"),
          seen.join(" | "),
        );
      }
    },
  );
}

worldTest(
  "claude",
  "claude e2e: a create that fails after its window started archives the record with its agent session id and the reason",
  async (world) => {
    // Claude Code asks whether to use the API key when it is not approved:
    // start-up fails with that screen.
    const path = join(world.home, ".claude.json");
    const config = JSON.parse(await Deno.readTextFile(path));
    config.customApiKeyResponses.approved = [];
    await Deno.writeTextFile(path, JSON.stringify(config));
    const failed = await world.cli([
      "create",
      "-b",
      world.backend,
      "-s",
      "f1",
      "--cwd",
      world.cwd,
      "-p",
      "never answered",
    ]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /API key/);
    const live = JSON.parse(
      await Deno.readTextFile(join(world.dataDir, "hub-runtime.json")),
    );
    assert.deepEqual(live.sessions, {}, "not live");
    const archive = JSON.parse(
      await Deno.readTextFile(join(world.dataDir, "hub-archive.json")),
    );
    const entry = archive.sessions.at(-1);
    assert.equal(entry.sessionId, "f1");
    assert.match(entry.agentSessionId, /^[0-9a-f-]{36}$/);
    assert.match(entry.failure, /API key/);
    const windows = await world.tmux([
      "list-windows",
      "-a",
      "-F",
      "#{window_name}",
    ]);
    assert.ok(!windows.stdout.split("\n").includes("f1"), "its window is gone");
  },
);
