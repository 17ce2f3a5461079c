/**
 * Faults: the driving process killed mid-operation, the tmux server killed,
 * the agent dying in its window, the transcript truncated and replaced under
 * a live stream, a corrupt state file, many CLI processes at once, and two
 * senders racing for one session. Every test runs the real Claude Code TUI
 * on a private tmux server with the CLI as separate processes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TmuxAgentBackend } from "../lib/backend/mod.ts";
import { PROFILES } from "../lib/agents/mod.ts";
import { configFromEnv } from "../lib/config.ts";
import type { JsonlEntry } from "../lib/jsonl/lines.ts";
import { readJsonl } from "../lib/jsonl/reader.ts";
import { withFileLock } from "../lib/lock.ts";
import {
  create,
  createArgs,
  history,
  userPrompts,
  waitIdle,
  waitReply,
} from "./support/e2e_suite.ts";
import {
  type CliResult,
  followJsonLines,
  json,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

// deno-lint-ignore no-explicit-any
type Rec = any;

/**
 * Registers a fault test for Claude Code, and for Codex too when
 * `bothAgents` (the tests that do not depend on one agent's own files),
 * and on Copilot.
 */
function test(
  name: string,
  fn: (world: World) => Promise<void>,
  options: { bothAgents?: boolean } = {},
): void {
  worldTest("claude", `faults: ${name}`, fn);
  if (!options.bothAgents) return;
  worldTest("codex", `faults (codex): ${name}`, fn);
  worldTest("copilot", `faults (copilot): ${name}`, fn);
}

const runtimePath = (world: World) => join(world.dataDir, "hub-runtime.json");
const archivePath = (world: World) => join(world.dataDir, "hub-archive.json");
const hubName = (world: World) =>
  PROFILES[world.backend].hub(configFromEnv((name) => world.env[name]));

