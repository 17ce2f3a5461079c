/**
 * Turns on both real TUIs through the CLI: `send --wait`, `wait` (answer,
 * timeout, a person asked), state from the agents' own signals, `keys` to
 * answer a dialog, idempotent `--key`, `stream --events`, `events`, and the
 * user's own hooks still running beside aimax's.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { create, userPrompts, waitReply } from "./support/e2e_suite.ts";
import { freezerAvailable, freezeTree } from "./support/freezer.ts";
import { shellQuote } from "../lib/signals/hook_script.ts";
import {
  AGENTS,
  followJsonLines,
  json,
  ROOT,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

const FREEZER = freezerAvailable();

// deno-lint-ignore no-explicit-any
type Rec = any;

const needsApproval = (world: World, cmd: string) =>
  world.agent === "claude" ? `[[bash ${cmd}]]` : `[[escalate ${cmd}]]`;

/**
 * Sends session `id` a prompt whose tool (`touch marker`) needs approval,
 * then waits for the turn: the send's and the wait's results.
 */
async function askApproval(world: World, id: string, marker: string) {
  const sent = await world.cli([
    "send",
    "-s",
    id,
    "-p",
    needsApproval(world, `touch ${marker}`),
  ]);
  const waited = await world.cli(["wait", "-s", id, "--timeout", "30"]);
  return { sent, waited };
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} turns: send --wait prints the answer; wait --timeout exits 6, then wait exits 0 with the answer`,
    async (world) => {
      await create(world, "w1", "hello");
      const sent = await world.cli([
        "send",
        "--wait",
        "-s",
        "w1",
        "-p",
        "pipeline step",
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(sent.stdout, "ack: pipeline step\n");

      const slow = await world.cli([
        "send",
        "-s",
        "w1",
        "-p",
        "slow [[slow 8]]",
      ]);
      assert.equal(slow.code, 0, slow.stderr);
      const early = await world.cli(["wait", "-s", "w1", "--timeout", "2"]);
      assert.equal(early.code, 6, early.stderr);
      assert.equal(early.stdout, "");
      assert.match(early.stderr, /still working/);
      const done = await world.cli(["wait", "-s", "w1", "--json"]);
      assert.equal(done.code, 0, done.stderr);
      const turn = JSON.parse(done.stdout);
      assert.equal(turn.outcome, "completed");
      assert.equal(turn.state, "idle");
      assert.match(turn.text, /slow done/);
      assert.equal(typeof turn.durationMs, "number");
      const status = json(await world.cli(["status", "-s", "w1", "--json"]));
      assert.equal(status.state, "idle");
      assert.equal(status.working, false);
    },
  );

  worldTest(
    agent,
    `${agent} turns: a tool that needs approval makes wait exit 5 and status say awaiting_input; keys Enter approves and the turn completes`,
    async (world) => {
      const marker = join(world.root, "approved-by-keys");
      await create(world, "a1", "hello");
      await waitReply(world, "a1", "ack: hello");
      const follower = world.spawn(["events", "--json"]);
      const followed = followJsonLines<Rec>(follower);
      try {
        const { waited } = await askApproval(world, "a1", marker);
        assert.equal(waited.code, 5, waited.stderr);
        assert.ok(waited.stderr.includes(`touch ${marker}`), waited.stderr);
        const status = json(await world.cli(["status", "-s", "a1", "--json"]));
        assert.equal(status.state, "awaiting_input");
        assert.ok(String(status.dialog).includes(`touch ${marker}`));
        await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);

        // A person is told (events) before answering.
        await waitFor(
          "events to report the dialog",
          () => followed.entries.some((e) => e.type === "awaiting_input"),
        );
        const pressed = await world.cli(["keys", "-s", "a1", "Enter"]);
        assert.equal(pressed.code, 0, pressed.stderr);
        const after = await world.cli(["wait", "-s", "a1", "--timeout", "30"]);
        assert.equal(after.code, 0, after.stderr);
        assert.equal(after.stdout, "tool done\n");
        await Deno.stat(marker); // the approved tool ran

        // `events --json` saw it live: working, awaiting_input, idle.
        const states = () =>
          followed.entries.filter((e) =>
            e.type === "state" && e.sessionId === "a1"
          )
            .map((e) => e.to);
        await waitFor("idle after the approval", () => {
          const s = states();
          const asked = s.indexOf("awaiting_input");
          return asked >= 0 && s.slice(asked).includes("idle");
        });
        assert.ok(states().includes("working"), states().join(" "));
        const asked = followed.entries.find((e) => e.type === "awaiting_input");
        assert.ok(asked && asked.text.includes(`touch ${marker}`));
      } finally {
        follower.kill("SIGTERM");
        await followed.done;
        await follower.status;
        await follower.stderr.cancel();
      }
    },
    { approvals: true },
  );

  worldTest(
    agent,
    `${agent} turns: keys Enter at a dialog of a TUI that reads its keys late returns once it took them; wait right after gets the answer`,
    async (world) => {
      const marker = join(world.root, "approved-late");
      await create(world, "l1", "hello");
      await waitReply(world, "l1", "ack: hello");
      const { sent, waited: asked } = await askApproval(world, "l1", marker);
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(asked.code, 5, asked.stderr);
      // The agent is frozen for 1.5 s: it reads the Enter that late, as on
      // a loaded machine (seen once in a full run held to one core).
      const status = json(await world.cli(["status", "-s", "l1", "--json"]));
      const shown = await world.tmux([
        "display-message",
        "-p",
        "-t",
        String(status.paneId),
        "#{pane_pid}",
      ]);
      using frozen = freezeTree(Number(shown.stdout.trim()));
      const timer = setTimeout(() => frozen.thaw(), 1_500);
      try {
        const pressed = await world.cli(["keys", "-s", "l1", "Enter"]);
        assert.equal(pressed.code, 0, pressed.stderr);
        // Before, keys returned at once and this wait read the dialog the
        // Enter had answered (exit 5).
        const after = await world.cli(["wait", "-s", "l1", "--timeout", "30"]);
        assert.equal(after.code, 0, after.stderr);
        assert.equal(after.stdout, "tool done\n");
        await Deno.stat(marker);
      } finally {
        clearTimeout(timer);
      }
    },
    { approvals: true, ignore: !FREEZER },
  );

  worldTest(
    agent,
    `${agent} turns: the same --key twice reaches the model once`,
    async (world) => {
      await create(world, "k1", "hello");
      await waitReply(world, "k1", "ack: hello");
      const first = await world.cli([
        "send",
        "-s",
        "k1",
        "--key",
        "job-42",
        "-p",
        "only once please",
        "--json",
      ]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(first.stdout).duplicate, undefined);
      const second = await world.cli([
        "send",
        "-s",
        "k1",
        "--key",
        "job-42",
        "-p",
        "only once please",
        "--json",
      ]);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(JSON.parse(second.stdout).duplicate, true);
      const other = await world.cli([
        "send",
        "-s",
        "k1",
        "--key",
        "job-43",
        "-p",
        "another key",
      ]);
      assert.equal(other.code, 0, other.stderr);
      await waitReply(world, "k1", "ack: another key");
      const turns = await world.cli(["history", "-s", "k1", "--json"]);
      const h = JSON.parse(turns.stdout);
      const prompts = userPrompts(h.entries).filter((p) =>
        p === "only once please"
      );
      assert.equal(prompts.length, 1);
    },
  );

  worldTest(
    agent,
    `${agent} turns: stream --events --json of a scripted conversation`,
    async (world) => {
      await create(world, "e1", "hello");
      await waitReply(world, "e1", "ack: hello");
      const child = world.spawn([
        "stream",
        "-s",
        "e1",
        "--events",
        "--json",
        "--from-sentinel",
        "0",
      ]);
      const followed = followJsonLines<Rec>(child);
      try {
        const tool = await world.cli([
          "send",
          "--wait",
          "-s",
          "e1",
          "-p",
          "run it [[bash echo hi]]",
        ]);
        assert.equal(tool.code, 0, tool.stderr);
        await waitFor(
          "two completed turns",
          () =>
            followed.entries.filter((e) => e.type === "turn_completed")
              .length >= 2,
        );
      } finally {
        child.kill("SIGTERM");
        await followed.done;
        await child.status;
        await child.stderr.cancel();
      }
      const brief = followed.entries.map((e) =>
        e.type === "user_message" || e.type === "assistant_message"
          ? `${e.type}:${e.text}`
          : e.type === "turn_completed"
          ? `turn_completed:${e.text}`
          : e.type
      );
      assert.deepEqual(brief, [
        "turn_started",
        "user_message:hello",
        "assistant_message:ack: hello",
        "turn_completed:ack: hello",
        "turn_started",
        "user_message:run it [[bash echo hi]]",
        "tool_call",
        "tool_result",
        "assistant_message:tool done",
        "turn_completed:tool done",
      ]);
      assert.ok(
        followed.entries.every((e) =>
          e.sessionId === "e1" && e.backend === world.backend &&
          typeof e.offset === "number" && e.raw === undefined
        ),
      );
    },
  );
}

worldTest(
  "claude",
  "claude turns: the user's own hooks (AIMAX_CLAUDE_SETTINGS) still run beside aimax's",
  async (world) => {
    const marker = join(world.root, "user-stop-hook-ran");
    // The default AIMAX_CLAUDE_SETTINGS: ~/.claude/settings.api.json.
    const settings = join(world.home, ".claude", "settings.api.json");
    await Deno.writeTextFile(
      settings,
      JSON.stringify({
        permissions: { allow: ["Bash"] },
        hooks: {
          Stop: [{ hooks: [{ type: "command", command: `touch ${marker}` }] }],
        },
      }),
    );
    await create(world, "h1", "hello");
    const turn = await world.cli(["wait", "-s", "h1", "--timeout", "30"]);
    assert.equal(turn.code, 0, turn.stderr);
    assert.equal(turn.stdout, "ack: hello\n");
    await waitFor(
      "the user's Stop hook",
      () => Deno.stat(marker).then(() => true),
    );
  },
);

worldTest(
  "codex",
  "codex turns: the user's own notify program still runs beside aimax's",
  async (world) => {
    const marker = join(world.root, "user-notify-ran");
    const config = join(world.env.CODEX_HOME, "config.toml");
    await Deno.writeTextFile(
      config,
      `notify = ["sh", "-c", "echo \\"$1\\" > '${marker}'", "user-notify"]\n` +
        await Deno.readTextFile(config),
    );
    await create(world, "n1", "hello");
    const turn = await world.cli(["wait", "-s", "n1", "--timeout", "30"]);
    assert.equal(turn.code, 0, turn.stderr);
    assert.equal(turn.stdout, "ack: hello\n");
    const got = await waitFor(
      "the user's notify",
      () => Deno.readTextFile(marker).catch(() => ""),
    );
    assert.match(got, /agent-turn-complete/);
  },
);

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} turns: --when-ready waits for a person to answer the dialog, then sends`,
    async (world) => {
      const marker = join(world.root, "approved-while-waiting");
      await create(world, "r1", "hello");
      await waitReply(world, "r1", "ack: hello");
      await world.cli([
        "send",
        "-s",
        "r1",
        "-p",
        needsApproval(world, `touch ${marker}`),
      ]);
      const asked = await world.cli(["wait", "-s", "r1", "--timeout", "30"]);
      assert.equal(asked.code, 5, asked.stderr);
      const refused = await world.cli(["send", "-s", "r1", "-p", "next one"]);
      assert.equal(refused.code, 5, "without --when-ready: refused at once");
      const patient = world.spawn([
        "send",
        "-s",
        "r1",
        "--when-ready=30",
        "-p",
        "next one",
      ]);
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(
        !world.stub.prompts().includes("next one"),
        "nothing typed while the dialog is up",
      );
      await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
      assert.equal((await world.cli(["keys", "-s", "r1", "Enter"])).code, 0);
      const status = await patient.status;
      await patient.stdout.cancel();
      await patient.stderr.cancel();
      assert.equal(status.code, 0);
      // It reached the model: as a turn of its own, or (Claude Code, when
      // it lands while the approved tool runs) attached to that turn.
      await waitFor(
        "the prompt at the model",
        () =>
          world.stub.requests.some((r) =>
            JSON.stringify(r.body).includes("next one")
          ),
      );
      await Deno.stat(marker);
    },
    { approvals: true },
  );
}

