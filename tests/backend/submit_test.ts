/**
 * Submission review findings, each pinned by a test that fails against the
 * code before the split into `lib/backend/` (4f21d75:lib/backend.ts):
 *
 * - the landing watcher is armed (awaited) before `running.flag` is raised
 *   and anything is pasted, so a watcher that cannot be armed fails the
 *   send cleanly instead of rejecting unhandled and killing the CLI mid-send
 *   (real Claude Code on a private tmux server, CLI as a separate process
 *   with scoped permissions);
 * - Codex-style thread discovery scans outside the state lock and takes it
 *   only to claim, looking past a thread another session claimed meanwhile
 *   (the exported `discover` with a hand-built context; no tmux).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AgentProfile, DiscoveryRequest } from "../../lib/agents/agent.ts";
import { codexProfile } from "../../lib/agents/codex.ts";
import { claudeProfile } from "../../lib/agents/claude.ts";
import type { BackendContext } from "../../lib/backend/context.ts";
import { discover, refuseExitCommand } from "../../lib/backend/submit.ts";
import { InputError } from "../../lib/errors.ts";
import { DEFAULT_TIMINGS } from "../../lib/backend/timings.ts";
import { configFromEnv } from "../../lib/config.ts";
import { readJsonl } from "../../lib/jsonl/reader.ts";
import { permissionFlags } from "../../lib/permissions.ts";
import { type SessionRecord, StateStore } from "../../lib/state.ts";
import { create, userPrompts, waitIdle } from "../support/e2e_suite.ts";
import { hasAgent, makeWorld } from "../support/world.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test({
  name:
    "submit: a landing watcher that cannot be armed fails the send cleanly, before running.flag and before any paste",
  ignore: !hasAgent("claude"),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // The session's transcript is readable by the CLI, but the directory
    // holding it is not (the CLI's --allow-read names the file only): the
    // offset can be taken, but the watcher on the directory cannot be
    // armed (NotCapable). Root ignores mode bits, so the CLI's Deno
    // permissions are what refuse.
    const outside = await Deno.realPath(
      await Deno.makeTempDir({ prefix: "aimax-unwatchable-" }),
    );
    const transcript = join(outside, "projects", "session.jsonl");
    await Deno.mkdir(join(outside, "projects"));
    await Deno.writeTextFile(
      transcript,
      JSON.stringify({ type: "summary", summary: "moved here" }) + "\n",
    );
    const world = await makeWorld("claude", {
      permissions: async (w) =>
        (await permissionFlags(configFromEnv((name) => w.env[name]), {
          workDirs: [w.root],
        })).map((flag) =>
          flag.startsWith("--allow-read=") ? `${flag},${transcript}` : flag
        ),
    });
    try {
      await create(world, "w1", "hello w1");
      await waitIdle(world, "w1");
      const statePath = join(world.dataDir, "hub-runtime.json");
      const state = JSON.parse(await Deno.readTextFile(statePath));
      const key = `${world.backend}/w1`;
      const realTranscript: string = state.sessions[key].jsonlPath;
      const paneId: string = state.sessions[key].paneId;
      assert.ok(realTranscript, "the session has a transcript");
      state.sessions[key].jsonlPath = transcript;
      await Deno.writeTextFile(statePath, JSON.stringify(state, null, 2));
      const prompts = async () =>
        userPrompts((await readJsonl(realTranscript)).entries).length;
      const promptsBefore = await prompts();
      const posts = world.stub.requests.length;
      const flag = join(world.cwd, ".imac", "flags", "w1", "running.flag");
      await Deno.remove(flag).catch(() => {});

      const text = "never pasted 7f3a";
      const r = await world.cli(["send", "-s", "w1", "-p", text]);

      assert.notEqual(r.code, 0, `the send fails: ${r.stdout}${r.stderr}`);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      assert.equal(lines.length, 1, `one error line, got:\n${r.stderr}`);
      assert.match(lines[0], /^aimax: /);
      assert.match(lines[0], /read access/);
      assert.doesNotMatch(r.stderr, /Uncaught|unhandled/i);
      assert.equal(await exists(flag), false, "no running.flag left behind");
      // Nothing reached the pane: the input box is empty, the text is not
      // on screen, and the agent neither recorded nor sent it.
      const screen = await world.tmux(["capture-pane", "-p", "-t", paneId]);
      assert.equal(screen.code, 0, screen.stderr);
      assert.equal(screen.stdout.includes(text), false, screen.stdout);
      const read = claudeProfile.readScreen(screen.stdout);
      assert.equal(read.kind, "input", screen.stdout);
      assert.equal(read.kind === "input" && read.composer, "");
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await prompts(), promptsBefore, "no prompt recorded");
      assert.equal(world.stub.requests.length, posts, "no model request");
      // The session itself is fine: the record is as it was.
      const after = JSON.parse(await Deno.readTextFile(statePath));
      assert.equal(after.sessions[key].jsonlPath, transcript);
      assert.equal(
        after.sessions[key].lastPromptAt,
        state.sessions[key].lastPromptAt,
      );
    } finally {
      await world.close();
      await Deno.remove(outside, { recursive: true }).catch(() => {});
    }
  },
});

/** A Codex-like backend over a temp data dir, with `find` as its scan. */
async function discoveryWorld(
  find: (request: DiscoveryRequest) => Promise<
    { agentSessionId: string; jsonlPath: string } | undefined
  >,
) {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-discover-" }),
  );
  const dataDir = join(root, "data");
  const config = configFromEnv((name) =>
    ({
      HOME: join(root, "home"),
      CODEX_HOME: join(root, "codex-home"),
      AIMAX_DATA_DIR: dataDir,
      AIMAX_TMUX_SOCKET: join(root, "tmux.sock"),
    })[name]
  );
  const profile: AgentProfile = { ...codexProfile, discover: find };
  const ctx: BackendContext = {
    name: codexProfile.name,
    profile,
    config,
    store: new StateStore(dataDir),
    timings: { ...DEFAULT_TIMINGS, landingWaitMs: 3_000, pollMs: 20 },
  };
  const record = (sessionId: string, n: number): SessionRecord => ({
    sessionId,
    backend: ctx.name,
    agentSessionId: null,
    jsonlPath: null,
    cwd: join(root, "work"),
    flagRoot: join(root, "work"),
    model: null,
    useProxy: false,
    displayName: null,
    tmuxSocket: config.tmuxSocket,
    hubId: "$0",
    windowId: `@${n}`,
    paneId: `%${n}`,
    panePid: 100 + n,
    startedAt: new Date().toISOString(),
    lastPromptAt: null,
    extra: {},
  });
  return {
    root,
    dataDir,
    ctx,
    record,
    close: () => Deno.remove(root, { recursive: true }).catch(() => {}),
  };
}

