/**
 * The end-to-end suite every backend must pass, through the `aimax` CLI,
 * against the real agent TUI and its loopback model stub.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { JsonlEntry } from "../../lib/jsonl/lines.ts";
import { profileOf } from "../../lib/agents/mod.ts";
import { AGENTS, TEST_KITS } from "../../offline/kits.ts";
import type { RecordTexts } from "../../offline/test_kit.ts";
import {
  type AgentName,
  followJsonLines,
  json,
  waitFor,
  type World,
  type WorldOptions,
  worldTest,
} from "./world.ts";

/** Each record's texts as the kits read them (record shapes are disjoint). */
function texts(entries: JsonlEntry[], side: keyof RecordTexts): string[] {
  const kits = AGENTS.map((agent) => TEST_KITS[agent]);
  return entries.flatMap(({ value }) =>
    kits.flatMap((kit) => kit.recordTexts(value)[side])
  );
}

/** Assistant texts in transcript order, for any agent. */
export function assistantTexts(entries: JsonlEntry[]): string[] {
  return texts(entries, "assistant");
}

/** The user prompts in the transcript, as typed, for any agent. */
export function userPrompts(entries: JsonlEntry[]): string[] {
  return texts(entries, "user");
}

interface History {
  entries: JsonlEntry[];
  total: number;
  truncated: boolean;
  sentinel: number;
}

/** The session's history through the CLI. */
export async function history(world: World, id: string): Promise<History> {
  return json<History>(
    await world.cli(["history", "-b", world.backend, "-s", id, "--json"]),
  );
}

/** Waits until the assistant said `text` (a substring) in session `id`. */
export async function waitReply(
  world: World,
  id: string,
  text: string,
  timeoutMs = 30_000,
): Promise<History> {
  return await waitFor(`reply "${text}" in ${id}`, async () => {
    const h = await history(world, id);
    return assistantTexts(h.entries).some((t) => t.includes(text)) && h;
  }, timeoutMs);
}

/** Waits until session `id` is idle. */
export async function waitIdle(world: World, id: string): Promise<void> {
  await waitFor(`${id} idle`, async () => {
    const s = json(await world.cli(["status", "-s", id, "--json"]));
    return s.working === false;
  }, 30_000);
}

/** The `aimax create … --json` argv for session `id` in the world's cwd. */
export function createArgs(
  world: World,
  id: string,
  prompt: string,
  extra: string[] = [],
): string[] {
  return [
    "create",
    "-b",
    world.backend,
    "-s",
    id,
    "--cwd",
    world.cwd,
    "-p",
    prompt,
    "--json",
    ...world.createArgs,
    ...extra,
  ];
}

/** Creates session `id` through the CLI and returns its JSON result. */
export async function create(
  world: World,
  id: string,
  prompt: string,
  extra: string[] = [],
): Promise<Record<string, string>> {
  return json<Record<string, string>>(
    await world.cli(createArgs(world, id, prompt, extra)),
  );
}

/**
 * Registers the shared suite for one agent.
 *
 * @param agent which TUI
 * @param options world options (e.g. scoped permissions)
 */
