/**
 * The end-to-end suite against the real GitHub Copilot CLI TUI (pinned
 * 1.0.102), offline against the Chat Completions stand-in, plus what is
 * Copilot's own: its permission modes and refused options, trust given for
 * the session only, and no process left after `stop`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  create,
  createArgs,
  defineE2eSuite,
  waitIdle,
  waitReply,
} from "./support/e2e_suite.ts";
import { json, type World, worldTest } from "./support/world.ts";

defineE2eSuite("copilot");

// deno-lint-ignore no-explicit-any
type Rec = any;

/** The agent's command line: the argv of its pane's process. */
async function agentArgv(world: World, id: string): Promise<string[]> {
  const status = json(await world.cli(["status", "-s", id, "--json"]));
  const pid = await world.tmux([
    "display-message",
    "-p",
    "-t",
    String(status.paneId),
    "#{pane_pid}",
  ]);
  const cmdline = await Deno.readTextFile(`/proc/${pid.stdout.trim()}/cmdline`);
  return cmdline.split("\0").filter((a) => a !== "");
}

/** The processes whose environment names this world's COPILOT_HOME. */
async function copilotPids(world: World): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const environ = await Deno.readTextFile(`/proc/${entry.name}/environ`);
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      if (
        environ.includes(`COPILOT_HOME=${join(world.root, "copilot-home")}`) &&
        cmdline.split("\0").slice(0, 2).some((arg) => /copilot/.test(arg))
      ) pids.push(Number(entry.name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

worldTest(
  "copilot",
  "copilot options: --permission-mode ask makes a tool ask (wait exits 5), plan writes nothing, edits starts, auto is refused; the default is Copilot's own",
  async (world) => {
    const marker = join(world.root, "asked");
    const made = await world.cli(
      createArgs(world, "ask1", "hello", ["--permission-mode", "ask"]),
    );
    assert.equal(made.code, 0, made.stderr);
    await waitReply(world, "ask1", "ack: hello");
    await world.cli(["send", "-s", "ask1", "-p", `[[bash touch ${marker}]]`]);
    const waited = await world.cli(["wait", "-s", "ask1", "--timeout", "30"]);
    assert.equal(waited.code, 5, waited.stderr);
    await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
    const argv = await agentArgv(world, "ask1");
    const at = argv.indexOf("--mode");
    assert.ok(at > 0 && argv[at + 1] === "interactive", argv.join(" "));

    const planned = join(world.cwd, "planned");
    const plan = await world.cli(
      createArgs(world, "plan1", "hello", ["--permission-mode", "plan"]),
    );
    assert.equal(plan.code, 0, plan.stderr);
    await waitReply(world, "plan1", "ack: hello");
    await world.cli(["send", "-s", "plan1", "-p", `[[bash touch ${planned}]]`]);
    const planWait = await world.cli([
      "wait",
      "-s",
      "plan1",
      "--timeout",
      "30",
    ]);
    assert.ok([0, 5].includes(planWait.code), planWait.stderr);
    await assert.rejects(Deno.stat(planned), Deno.errors.NotFound);

    const edits = await world.cli(
      createArgs(world, "ed1", "hello", ["--permission-mode", "edits"]),
    );
    assert.equal(edits.code, 0, edits.stderr);
    const status = json<Rec>(
      await world.cli(["status", "-s", "ed1", "--json"]),
    );
    assert.equal(status.permission.mode, "edits");

    const auto = await world.cli(
      createArgs(world, "au1", "hello", ["--permission-mode", "auto"]),
    );
    assert.equal(auto.code, 2, auto.stderr);
    assert.match(auto.stderr, /experimental/);

    await create(world, "dflt", "hello");
    const dflt = json<Rec>(await world.cli(["status", "-s", "dflt", "--json"]));
    assert.deepEqual(dflt.permission, {
      mode: "ask",
      source: "default",
      detail: "GitHub Copilot CLI's default (Manual Approval)",
    });
  },
  // Without COPILOT_ALLOW_ALL: Copilot asks.
  { approvals: true },
);

worldTest(
  "copilot",
  "copilot options: aimax's own options after -- exit 2 and create nothing",
  async (world) => {
    for (
      const extra of [
        ["--", "--resume", "abc"],
        ["--", "--allow-all"],
        ["--", "-p", "hi"],
        ["--permission-mode", "bypass"],
      ]
    ) {
      const r = await world.cli(createArgs(world, "no1", "hello", extra));
      assert.equal(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
    }
    assert.equal(world.stub.requests.length, 0, "no model request");
  },
);

worldTest(
  "copilot",
  "copilot e2e: the folder is trusted for the session only (config.json untouched); after stop no copilot process is left",
  async (world) => {
    const config = join(world.root, "copilot-home", "config.json");
    const before = await Deno.readTextFile(config);
    await create(world, "t1", "hello");
    await waitReply(world, "t1", "ack: hello");
    await waitIdle(world, "t1");
    assert.ok((await copilotPids(world)).length > 0, "copilot runs");
    // Copilot rewrites the file with a comment line first.
    const folders = (text: string) =>
      JSON.parse(text.replace(/^\s*\/\/.*$/gm, "")).trustedFolders;
    assert.deepEqual(
      folders(await Deno.readTextFile(config)),
      folders(before),
      "no folder remembered",
    );
    const stopped = json(await world.cli(["stop", "-s", "t1", "--json"]));
    assert.equal(stopped.killed, true);
    const deadline = Date.now() + 10_000;
    let left = await copilotPids(world);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      left = await copilotPids(world);
    }
    assert.deepEqual(left, [], "no copilot process left");
  },
);
