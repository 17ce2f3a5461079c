/**
 * `subscribeEvents` over one fake Codex session: a real tmux pane showing a
 * screen captured from the pinned Codex TUI (idle: `ready.txt`), a rollout
 * file, and the session's record in the state file. The rollout is then
 * written to as Codex writes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { setConfig } from "../lib/config.ts";
import { subscribeEvents } from "../lib/follow.ts";
import { resetBackends } from "../lib/registry.ts";
import type { AgentEvent } from "../lib/signals/events.ts";
import { type SessionRecord, StateStore } from "../lib/state.ts";
import { TmuxClient } from "../lib/tmux/mod.ts";
import { ROOT, waitFor } from "./support/world.ts";

const READY = join(ROOT, "tests/fixtures/screens/codex/ready.txt");

async function fakeCodexSession(root: string) {
  const [data, cwd] = [join(root, "data"), join(root, "work")];
  for (const d of [data, cwd]) await Deno.mkdir(d);
  const socket = join(root, "tmux.sock");
  const tmux = new TmuxClient({ socket });
  // The size the fixture was captured at; without its last newline, or the
  // 50-line screen scrolls by one.
  const screen = join(root, "screen.txt");
  await Deno.writeTextFile(
    screen,
    (await Deno.readTextFile(READY)).replace(/\n$/, ""),
  );
  await tmux.run([
    "-f",
    "/dev/null",
    "new-session",
    "-d",
    "-s",
    "aimax_follow_hub",
    "-n",
    "_hub",
    "-x",
    "200",
    "-y",
    "50",
  ]);
  const hubId = (await tmux.findSession("aimax_follow_hub"))!;
  const window = await tmux.newWindow(hubId, {
    name: "f1",
    cwd,
    command: ["sh", "-c", 'cat "$1"; exec sleep 600', "fake-codex", screen],
  });
  const jsonlPath = join(root, "rollout-f1.jsonl");
  await Deno.writeTextFile(
    jsonlPath,
    JSON.stringify({ type: "session_meta", payload: { id: "f1", cwd } }) +
      "\n",
  );
  const record: SessionRecord = {
    sessionId: "f1",
    backend: "tmux-codex",
    agentSessionId: "f1",
    jsonlPath,
    cwd,
    flagRoot: cwd,
    model: null,
    useProxy: false,
    displayName: null,
    tmuxSocket: socket,
    hubId,
    startedAt: new Date().toISOString(),
    lastPromptAt: null,
    extra: {},
    ...window,
  };
  await new StateStore(data).update((s) => {
    s["tmux-codex/f1"] = record;
  });
  return { tmux, data, socket, jsonlPath, cwd };
}

Deno.test("follow: a turn that starts and ends between two looks is reported working, then idle", async () => {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-follow-" }),
  );
  const world = await fakeCodexSession(root);
  setConfig({
    dataDir: world.data,
    tmuxSocket: world.socket,
    codexHub: "aimax_follow_hub",
    home: root,
    codexHome: join(root, "codex-home"),
    runPreflight: false,
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
      world.jsonlPath,
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