/** The live records; the file must parse whenever it exists. */
async function runtime(world: World): Promise<Record<string, Rec>> {
  let text: string;
  try {
    text = await Deno.readTextFile(runtimePath(world));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  const parsed = JSON.parse(text);
  assert.equal(parsed.version, 1);
  return parsed.sessions;
}

async function archived(world: World): Promise<Rec[]> {
  try {
    return JSON.parse(await Deno.readTextFile(archivePath(world))).sessions;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

interface HubWindow {
  id: string;
  name: string;
  pane: string;
  pid: number;
  dead: boolean;
}

/** The session windows in the world's hub ([] when no server runs). */
async function hubWindows(world: World): Promise<HubWindow[]> {
  const r = await world.tmux([
    "list-panes",
    "-a",
    "-F",
    "#{session_name}\t#{window_id}\t#{pane_id}\t#{pane_pid}\t#{pane_dead}\t#{window_name}",
  ]);
  if (r.code !== 0) return [];
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t"))
    .filter(([session, , , , , name]) =>
      session === hubName(world) && name !== "_hub"
    ).map(([, id, pane, pid, dead, name]) => ({
      id,
      name,
      pane,
      pid: Number(pid),
      dead: dead === "1",
    }));
}

/**
 * The state file parses; every hub window is either a session the state
 * knows or an `orphan: true` row of `aimax list --json`; every known session
 * is listed exactly once.
 */
async function assertConsistent(world: World) {
  const sessions = await runtime(world);
  for (const [key, s] of Object.entries(sessions)) {
    assert.equal(key, `${s.backend}/${s.sessionId}`);
  }
  const rows = json<Rec[]>(await world.cli(["list", "--json"]));
  const windows = await hubWindows(world);
  const known = new Map(
    Object.values(sessions).map((s) => [s.windowId, s]),
  );
  for (const w of windows) {
    const row = rows.find((r) => r.windowId === w.id);
    assert.ok(row, `window ${w.name} (${w.id}) is reported by aimax list`);
    if (known.has(w.id)) {
      assert.equal(row.orphan, false);
      assert.equal(row.sessionId, known.get(w.id).sessionId);
    } else {
      assert.equal(row.orphan, true, `window ${w.name} is listed as orphan`);
      assert.equal(row.sessionId, w.name);
    }
  }
  for (const s of Object.values(sessions)) {
    assert.equal(
      rows.filter((r) => !r.orphan && r.sessionId === s.sessionId).length,
      1,
      `${s.sessionId} listed once`,
    );
  }
  return { sessions, rows, windows };
}

/** SIGKILLs a spawned CLI and checks that the signal (not an exit) ended it. */
async function sigkill(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  const status = await child.status;
  await child.stdout.cancel();
  await child.stderr.cancel();
  assert.equal(status.signal, "SIGKILL", "killed mid-operation, not finished");
}

/** Polls every 2 ms: for kill points that last only a moment. */
async function pollFast(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether process `pid` waits for the flock on `lockPath` (/proc/locks). */
async function blockedOn(pid: number, lockPath: string): Promise<boolean> {
  // A waiter retries a non-blocking flock, so it shows in /proc/locks only
  // as a process that holds the lock file open while another holds it.
  const target = await Deno.realPath(lockPath);
  for await (const fd of Deno.readDir(`/proc/${pid}/fd`)) {
    const link = await Deno.readLink(`/proc/${pid}/fd/${fd.name}`).catch(() =>
      ""
    );
    if (link === target) return true;
  }
  return false;
}

/**
 * The next create of `id` works: directly when the state does not know it,
 * after `aimax stop` when a leftover record does (and `create` alone is
 * refused with a reason while its window still runs).
 */
async function createAgain(world: World, id: string): Promise<void> {
  const leftover = (await runtime(world))[`${world.backend}/${id}`];
  if (leftover) {
    const again = await world.cli(createArgs(world, id, "too early"));
    if (again.code !== 0) {
      assert.equal(again.code, 1, again.stderr);
      assert.match(again.stderr, /already running/);
    } else {
      return; // the leftover was dead: create replaced it
    }
    const stopped = await world.cli(["stop", "-s", id]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.ok((await archived(world)).some((a) => a.sessionId === id));
  }
  await create(world, id, `hello again ${id}`);
  await waitReply(world, id, `ack: hello again ${id}`);
}

test("SIGKILL of create before its window exists leaves nothing half-made", async (world) => {
  // Kill point 1 (deterministic): waiting for the per-session lock, before
  // any tmux call.
  const lock = join(world.dataDir, "locks", `${world.backend}.k1.lock`);
  await withFileLock(lock, async () => {
    const child = world.spawn(createArgs(world, "k1", "never sent"));
    await waitFor(
      "create k1 waiting for its lock",
      () => blockedOn(child.pid, lock),
    );
    await sigkill(child);
  });
  assert.equal(await exists(world.socket), false, "no tmux server started");
  assert.deepEqual(await runtime(world), {});

  // Kill point 2: the moment the tmux server appears (create is starting
  // the hub; the window may or may not be there yet).
  const child = world.spawn(createArgs(world, "k2", "never sent either"));
  await pollFast("tmux server socket", () => exists(world.socket));
  await sigkill(child);
  await assertConsistent(world);

  for (const id of ["k1", "k2", "k9"]) await createAgain(world, id);
  const { sessions } = await assertConsistent(world);
  assert.deepEqual(
    Object.values(sessions).map((s) => s.sessionId).sort(),
    ["k1", "k2", "k9"],
  );
  assert.equal(
    world.stub.prompts().filter((p) => p.startsWith("never sent")).length,
    0,
  );
});

test("SIGKILL of create after its window exists: orphan or leftover, never lost, never blocking", async (world) => {
  // Kill point 3 (deterministic): the window exists and the state file is
  // not written yet (the test holds the state lock, so create waits there).
  const stateLock = join(world.dataDir, "hub-state.lock");
  await withFileLock(stateLock, async () => {
    const child = world.spawn(createArgs(world, "k3", "never recorded"));
    await waitFor(
      "k3's window, and create waiting for the state lock",
      async () =>
        (await hubWindows(world)).some((w) => w.name === "k3") &&
        await blockedOn(child.pid, stateLock),
    );
    await sigkill(child);
  });
  let seen = await assertConsistent(world);
  assert.equal(seen.sessions[`${world.backend}/k3`], undefined);
  const orphan = seen.rows.find((r) => r.sessionId === "k3");
  assert.equal(orphan?.orphan, true, "the unknown window is reported");
  assert.equal(orphan?.alive, true);

  // Kill point 4: as soon as the window shows (create then records it and
  // waits for the TUI or the prompt's landing).
  const child = world.spawn(createArgs(world, "k4", "hello k4"));
  await pollFast(
    "k4's window",
    async () => (await hubWindows(world)).some((w) => w.name === "k4"),
  );
  await sigkill(child);
  seen = await assertConsistent(world);
  assert.ok(seen.rows.some((r) => r.sessionId === "k4"));

  // The same ids and a new one work afterwards.
  for (const id of ["k3", "k4", "k5"]) await createAgain(world, id);
  seen = await assertConsistent(world);
  assert.deepEqual(
    Object.values(seen.sessions).map((s) => s.sessionId).sort(),
    ["k3", "k4", "k5"],
  );
  assert.ok(
    !seen.rows.some((r) => r.orphan && r.sessionId === "k3"),
    "creating k3 again ended the orphan window left by the killed create",
  );
  assert.equal(
    (await hubWindows(world)).filter((w) => w.name === "k3").length,
    1,
    "one k3 window, not two",
  );
});

test(
  "SIGKILL during send; a half-typed prompt in the input box does not merge with the next",
  async (world) => {
    await create(world, "s1", "hello s1");
    await waitReply(world, "s1", "ack: hello s1");
    await waitIdle(world, "s1");
    const flag = join(world.cwd, ".imac", "flags", "s1", "running.flag");
    await Deno.remove(flag).catch(() => {});

    // Killed right after it raised running.flag (just before the paste).
    const child = world.spawn([
      "send",
      "-s",
      "s1",
      "-p",
      "killed while sending",
    ]);
    await pollFast("send raising running.flag", () => exists(flag));
    await sigkill(child);
    await assertConsistent(world);

    const sent = await world.cli(["send", "-s", "s1", "-p", "after the kill"]);
    assert.equal(sent.code, 0, sent.stderr);
    let h = await waitReply(world, "s1", "ack: after the kill");
    assert.equal(userPrompts(h.entries).at(-1), "after the kill");
    await waitIdle(world, "s1");

    // A send killed between paste and Enter leaves its text in the input box;
    // made deterministic here by pasting it the way aimax does.
    const pane = (await hubWindows(world)).find((w) => w.name === "s1")!.pane;
    await world.tmux([
      "set-buffer",
      "-b",
      "leftover",
      "half-typed leftover\nof a killed send",
    ]);
    await world.tmux([
      "paste-buffer",
      "-p",
      "-d",
      "-b",
      "leftover",
      "-t",
      pane,
    ]);
    await waitFor("the leftover in the input box", async () => {
      const screen = await world.tmux(["capture-pane", "-p", "-t", pane]);
      return screen.stdout.includes("half-typed leftover");
    });
    const next = await world.cli([
      "send",
      "-s",
      "s1",
      "-p",
      "after the leftover",
    ]);
    assert.equal(next.code, 0, next.stderr);
    h = await waitReply(world, "s1", "ack: after the leftover");
    const prompts = userPrompts(h.entries);
    assert.equal(prompts.at(-1), "after the leftover");
    for (const p of prompts) {
      assert.ok(
        [
          "hello s1",
          "killed while sending",
          "after the kill",
          "after the leftover",
        ]
          .includes(p),
        `every message is one whole prompt, got ${JSON.stringify(p)}`,
      );
    }
    await assertConsistent(world);
  },
  { bothAgents: true },
);

test("tmux server killed under live sessions: dead in status/list, stop archives, create starts a new hub", async (world) => {
  await create(world, "d1", "hello d1");
  await create(world, "d2", "hello d2");
  await waitReply(world, "d2", "ack: hello d2");
  assert.equal((await world.tmux(["kill-server"])).code, 0);

  for (const id of ["d1", "d2"]) {
    const s = json(await world.cli(["status", "-s", id, "--json"]));
    assert.equal(s.alive, false, `${id} reported dead`);
    assert.equal(s.working, false);
  }
  const rows = json<Rec[]>(await world.cli(["list", "--json"]));
  assert.deepEqual(
    rows.map((r) => [r.sessionId, r.alive, r.orphan]).sort(),
    [["d1", false, false], ["d2", false, false]],
  );

  const stopped = json(await world.cli(["stop", "-s", "d2", "--json"]));
  assert.deepEqual(stopped, {
    sessionId: "d2",
    killed: false,
    wasWorking: false,
  });
  assert.equal((await archived(world)).at(-1).sessionId, "d2");

  // The new server hands out ids again from the start: d3 gets the window
  // and pane ids the dead d1 had, which must not make d1 look alive.
  const d3 = await create(world, "d3", "hello d3");
  assert.ok(d3.agentSessionId);
  await waitReply(world, "d3", "ack: hello d3");
  const state = await runtime(world);
  assert.equal(
    state[`${world.backend}/d3`].windowId,
    state[`${world.backend}/d1`].windowId,
  );
  const d1 = json(await world.cli(["status", "-s", "d1", "--json"]));
  assert.equal(d1.alive, false, "d1 is not taken for d3's window");
  assert.equal((await world.cli(["stop", "-s", "d1"])).code, 0);
  const d3status = json(await world.cli(["status", "-s", "d3", "--json"]));
  assert.equal(d3status.alive, true, "stopping d1 left d3's window alone");
  assert.deepEqual(
    (await archived(world)).map((a) => [a.sessionId, a.killed]),
    [["d2", false], ["d1", false]],
  );
  await assertConsistent(world);
});

test(
  "the agent exits in its window: not alive, and send fails in one line creating nothing",
  async (world) => {
    await create(world, "x1", "hello x1");
    await waitReply(world, "x1", "ack: hello x1");
    await waitIdle(world, "x1");
    const win = (await hubWindows(world)).find((w) => w.name === "x1")!;
    Deno.kill(win.pid, "SIGKILL");
    await waitFor(
      "the pane to be dead",
      async () => (await hubWindows(world)).find((w) => w.name === "x1")?.dead,
    );

    const backend = new TmuxAgentBackend(
      PROFILES[world.backend],
      configFromEnv((name) => world.env[name]),
    );
    assert.equal(await backend.isAlive("x1"), false);
    assert.equal(await backend.isWorking("x1"), false);
    const status = json(await world.cli(["status", "-s", "x1", "--json"]));
    assert.equal(status.alive, false);

    const flag = join(world.cwd, ".imac", "flags", "x1", "running.flag");
    await Deno.remove(flag).catch(() => {});
    const stateBefore = await Deno.readTextFile(runtimePath(world));
    const windowsBefore = await hubWindows(world);
    const posts = world.stub.requests.length;
    const sent = await world.cli(["send", "-s", "x1", "-p", "into the void"]);
    assert.equal(sent.code, 1);
    assert.equal(sent.stderr.trimEnd().split("\n").length, 1, sent.stderr);
    assert.match(sent.stderr, /^aimax: .*x1.* is not running/);
    assert.equal(await Deno.readTextFile(runtimePath(world)), stateBefore);
    assert.deepEqual(await hubWindows(world), windowsBefore);
    assert.equal(await exists(flag), false, "no running.flag raised");
    assert.equal(
      world.stub.requests.length,
      posts,
      "nothing reached the model",
    );

    const stopped = json(await world.cli(["stop", "-s", "x1", "--json"]));
    assert.equal(stopped.killed, false);
    assert.deepEqual(await hubWindows(world), [], "the dead pane is removed");
    assert.equal((await archived(world)).at(-1).sessionId, "x1");
  },
  { bothAgents: true },
);

test(
  "stream --json goes on across a truncated and a replaced transcript, no duplicate, no gap (CLI, live session)",
  async (world) => {
    const created = await create(world, "t1", "before the stream");
    const path = created.jsonlPath;
    await waitReply(world, "t1", "ack: before the stream");
    await waitIdle(world, "t1");

    const child = world.spawn([
      "stream",
      "-s",
      "t1",
      "--from-sentinel",
      "0",
      "--json",
    ]);
    const followed = followJsonLines<JsonlEntry>(child);
    const streamed = followed.entries;
    const resets = () =>
      streamed.filter((e, i) => i > 0 && e.offset !== streamed[i - 1].end)
        .length;
    /** Waits until the stream delivered the whole file (as it stands). */
    const caughtUp = async (wantResets: number) => {
      await waitFor("the stream to catch up", async () => {
        const size = (await Deno.stat(path)).size;
        return resets() === wantResets && streamed.at(-1)?.end === size;
      });
    };
    /** What the file holds now, as the stream should have delivered it. */
    const snapshot = async () =>
      (await readJsonl(path)).entries.map((e) => [e.offset, e.end, e.value]);

    const expected: unknown[][] = [];
    try {
      await world.cli(["send", "-s", "t1", "-p", "one"]);
      await waitReply(world, "t1", "ack: one");
      await waitIdle(world, "t1");
      await caughtUp(0);
      expected.push(await snapshot());

      await Deno.truncate(path, 0);
      await world.cli(["send", "-s", "t1", "-p", "two after truncation"]);
      await waitReply(world, "t1", "ack: two after truncation");
      await waitIdle(world, "t1");
      await caughtUp(1);
      expected.push(await snapshot());

      const tmp = `${path}.new`;
      await Deno.writeTextFile(
        tmp,
        '{"type":"replacement","n":1}\n{"type":"replacement","n":2}\n',
      );
      await Deno.rename(tmp, path);
      await world.cli(["send", "-s", "t1", "-p", "three after replacement"]);
      if (world.agent === "claude") {
        await waitReply(world, "t1", "ack: three after replacement");
      } else {
        // Codex keeps writing into the file it opened (the old inode): the
        // reply is not in the replaced file; the model got the prompt.
        await waitFor(
          "the prompt at the model",
          () => world.stub.prompts().includes("three after replacement"),
        );
      }
      await waitIdle(world, "t1");
      await caughtUp(2);
      expected.push(await snapshot());
    } finally {
      child.kill("SIGTERM");
      await followed.done;
      await child.status;
      await child.stderr.cancel();
    }
    const segments: unknown[][][] = [];
    streamed.forEach((e, i) => {
      if (i === 0 || e.offset !== streamed[i - 1].end) segments.push([]);
      segments.at(-1)!.push([e.offset, e.end, e.value]);
    });
    assert.equal(segments.length, 3, "two resets: truncation, replacement");
    assert.deepEqual(segments, expected);
    const last = expected[2] as [number, number, Rec][];
    assert.deepEqual(last.slice(0, 2).map((e) => e[2]), [
      { type: "replacement", n: 1 },
      { type: "replacement", n: 2 },
    ]);
    if (world.agent === "claude") {
      assert.ok(
        userPrompts((await history(world, "t1")).entries).includes(
          "three after replacement",
        ),
        "Claude went on writing into the replaced file",
      );
    }
  },
  { bothAgents: true },
);

test("a corrupt or half-written hub-runtime.json: list fails naming the file and where it went; the bytes are kept; nothing lost", async (world) => {
  await create(world, "live", "hello live");
  await waitReply(world, "live", "ack: hello live");
  const path = runtimePath(world);
  const good = await Deno.readFile(path);
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: [string, Uint8Array][] = [
    ["half-written", good.slice(0, Math.floor(good.length / 2))],
    ["empty", new Uint8Array()],
    ["binary garbage", new Uint8Array([0xff, 0xfe, 0, 0x0a, 0x7b, 0x0a])],
    ["a bad token on a later line", enc('{\n"version":\nundefined}\n')],
    ["valid JSON, wrong shape", enc('{"version":1,"sessions":[]}\n')],
    ["a session without ids", enc('{"version":1,"sessions":{"a/b":{}}}\n')],
  ];
  for (const [what, bytes] of cases) {
    await Deno.writeFile(path, bytes);
    const r = await world.cli(["list", "--json"]);
    assert.equal(r.code, 1, `${what}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, `${what}: one line: ${r.stderr}`);
    assert.ok(lines[0].includes(path), `${what}: names the file`);
    const aside = lines[0].match(/moved aside to (\S+) and left untouched/)
      ?.[1];
    assert.ok(aside?.startsWith(`${path}.corrupt-`), `${what}: ${lines[0]}`);
    assert.deepEqual(await Deno.readFile(aside!), bytes, `${what}: kept`);
    assert.equal(
      JSON.parse(r.stdout).error.code,
      "state_corrupt",
      `${what}: --json error`,
    );
    assert.equal(await exists(path), false, `${what}: no empty state over it`);

    // Nothing lost: the live window is still reported (as an orphan) …
    const rows = json<Rec[]>(await world.cli(["list", "--json"]));
    assert.deepEqual(rows.map((x) => [x.sessionId, x.orphan, x.alive]), [[
      "live",
      true,
      true,
    ]]);
    assert.equal(await exists(path), false, `${what}: list wrote nothing`);
    await Deno.remove(aside!);
  }
  // … and restoring the good file brings the session back.
  await Deno.writeFile(path, good);
  const rows = json<Rec[]>(await world.cli(["list", "--json"]));
  assert.deepEqual(rows.map((x) => [x.sessionId, x.orphan, x.alive]), [[
    "live",
    false,
    true,
  ]]);
  const sent = await world.cli(["send", "-s", "live", "-p", "still here"]);
  assert.equal(sent.code, 0, sent.stderr);
});

// 20 real Claude TUIs start together on this 2-core machine within the
// ready timeout; lower CONCURRENCY if a slower machine cannot.
const CONCURRENCY = 20;

test(`${CONCURRENCY} CLI processes at once create, send to and stop different sessions`, async (world) => {
  const ids = Array.from(
    { length: CONCURRENCY },
    (_, i) => `c${String(i).padStart(2, "0")}`,
  );
  const run = (args: (id: string) => string[], of: string[]) =>
    Promise.all(of.map((id) => world.cli(args(id))));
  const check = (what: string, results: CliResult[]) =>
    results.forEach((r, i) =>
      assert.equal(r.code, 0, `${what} ${i}: ${r.stderr}`)
    );

  check("create", await run((id) => createArgs(world, id, `hello ${id}`), ids));
  check(
    "send",
    await run((id) => ["send", "-s", id, "-p", `second for ${id}`], ids),
  );
  const stopped = ids.filter((_, i) => i % 2 === 0);
  const kept = ids.filter((_, i) => i % 2 === 1);
  check("stop", await run((id) => ["stop", "-s", id], stopped));

  const sessions = Object.values(await runtime(world));
  assert.deepEqual(sessions.map((s) => s.sessionId).sort(), kept);
  assert.equal(new Set(sessions.map((s) => s.windowId)).size, kept.length);
  assert.equal(
    new Set(sessions.map((s) => s.agentSessionId)).size,
    kept.length,
  );
  const gone = await archived(world);
  assert.deepEqual(gone.map((a) => a.sessionId).sort(), stopped);
  assert.ok(gone.every((a) => a.killed === true));
  const { rows, windows } = await assertConsistent(world);
  assert.deepEqual(rows.map((r) => r.sessionId).sort(), kept);
  assert.ok(rows.every((r) => r.alive && !r.orphan));
  assert.deepEqual(windows.map((w) => w.name).sort(), kept);
  // Each kept session got exactly its own two prompts.
  await Promise.all(kept.map(async (id) => {
    const h = await waitReply(world, id, `ack: second for ${id}`);
    assert.deepEqual(userPrompts(h.entries), [
      `hello ${id}`,
      `second for ${id}`,
    ]);
  }));
});

test("two processes sending long multi-line prompts to one session at once: both whole, one after the other", async (world) => {
  await create(world, "two", "hello two");
  await waitReply(world, "two", "ack: hello two");
  await waitIdle(world, "two");
  const long = (tag: string) =>
    [
      `${tag} first line [[slow 2]]`,
      ...Array.from(
        { length: 60 },
        (_, i) =>
          `${tag} line ${i + 1}: ${`${tag.toLowerCase()}-text `.repeat(8)}`,
      ),
      `${tag} last line`,
    ].join("\n");
  const a = long("ALPHA");
  const b = long("BRAVO");
  const [ra, rb] = await Promise.all([
    world.cli(["send", "-s", "two"], { stdin: a }),
    world.cli(["send", "-s", "two"], { stdin: b }),
  ]);
  assert.equal(ra.code, 0, ra.stderr);
  assert.equal(rb.code, 0, rb.stderr);
  await waitFor("both turns to finish", async () => {
    const h = await history(world, "two");
    const status = (await world.cli(["status", "-s", "two", "--json"])).stdout;
    const n = userPrompts(h.entries).length;
    if (n === 3 && status.includes('"working":false')) return true;
    // Thrown to be reported if the wait times out.
    throw new Error(
      `${n} prompts; status ${status.trim()}; send stderr: ${ra.stderr} | ${rb.stderr}; screen: ${
        (await world.cli(["screen", "-s", "two"])).stdout
      }`,
    );
  }, 40_000);
  const prompts = userPrompts((await history(world, "two")).entries);
  assert.equal(prompts[0], "hello two");
  assert.ok(
    (prompts[1] === a && prompts[2] === b) ||
      (prompts[1] === b && prompts[2] === a),
    `the two prompts arrived whole and apart: ${
      JSON.stringify(prompts.slice(1).map((p) => p.slice(0, 40)))
    }`,
  );
});