/** `promise`, or `undefined` once `ms` passed (the timer is cleared). */
async function within<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("submit: discovery scans outside the state lock (another process's state update completes during the scan)", async () => {
  let otherUpdate: Promise<string> | undefined;
  let completedDuringScan = false;
  const w = await discoveryWorld(async ({ taken }) => {
    assert.equal(taken.size, 0);
    // Another aimax process (here: another store on the same data dir)
    // changes the state while the scan runs; the scan waits for it, as a
    // slow SQLite or filesystem scan would keep it waiting if it held the
    // lock.
    otherUpdate ??= new StateStore(w.dataDir).update((sessions) => {
      sessions[`${codexProfile.name}/other`] = w.record("other", 9);
      return "done";
    });
    completedDuringScan = (await within(otherUpdate, 2_000)) === "done";
    return {
      agentSessionId: "thread-1",
      jsonlPath: join(w.root, "rollout-1.jsonl"),
    };
  });
  try {
    const mine = w.record("s1", 1);
    await w.ctx.store.put(mine);
    const found = await within(
      discover(w.ctx, mine, { text: "hi", sentAt: Date.now() }),
      10_000,
    );
    assert.equal(
      completedDuringScan,
      true,
      "the other state update completed while the scan ran",
    );
    assert.deepEqual(found, {
      agentSessionId: "thread-1",
      jsonlPath: join(w.root, "rollout-1.jsonl"),
    });
    const stored = await w.ctx.store.get(w.ctx.name, "s1");
    assert.equal(stored?.agentSessionId, "thread-1");
    assert.equal(stored?.jsonlPath, join(w.root, "rollout-1.jsonl"));
    assert.ok(await w.ctx.store.get(w.ctx.name, "other"), "other's write kept");
  } finally {
    await otherUpdate?.catch(() => {});
    await w.close();
  }
});