worldTest(
  "claude",
  "claude turns: send -s a -s b reports each session, and --all reaches every live one",
  async (world) => {
    await create(world, "m1", "hello m1");
    await create(world, "m2", "hello m2");
    const both = await world.cli([
      "send",
      "-s",
      "m1",
      "-s",
      "m2",
      "-s",
      "nope",
      "-p",
      "to several",
      "--json",
    ]);
    assert.equal(both.code, 3, "the missing one's exit code");
    const rows = JSON.parse(both.stdout);
    assert.deepEqual(rows.map((r: Rec) => [r.sessionId, r.sent]), [
      ["m1", true],
      ["m2", true],
      ["nope", false],
    ]);
    assert.equal(rows[2].error.code, "session_not_found");
    await waitReply(world, "m1", "ack: to several");
    await waitReply(world, "m2", "ack: to several");
    const all = await world.cli(["send", "--all", "-p", "to all"]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout.trim().split("\n").length, 2, all.stdout);
    await waitReply(world, "m1", "ack: to all");
    await waitReply(world, "m2", "ack: to all");
  },
);

worldTest(
  "claude",
  "claude turns: attach opens the session's window in a terminal; detaching leaves the agent running",
  async (world) => {
    await create(world, "t1", "hello");
    await waitReply(world, "t1", "ack: hello");
    const asJson = json(await world.cli(["attach", "-s", "t1", "--json"]));
    assert.equal((asJson.command as string[]).includes("attach-session"), true);
    // A person's terminal: `script` gives the CLI a pseudo-terminal.
    const argv = [
      Deno.execPath(),
      "run",
      "--quiet",
      ...world.flags,
      join(ROOT, "mod.ts"),
      "attach",
      "-s",
      "t1",
    ];
    const terminal = new Deno.Command("script", {
      args: ["-qfc", argv.map(shellQuote).join(" "), "/dev/null"],
      env: { ...world.env, TERM: "xterm-256color" },
      clearEnv: true,
      cwd: world.root,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      const client = await waitFor("a tmux client on the window", async () => {
        const r = await world.tmux([
          "list-clients",
          "-F",
          "#{client_name}\t#{window_name}",
        ]);
        return r.stdout.split("\n").find((l) => l.endsWith("\tt1"));
      });
      await world.tmux(["detach-client", "-t", client.split("\t")[0]]);
      const status = await terminal.status;
      assert.equal(status.code, 0);
      const after = json(await world.cli(["status", "-s", "t1", "--json"]));
      assert.equal(after.alive, true, "the agent keeps running");
    } finally {
      try {
        terminal.kill("SIGKILL");
      } catch {
        // already ended
      }
      await terminal.stdin.close().catch(() => {});
      await terminal.stdout.cancel().catch(() => {});
      await terminal.stderr.cancel().catch(() => {});
    }
  },
);
