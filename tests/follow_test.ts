/**
 * `subscribeEvents` over one fake Codex session (`support/fake_codex.ts`: a
 * real tmux pane showing the captured idle screen, a rollout, its record in
 * the state file). The rollout is then written to as Codex writes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { configFromEnv, setConfig } from "../lib/config.ts";
import { subscribeEvents } from "../lib/follow.ts";
import { permissionFlags } from "../lib/permissions.ts";
import { resetBackends } from "../lib/registry.ts";
import { signalFiles } from "../lib/signals/files.ts";
import type { AgentEvent } from "../lib/signals/events.ts";
import { fakeCodexSessions, useFakeCodex } from "./support/fake_codex.ts";
import { callerDenoDir, ROOT, waitFor } from "./support/world.ts";

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
  useFakeCodex(world, { root, socket, hub: "aimax_follow_hub" });
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

const SCREENS = join(ROOT, "tests/fixtures/screens/codex/0.171.0");

/** Runs the CLI in another process against the fake world. */
async function aimax(
  world: { data: string; root: string; socket: string; hub: string },
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    HOME: world.root,
    CODEX_HOME: join(world.root, "codex-home"),
    AIMAX_DATA_DIR: world.data,
    AIMAX_TMUX_SOCKET: world.socket,
    AIMAX_CODEX_HUB: world.hub,
    AIMAX_RUN_PREFLIGHT: "false",
    DENO_DIR: await callerDenoDir(),
  };
  const flags = await permissionFlags(configFromEnv((name) => env[name]), {
    workDirs: [world.root],
  });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...flags, join(ROOT, "mod.ts"), ...args],
    cwd: world.root,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}

Deno.test("follow: a dialog another process's status, wait, send or keys saw, answered before the follower's next look, is told once; one the follower saw too is not told again", async () => {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-follow-" }),
  );
  const socket = join(root, "tmux.sock");
  const hub = "aimax_follow_hub";
  const world = await fakeCodexSessions(root, {
    n: 1,
    prefix: "f",
    socket,
    hub,
    redraw: true,
  });
  const where = { data: world.data, root, socket, hub };
  const [jsonlPath] = world.transcripts.values();
  const [approval, ready] = await Promise.all(
    ["approval.txt", "ready.txt"].map((f) =>
      Deno.readTextFile(join(SCREENS, f))
    ),
  );
  useFakeCodex(world, { root, socket, hub });
  // A turn runs (as when Codex asks for an approval).
  await Deno.writeTextFile(
    jsonlPath,
    JSON.stringify({
      timestamp: new Date().toISOString(),
      type: "event_msg",
      payload: { type: "task_started", turn_id: "t1" },
    }) + "\n",
    { append: true },
  );
  // The follower looks once as it starts, then only when something tells
  // it to: its next timed look is a minute away.
  const slow: AgentEvent[] = [];
  const stops = [
    await subscribeEvents((e) => slow.push(e), { checkMs: 60_000 }),
  ];
  const asked = (events: AgentEvent[]) =>
    events.flatMap((e) => e.type === "awaiting_input" ? [e] : []);
  try {
    assert.deepEqual(
      slow.map((e) => e.type === "state" && `${e.from}→${e.to}`),
      ["null→working"],
    );
    const seen: string[] = [];
    const observers: [string, string[], number][] = [
      ["status", ["status", "-s", "f0", "--json"], 0],
      ["wait", ["wait", "-s", "f0", "--timeout", "20", "--json"], 5],
      ["send", ["send", "-s", "f0", "-p", "hello"], 5],
      ["send --when-ready", [
        "send",
        "-s",
        "f0",
        "-p",
        "hello",
        "--when-ready=0.3",
      ], 5],
      // The fake agent takes no key: keys returns after its wait (4 s).
      ["keys", ["keys", "-s", "f0", "y"], 0],
    ];
    for (const [name, args, code] of observers) {
      await world.show("f0", approval);
      const result = await aimax(where, args);
      assert.equal(result.code, code, `${name}: ${result.stderr}`);
      // Answered before the follower's next look.
      await world.show("f0", ready);
      // A look that sees no dialog (here: this one) forgets it, so the
      // next dialog with the same text is another one.
      const after = await aimax(where, ["status", "-s", "f0", "--json"]);
      assert.equal(JSON.parse(after.stdout).state, "working", after.stderr);
      await waitFor(
        `the follower to tell the dialog ${name} saw`,
        () => asked(slow).length > seen.length,
        10_000,
      );
      const told = asked(slow).at(-1)!;
      assert.ok(told.dialogInfo, name);
      assert.equal(told.dialogInfo.purpose, "permission");
      assert.equal(told.dialogInfo.asks, "mkdir /tmp/aimax-fixture/marker");
      assert.match(told.text, /Would you like to run the following command/);
      assert.ok(!seen.includes(told.dialogInfo.id), `${name}: a new dialog`);
      seen.push(told.dialogInfo.id);
    }
    // What another process saw is a state too: the follower, which never
    // looked while a dialog was up, went to it.
    const states = slow.flatMap((e) =>
      e.type === "state" ? [`${e.from}→${e.to}`] : []
    );
    assert.ok(states.includes("working→awaiting_input"), states.join(" "));

    // A follower that sees the dialog itself (it starts while the dialog
    // is up, and looks every 200 ms) as `status` does: told once by each.
    await world.show("f0", approval);
    const fast: AgentEvent[] = [];
    stops.push(await subscribeEvents((e) => fast.push(e), { checkMs: 200 }));
    assert.equal(asked(fast).length, 1);
    const status = await aimax(where, ["status", "-s", "f0", "--json"]);
    const id = JSON.parse(status.stdout).dialogInfo.id;
    assert.equal(asked(fast)[0].dialogInfo?.id, id);
    await world.show("f0", ready);
    await waitFor(
      "the fast follower to see the dialog go",
      () => fast.some((e) => e.type === "state" && e.from === "awaiting_input"),
      10_000,
    );
    await waitFor(
      "the follower to tell it",
      () => asked(slow).length > seen.length,
      10_000,
    );
    seen.push(id);
    // An observation read again (as after the file was shortened to its
    // last lines) is not told again.
    const { observed } = signalFiles(world.data, {
      backend: "tmux-codex",
      sessionId: "f0",
    });
    const lines = (await Deno.readTextFile(observed)).trim().split("\n");
    assert.equal(lines.length, seen.length, "one line per dialog");
    await Deno.writeTextFile(observed, `${lines[0]}\n`, { append: true });
    // Nothing told twice, by either follower, also after more looks.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(asked(slow).map((e) => e.dialogInfo?.id), seen);
    assert.deepEqual(asked(fast).map((e) => e.dialogInfo?.id), [id]);
  } finally {
    for (const stop of stops) await stop();
    setConfig({});
    resetBackends();
    await world.tmux.killServer();
    await Deno.remove(root, { recursive: true });
  }
});