Deno.test("submit: two sessions discovering the same thread at once: one claims it, the other looks past it", async () => {
  // Both scans run at the same time (each waits, up to 2 s, until the
  // other has started) and so both see the newest thread unclaimed. The
  // scan looks past claimed threads, as discoverCodexThread does.
  const threads = ["thread-new", "thread-old"];
  const started = new Set<string>();
  let bothStarted!: () => void;
  const together = new Promise<void>((r) => bothStarted = r);
  let concurrent = false;
  const scans: Record<string, number> = {};
  const w = await discoveryWorld(async ({ record, taken }) => {
    const id = record.sessionId;
    scans[id] = (scans[id] ?? 0) + 1;
    if (!started.has(id)) {
      started.add(id);
      if (started.size === 2) bothStarted();
      // The first scan to start waits for the second: under a held state
      // lock the second could not start until the first returned.
      else {concurrent = (await within(together.then(() => true), 2_000)) ===
          true;}
    }
    const free = threads.find((t) => !taken.has(t));
    return free
      ? { agentSessionId: free, jsonlPath: join(w.root, `${free}.jsonl`) }
      : undefined;
  });
  try {
    const a = w.record("a", 1);
    const b = w.record("b", 2);
    await w.ctx.store.put(a);
    await w.ctx.store.put(b);
    const sentAt = Date.now();
    const [foundA, foundB] = await within(
      Promise.all([
        discover(w.ctx, a, { text: "same prompt", sentAt }),
        discover(w.ctx, b, { text: "same prompt", sentAt }),
      ]),
      10_000,
    ) ?? [];
    assert.equal(concurrent, true, "both scans ran at once");
    assert.ok(foundA && foundB, "both sessions found a thread");
    assert.deepEqual(
      [foundA.agentSessionId, foundB.agentSessionId].sort(),
      ["thread-new", "thread-old"],
      "each thread is claimed once",
    );
    // The loser scanned again after its claim was refused.
    const loser = foundA.agentSessionId === "thread-old" ? "a" : "b";
    assert.ok(scans[loser] >= 2, `the loser scanned again: ${scans[loser]}`);
    const stored = await w.ctx.store.list();
    const owners = stored.filter((s) => s.agentSessionId === "thread-new");
    assert.equal(owners.length, 1, "one record owns the contested thread");
    assert.equal(
      (await w.ctx.store.get(w.ctx.name, "a"))?.agentSessionId,
      foundA.agentSessionId,
    );
    assert.equal(
      (await w.ctx.store.get(w.ctx.name, "b"))?.agentSessionId,
      foundB.agentSessionId,
    );
    assert.equal(
      (await w.ctx.store.get(w.ctx.name, loser))?.jsonlPath,
      join(w.root, "thread-old.jsonl"),
    );
  } finally {
    await w.close();
  }
});

Deno.test("submit: a prompt that would end the agent (/exit, /quit) is refused for each agent; other slash commands and text that mentions /exit pass", () => {
  for (const profile of [claudeProfile, codexProfile]) {
    for (const text of ["/exit", "/quit", "  /exit  ", "/exit now"]) {
      assert.throws(
        () => refuseExitCommand(profile, text),
        (error: unknown) =>
          error instanceof InputError &&
          error.message.includes(`would end ${profile.label}`),
        `${profile.name}: ${text}`,
      );
    }
    for (const text of ["/compact", "please /exit later", "exit", ""]) {
      refuseExitCommand(profile, text);
    }
  }
});
