/**
 * `subscribeEvents` over one fake Codex session (`support/fake_codex.ts`: a
 * real tmux pane showing the captured idle screen, a rollout, its record in
 * the state file). The rollout is then written to as Codex writes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { setConfig } from "../lib/config.ts";
import { subscribeEvents } from "../lib/follow.ts";
import { resetBackends } from "../lib/registry.ts";
import type { AgentEvent } from "../lib/signals/events.ts";
import { fakeCodexSessions } from "./support/fake_codex.ts";
import { waitFor } from "./support/world.ts";

Deno.test("follow: a turn that starts and ends between two looks is reported working, then idle", async () => {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-follow-" }),
  );
  const socket = join(root, "tmux.sock");
  const world = await fakeCodexSessions(root, {
    n: 1,
    prefix: "f",
    socket,
    hub: "aimax_follow_hub",
  });
  const [jsonlPath] = world.transcripts.values();
  setConfig({
    dataDir: world.data,
    tmuxSocket: socket,
    home: root,
    runPreflight: false,
    agents: {
      "tmux-codex": {
        codexHub: "aimax_follow_hub",
        codexHome: join(root, "codex-home"),
      },
    },
  });
  resetBackends();
  const events: AgentEvent[] = [];
  const stop = await subscribeEvents((e) => events.push(e), { checkMs: 200 });
  const states = () =>
    events.flatMap((e) => e.type === "state" ? [`${e.from}→${e.to}`] : []);
  try {
    await waitFor(
      "the session read idle",
      () => states().includes("null→idle"),
      10_000,
    );
    // A whole turn written at once, as a short Codex turn is: the pane
    // still shows the idle screen, and the rollout ends with the turn's end
    // before any look can see it running.
    const at = new Date().toISOString();
    const turn = [
      {
        timestamp: at,
        type: "event_msg",
        payload: { type: "task_started", turn_id: "t1" },
      },
      {
        timestamp: at,
        type: "event_msg",
        payload: {
          type: "task_complete",
          turn_id: "t1",
          last_agent_message: "ack",
        },
      },
    ];
    await Deno.writeTextFile(
      jsonlPath,
      turn.map((r) => JSON.stringify(r) + "\n").join(""),
      { append: true },
    );
    await waitFor(
      "working, then idle",
      () => states().join(" ").includes("idle→working working→idle"),
      10_000,
    );
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf("turn_started") < types.indexOf("turn_completed"));
    const working = events.find((e) =>
      e.type === "state" && e.to === "working"
    );
    assert.equal(
      (working as { reason?: string }).reason,
      "the transcript shows a turn starting",
    );
  } finally {
    await stop();
    setConfig({});
    resetBackends();
    await world.tmux.killServer();
    await Deno.remove(root, { recursive: true });
  }
});