export function defineE2eSuite(
  agent: AgentName,
  options: WorldOptions = {},
): void {
  const name = (title: string) => `${agent} e2e: ${title}`;
  const test = (title: string, fn: (world: World) => Promise<void>) =>
    worldTest(agent, name(title), fn, options);

  test("create answers the first prompt; send while idle and while working", async (world) => {
    const created = await create(world, "s1", "first prompt");
    assert.equal(created.sessionId, "s1");
    assert.ok(created.agentSessionId);
    assert.ok(created.jsonlPath);
    await waitReply(world, "s1", "ack: first prompt");

    const idle = await world.cli([
      "send",
      "-s",
      "s1",
      "-p",
      "second while idle",
    ]);
    assert.equal(idle.code, 0, idle.stderr);
    await waitReply(world, "s1", "ack: second while idle");

    assert.equal(
      (await world.cli(["send", "-s", "s1", "-p", "slow turn [[slow 6]]"]))
        .code,
      0,
    );
    const busy = json(await world.cli(["status", "-s", "s1", "--json"]));
    assert.equal(busy.working, true, "the slow turn shows as working");
    const queued = await world.cli([
      "send",
      "-s",
      "s1",
      "-p",
      "queued while working",
    ]);
    assert.equal(queued.code, 0, queued.stderr);
    const h = await waitReply(world, "s1", "ack: queued while working", 40_000);
    const texts = assistantTexts(h.entries);
    assert.ok(
      texts.some((t) => t.includes("slow done")),
      "slow turn finished, not interrupted",
    );
    const prompts = userPrompts(h.entries);
    assert.deepEqual(
      prompts.filter((p) => !p.startsWith("[Request interrupted")),
      [
        "first prompt",
        "second while idle",
        "slow turn [[slow 6]]",
        "queued while working",
      ],
    );
  });

  test("pause interrupts a slow turn and the new prompt is answered", async (world) => {
    await create(world, "p1", "hello");
    await waitReply(world, "p1", "ack: hello");
    await world.cli(["send", "-s", "p1", "-p", "long one [[slow 30]]"]);
    await waitFor("some output of the slow turn", async () => {
      const s = json(await world.cli(["status", "-s", "p1", "--json"]));
      return s.working;
    });
    const started = Date.now();
    const paused = await world.cli([
      "pause",
      "-s",
      "p1",
      "-p",
      "after the pause",
    ]);
    assert.equal(paused.code, 0, paused.stderr);
    const h = await waitReply(world, "p1", "ack: after the pause");
    assert.ok(Date.now() - started < 25_000, "did not wait for the slow turn");
    assert.ok(
      !assistantTexts(h.entries).some((t) => t.includes("slow done")),
      "the slow turn was cut short",
    );
  });

  test("a real Bash tool call removes running.flag and status reports the goal accomplished", async (world) => {
    await create(world, "f1", "warm up");
    await waitReply(world, "f1", "ack: warm up");
    await waitIdle(world, "f1");
    const flag = join(world.cwd, ".imac", "flags", "f1", "running.flag");
    const sent = await world.cli([
      "send",
      "-s",
      "f1",
      "-p",
      `finish the job [[bash rm -f ${flag}]]`,
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    await waitReply(world, "f1", "tool done");
    const status = await waitFor("job done", async () => {
      const s = json(await world.cli(["status", "-s", "f1", "--json"]));
      return s.jobGoalAccomplished === true && s;
    });
    assert.equal(status.failed, false);
    await assert.rejects(Deno.stat(flag), Deno.errors.NotFound);
    // A new prompt raises the flag again.
    await world.cli(["send", "-s", "f1", "-p", "another job"]);
    const again = json(await world.cli(["status", "-s", "f1", "--json"]));
    assert.equal(again.jobGoalAccomplished, false);
  });

  test("stream --from-sentinel after history repeats nothing and misses nothing", async (world) => {
    await create(world, "st", "before the stream");
    await waitReply(world, "st", "ack: before the stream");
    await waitIdle(world, "st");
    const before = await history(world, "st");
    const child = world.spawn([
      "stream",
      "-s",
      "st",
      "--from-sentinel",
      String(before.sentinel),
      "--json",
    ]);
    const followed = followJsonLines<JsonlEntry>(child);
    try {
      await world.cli(["send", "-s", "st", "-p", "during the stream one"]);
      await waitReply(world, "st", "ack: during the stream one");
      await world.cli(["send", "-s", "st", "-p", "during the stream two"]);
      const after = await waitReply(world, "st", "ack: during the stream two");
      await waitFor("stream caught up", () =>
        followed.entries.length > 0 &&
        followed.entries.at(-1)!.end >= after.sentinel);
    } finally {
      child.kill("SIGTERM");
      await followed.done;
      await child.status;
      child.stderr.cancel();
    }
    const streamed = followed.entries;
    const all = await history(world, "st");
    const expected = all.entries.filter((e) => e.offset >= before.sentinel);
    const upTo = streamed.at(-1)!.end;
    assert.deepEqual(
      streamed.map((e) => [e.offset, e.end]),
      expected.filter((e) => e.end <= upTo).map((e) => [e.offset, e.end]),
    );
    assert.equal(
      streamed[0].offset,
      before.sentinel,
      "starts right at the sentinel",
    );
    assert.deepEqual(
      streamed.map((e) => e.value),
      expected.slice(0, streamed.length).map((e) => e.value),
    );
  });

  test("stop archives the session; create --agent-session-id resumes its conversation", async (world) => {
    const first = await create(world, "r1", "remember the word apricot");
    await waitReply(world, "r1", "ack: remember the word apricot");
    await waitIdle(world, "r1");
    const stopped = json(await world.cli(["stop", "-s", "r1", "--json"]));
    assert.deepEqual(stopped, {
      sessionId: "r1",
      killed: true,
      wasWorking: false,
    });
    const windows = await world.tmux([
      "list-windows",
      "-a",
      "-F",
      "#{window_name}",
    ]);
    assert.ok(!windows.stdout.split("\n").includes("r1"), "window gone");
    const list = json<unknown[]>(await world.cli(["list", "--json"]));
    assert.equal(list.length, 0);
    const archive = JSON.parse(
      await Deno.readTextFile(join(world.dataDir, "hub-archive.json")),
    );
    assert.equal(archive.sessions.at(-1).sessionId, "r1");
    assert.equal(
      (await world.cli(["status", "-s", "r1"])).code,
      3,
      "a stopped session is not found",
    );

    const resumed = await create(world, "r2", "what was the word", [
      "--agent-session-id",
      first.agentSessionId,
    ]);
    assert.equal(resumed.agentSessionId, first.agentSessionId);
    assert.equal(resumed.jsonlPath, first.jsonlPath);
    const h = await waitReply(world, "r2", "ack: what was the word");
    assert.deepEqual(userPrompts(h.entries), [
      "remember the word apricot",
      "what was the word",
    ]);
  });

  test("a prompt holding ESC[201~ and a carriage return arrives as one message", async (world) => {
    await create(world, "e1", "hello");
    await waitReply(world, "e1", "ack: hello");
    await waitIdle(world, "e1");
    const evil =
      "part one\x1b[201~\rpart two $(touch pwned) `touch pwned2`\x1b[A\x03 end";
    const sent = await world.cli(["send", "-s", "e1"], { stdin: evil });
    assert.equal(sent.code, 0, sent.stderr);
    const expected =
      "part one[201~\npart two $(touch pwned) `touch pwned2`[A end";
    const h = await waitReply(world, "e1", "ack: part one[201~");
    assert.deepEqual(userPrompts(h.entries).slice(-1), [expected]);
    assert.equal(userPrompts(h.entries).length, 2, "one message, not two");
    await assert.rejects(
      Deno.stat(join(world.cwd, "pwned")),
      Deno.errors.NotFound,
    );
    await assert.rejects(
      Deno.stat(join(world.root, "pwned")),
      Deno.errors.NotFound,
    );
  });

  test("unsafe session ids and a missing cwd are refused with nothing created", async (world) => {
    const bad = [
      "../x",
      "a/b",
      "a:b",
      ".",
      "..",
      "a b",
      "$(id)",
      "`id`",
      "-rf",
      "",
      "x".repeat(1000),
      "a\nb",
      "a'b",
    ];
    for (const id of bad) {
      const r = await world.cli([
        "create",
        "-b",
        world.backend,
        `--session=${id}`,
        "--cwd",
        world.cwd,
        "-p",
        "x",
      ]);
      assert.equal(r.code, 2, `id ${JSON.stringify(id)}: ${r.stderr}`);
      assert.match(r.stderr, /^aimax: /);
    }
    for (
      const cwd of [
        join(world.root, "missing"),
        "relative/dir",
        join(world.root, "tmux.sock.nofile"),
      ]
    ) {
      const r = await world.cli([
        "create",
        "-b",
        world.backend,
        "-s",
        "ok",
        "--cwd",
        cwd,
        "-p",
        "x",
      ]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /cwd/);
    }
    const server = await world.tmux(["list-sessions"]);
    assert.notEqual(server.code, 0, "no tmux server was started");
    await assert.rejects(
      Deno.stat(join(world.dataDir, "hub-runtime.json")),
      Deno.errors.NotFound,
    );
    assert.equal(
      world.stub.requests.filter((r) => r.method === "POST").length,
      0,
    );
  });

  test("an agent whose interpreter is missing: create says what is missing (exit 4) and leaves no session", async (world) => {
    // The program is there; what its `#!/usr/bin/env` names is not. tmux
    // marks the pane dead at once, its first line scrolled off by tmux's
    // "Pane is dead": the complaint is read from the pane's history.
    const program = join(world.root, "agent-needing-an-interpreter");
    await Deno.writeTextFile(
      program,
      "#!/usr/bin/env aimax-no-such-interpreter\n",
    );
    await Deno.chmod(program, 0o755);
    world.env[profileOf(world.backend).binEnvVar] = program;
    const r = await world.cli(
      createArgs(world, "s1", "hi").filter((a) => a !== "--json"),
    );
    assert.equal(r.code, 4, r.stderr);
    assert.match(
      r.stderr,
      /^aimax: .* could not be started \(\/usr\/bin\/env: .aimax-no-such-interpreter.: No such file or directory\): the interpreter its program names is not on the PATH/,
    );
    assert.deepEqual(json<unknown>(await world.cli(["list", "--json"])), []);
    const panes = await world.tmux(["list-panes", "-a", "-F", "#{pane_dead}"]);
    assert.deepEqual(
      panes.stdout.split("\n").filter((l) => l === "1"),
      [],
      "no dead pane left",
    );
    assert.equal(
      world.stub.requests.filter((r) => r.method === "POST").length,
      0,
    );
  });
}
