/**
 * Agent options per session on both real TUIs, through the CLI:
 * `--permission-mode` reaches the agent (a tool that needs approval asks
 * under `ask`; nothing is written under `plan`), the default is shown when
 * none is given, `-- ARGS` reach the agent's argv and aimax's own options
 * are refused before anything is created; aimax's own tmux server has
 * focus-events on.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { create, createArgs, waitReply } from "./support/e2e_suite.ts";
import { json, type World, worldTest } from "./support/world.ts";

// deno-lint-ignore no-explicit-any
type Rec = any;

/** A tool call of the loopback stub that runs `cmd`. */
const tool = (cmd: string) => `[[bash ${cmd}]]`;

/** One that needs approval (Codex's asks to leave its sandbox). */
const needsApproval = (world: World, cmd: string) =>
  world.agent === "claude" ? `[[bash ${cmd}]]` : `[[escalate ${cmd}]]`;

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

for (const agent of ["claude", "codex"] as const) {
  worldTest(
    agent,
    `${agent} options: --permission-mode ask makes a tool that needs approval ask (wait exits 5); status and list --json show the mode`,
    async (world) => {
      const marker = join(world.root, "asked");
      const made = await world.cli(
        createArgs(world, "ask1", "hello", ["--permission-mode", "ask"]),
      );
      assert.equal(made.code, 0, made.stderr);
      await waitReply(world, "ask1", "ack: hello");
      const sent = await world.cli([
        "send",
        "-s",
        "ask1",
        "-p",
        needsApproval(world, `touch ${marker}`),
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      const waited = await world.cli(["wait", "-s", "ask1", "--timeout", "30"]);
      assert.equal(waited.code, 5, waited.stderr);
      await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);

      const status = json<Rec>(
        await world.cli(["status", "-s", "ask1", "--json"]),
      );
      assert.deepEqual(status.permission, {
        mode: "ask",
        source: "option",
        detail: "--permission-mode",
      });
      const text = await world.cli(["status", "-s", "ask1", "--wide"]);
      assert.match(text.stdout, /permission: +ask \(--permission-mode\)/);
      const listed = JSON.parse(
        (await world.cli(["list", "--json"])).stdout,
      ) as Rec[];
      assert.equal(
        listed.find((s) => s.sessionId === "ask1")?.permission?.mode,
        "ask",
      );
      const argv = await agentArgv(world, "ask1");
      const flags = agent === "claude"
        ? ["--permission-mode", "default"]
        : ["--sandbox", "read-only"];
      const at = argv.indexOf(flags[0]);
      assert.ok(at > 0 && argv[at + 1] === flags[1], argv.join(" "));
    },
    // Claude: Bash is not allowed by the world's settings (else it runs).
    { approvals: agent === "claude" },
  );

  worldTest(
    agent,
    `${agent} options: under --permission-mode plan nothing is written; without the option status shows the agent's default`,
    async (world) => {
      const marker = join(world.cwd, "planned");
      const made = await world.cli(
        createArgs(world, "plan1", "hello", ["--permission-mode", "plan"]),
      );
      assert.equal(made.code, 0, made.stderr);
      await waitReply(world, "plan1", "ack: hello");
      const sent = await world.cli([
        "send",
        "-s",
        "plan1",
        "-p",
        tool(`touch ${marker}`),
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      const waited = await world.cli([
        "wait",
        "-s",
        "plan1",
        "--timeout",
        "30",
      ]);
      assert.ok(
        [0, 5].includes(waited.code),
        `${waited.code} ${waited.stderr}`,
      );
      await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);

      // The world's own settings decide without the option.
      await create(world, "dflt", "hello");
      const status = json<Rec>(
        await world.cli(["status", "-s", "dflt", "--json"]),
      );
      assert.equal(status.permission.source, "settings");
      assert.equal(
        status.permission.mode,
        agent === "claude" ? "ask" : "bypass",
        JSON.stringify(status.permission),
      );
      const argv = await agentArgv(world, "dflt");
      assert.ok(!argv.includes("--permission-mode"), argv.join(" "));
      assert.ok(!argv.includes("--sandbox"), argv.join(" "));
    },
    // Claude: tools the settings allow run in plan mode too.
    { approvals: agent === "claude" },
  );
}

worldTest(
  "claude",
  "claude options: -- --add-dir X reaches the agent's argv; the hub's tmux server has focus-events on and Claude no longer shows the focus-events notice",
  async (world) => {
    // Inside the trusted cwd: another directory makes Claude Code ask
    // whether to trust it at start-up.
    const extra = join(world.cwd, "extra-dir");
    await Deno.mkdir(extra);
    const made = await world.cli(
      createArgs(world, "args1", "hello", ["--", "--add-dir", extra]),
    );
    assert.equal(made.code, 0, made.stderr);
    await waitReply(world, "args1", "ack: hello");
    const argv = await agentArgv(world, "args1");
    const at = argv.indexOf("--add-dir");
    assert.ok(at > 0 && argv[at + 1] === extra, argv.join(" "));
    assert.equal(argv.at(-1), extra, "after aimax's own arguments");
    const status = json<Rec>(
      await world.cli(["status", "-s", "args1", "--json"]),
    );
    assert.deepEqual(status.agentArgs, ["--add-dir", extra]);

    const option = await world.tmux(["show-options", "-s", "focus-events"]);
    assert.equal(option.stdout.trim(), "focus-events on");
    const screen = await world.cli(["screen", "-s", "args1"]);
    assert.equal(screen.code, 0, screen.stderr);
    assert.doesNotMatch(screen.stdout, /focus-events off/);
  },
);

for (const agent of ["claude", "codex"] as const) {
  worldTest(
    agent,
    `${agent} options: aimax's own options after -- and bypass without --allow-bypass exit 2 and create nothing`,
    async (world) => {
      const refused = agent === "claude"
        ? [
          ["--", "--settings", "x.json"],
          ["--", "--resume", "abc"],
          ["--", "hello"],
          ["--permission-mode", "bypass"],
          ["--permission-mode", "sometimes"],
        ]
        : [
          ["--", "-c", "notify=[]"],
          ["--", "resume", "--last"],
          ["--", "--sandbox", "danger-full-access"],
          ["--permission-mode", "bypass"],
        ];
      for (const extra of refused) {
        const r = await world.cli(createArgs(world, "no1", "hello", extra));
        assert.equal(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
        assert.match(
          r.stderr,
          /is not passed to|not an option|--allow-bypass|invalid permission mode/,
        );
      }
      if (agent === "claude") {
        const settings = await world.cli(
          createArgs(world, "no1", "hello", ["--", "--settings", "x.json"]),
        );
        assert.match(settings.stderr, /AIMAX_CLAUDE_SETTINGS/);
      }
      assert.equal(world.stub.requests.length, 0, "no model request");
      const server = await world.tmux(["list-sessions"]);
      assert.notEqual(server.code, 0, `no tmux server: ${server.stdout}`);
      const other = await world.cli(["list", "--", "x"]);
      assert.equal(other.code, 2, other.stderr);
    },
  );
}

for (const agent of ["claude", "codex"] as const) {
  worldTest(
    agent,
    `${agent} options: the agent starts in edits and in auto mode`,
    async (world) => {
      const modes = agent === "claude" ? ["edits"] : ["edits", "auto"];
      for (const mode of modes) {
        const id = `m-${mode}`;
        const made = await world.cli(
          createArgs(world, id, "hello", ["--permission-mode", mode]),
        );
        assert.equal(made.code, 0, `${mode}: ${made.stderr}`);
        await waitReply(world, id, "ack: hello");
        const status = json<Rec>(
          await world.cli(["status", "-s", id, "--json"]),
        );
        assert.equal(status.permission.mode, mode);
      }
    },
  );
}

worldTest(
  "claude",
  "claude options: bypass as root without IS_SANDBOX exits 2 before anything starts",
  async (world) => {
    if (Deno.uid() !== 0) return;
    const r = await world.cli(
      createArgs(world, "b1", "hello", [
        "--permission-mode",
        "bypass",
        "--allow-bypass",
      ]),
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /IS_SANDBOX=1/);
    const server = await world.tmux(["list-sessions"]);
    assert.notEqual(server.code, 0, "no tmux server was started");
  },
  // The uid is system information the scoped permission set does not grant.
  { permissions: () => ["-A"] },
);

worldTest(
  "claude",
  "claude options: a conversation resumed with --agent-session-id starts again with its permission mode and agent arguments",
  async (world) => {
    const extra = join(world.cwd, "resumed-dir");
    await Deno.mkdir(extra);
    const first = await create(world, "r1", "hello", [
      "--permission-mode",
      "edits",
      "--",
      "--add-dir",
      extra,
    ]);
    await waitReply(world, "r1", "ack: hello");
    const stopped = await world.cli(["stop", "-s", "r1"]);
    assert.equal(stopped.code, 0, stopped.stderr);
    const made = await world.cli(
      createArgs(world, "r2", "again", [
        "--agent-session-id",
        first.agentSessionId,
      ]),
    );
    assert.equal(made.code, 0, made.stderr);
    const status = json<Rec>(await world.cli(["status", "-s", "r2", "--json"]));
    assert.equal(status.permission.mode, "edits");
    assert.deepEqual(status.agentArgs, ["--add-dir", extra]);
    const argv = await agentArgv(world, "r2");
    assert.ok(argv.includes("acceptEdits"), argv.join(" "));
    assert.equal(argv.at(-1), extra);
  },
);

worldTest(
  "claude",
  "claude options: an --add-dir Claude Code does not trust yet ends create at once with the question and a hint, not after the start-up time limit",
  async (world) => {
    const outside = join(world.root, "outside");
    await Deno.mkdir(outside);
    const started = Date.now();
    const r = await world.cli(
      createArgs(world, "t1", "hello", ["--", "--add-dir", outside]),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /trust a directory given with --add-dir/);
    assert.ok(Date.now() - started < 30_000, "not the 60 s time limit");
    assert.equal(world.stub.requests.length, 0, "no model request");
  },
);
