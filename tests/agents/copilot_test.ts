/**
 * GitHub Copilot CLI's profile: its launch (argv, per-run plugin with
 * aimax's hooks, transcript path), screens captured from the pinned TUI
 * (`tests/fixtures/screens/copilot/`), keys and transcript records
 * (`tests/fixtures/transcripts/copilot-1.0.102.jsonl`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  COPILOT_HOOK_EVENTS,
  copilotDefaultPermission,
  copilotHooks,
  copilotProfile,
  copilotRuleArgs,
  copilotSignal,
  copilotTranscriptPath,
} from "../../lib/agents/copilot.ts";
import { configFromEnv } from "../../lib/config.ts";
import { InputError } from "../../lib/errors.ts";
import { readJsonl } from "../../lib/jsonl/reader.ts";
import type { AgentEventBody } from "../../lib/signals/events.ts";
import { ROOT } from "../support/world.ts";

const SCREENS = join(
  ROOT,
  "tests",
  "fixtures",
  "screens",
  "copilot",
  "1.0.102",
);
const TRANSCRIPT = join(
  ROOT,
  "tests",
  "fixtures",
  "transcripts",
  "copilot-1.0.102.jsonl",
);

const screen = (name: string) => Deno.readTextFile(join(SCREENS, name));

Deno.test("copilot: the trust dialog's keys pick '1. Yes' (this session only), whatever is selected", async () => {
  const trust = await screen("trust.txt");
  assert.deepEqual(copilotProfile.acceptTrustKeys(trust), ["Enter"]);
  const moved = trust.replace("❯ 1. Yes", "  1. Yes").replace(
    "  2. Yes, and remember",
    "❯ 2. Yes, and remember",
  );
  assert.deepEqual(copilotProfile.acceptTrustKeys(moved), ["Up", "Enter"]);
  assert.deepEqual(copilotProfile.acceptTrustKeys("no dialog"), []);
});

Deno.test("copilot: the permission dialog names the command and its choices", async () => {
  const state = copilotProfile.readScreen(await screen("permission.txt"));
  assert.equal(state.kind, "dialog");
  if (state.kind !== "dialog") return;
  assert.equal(state.purpose, "permission");
  assert.equal(state.asks, "mkdir /tmp/aimax-fixture/marker");
  assert.deepEqual(state.choices?.map((c) => [c.kind, c.keys]), [
    ["yes", ["Enter"]],
    ["always", ["Down", "Enter"]],
    // Enter on it opens a text field: its own key, Escape, refuses.
    ["no", ["Escape"]],
  ]);
  assert.match(state.text, /^Run mkdir/);
  assert.match(state.text, /Do you want to run this command\?/);
});

Deno.test("copilot: a reply that starts with 'Working' is not a running turn; the footer tells", async () => {
  const reply = copilotProfile.readScreen(await screen("reply_working_on.txt"));
  assert.deepEqual(reply, { kind: "input", working: false, composer: "" });
  const silent = copilotProfile.readScreen(await screen("working_silent.txt"));
  assert.deepEqual(silent, { kind: "input", working: true, composer: "" });
  assert.equal(copilotProfile.readScreen("starting up").kind, "starting");
});

Deno.test("copilot: a queued prompt is seen on the screen until it starts", async () => {
  const queued = await screen("working_queued.txt");
  const text = "queued follow-up prompt [[slow 6]]";
  assert.equal(copilotProfile.queuedOnScreen?.(queued, text), true);
  assert.equal(copilotProfile.queuedOnScreen?.(queued, "other"), false);
  const after = await screen("interrupt_with_queued_after.txt");
  assert.equal(copilotProfile.queuedOnScreen?.(after, text), false);
});

Deno.test("copilot: the paste placeholder is recognised", async () => {
  const state = copilotProfile.readScreen(
    await screen("paste_placeholder.txt"),
  );
  assert.ok(state.kind === "input");
  assert.match(state.composer, copilotProfile.pastePlaceholder);
});

Deno.test("copilot: the start screen tells the version", async () => {
  assert.equal(
    copilotProfile.versionFromScreen(await screen("trust.txt")),
    "1.0.102",
  );
  assert.equal(copilotProfile.versionFromScreen("no banner"), undefined);
});

Deno.test("copilot: a new session gets its id, transcript and a plugin with aimax's hooks; a resume keeps the id", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const config = configFromEnv((name) =>
      ({
        HOME: join(dir, "home"),
        AIMAX_DATA_DIR: join(dir, "data"),
        AIMAX_COPILOT_BIN: "/opt/copilot",
      })[name]
    );
    const plan = await copilotProfile.plan({
      config,
      sessionId: "s1",
      cwd: dir,
      model: "gpt-x",
      useProxy: false,
      agentSessionId: null,
      permissionMode: "plan",
      agentArgs: ["--no-color"],
      signals: {
        hook: "/data/bin/aimax-hook",
        events: "/data/it's.jsonl",
        runFile: (name) => join(dir, "run", `s1.${name}`),
      },
    });
    const id = plan.agentSessionId!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const pluginDir = join(dir, "run", "s1.copilot-plugin");
    assert.deepEqual(plan.argv, [
      "/opt/copilot",
      `--session-id=${id}`,
      "--model=gpt-x",
      `--plugin-dir=${pluginDir}`,
      "--mode",
      "plan",
      "--no-color",
    ]);
    assert.equal(
      plan.jsonlPath,
      join(dir, "home", ".copilot", "session-state", id, "events.jsonl"),
    );
    assert.equal(plan.env.COPILOT_HOME, undefined);
    const manifest = JSON.parse(
      await Deno.readTextFile(join(pluginDir, "plugin.json")),
    );
    assert.equal(manifest.hooks, "hooks.json");
    const hooks = JSON.parse(
      await Deno.readTextFile(join(pluginDir, "hooks.json")),
    );
    assert.deepEqual(Object.keys(hooks.hooks), [...COPILOT_HOOK_EVENTS]);
    assert.equal(
      hooks.hooks.agentStop[0].bash,
      `'/data/bin/aimax-hook' '/data/it'\\''s.jsonl' agentStop`,
    );

    const resumed = await copilotProfile.plan({
      config,
      sessionId: "s2",
      cwd: dir,
      model: null,
      useProxy: false,
      agentSessionId: id,
    });
    assert.deepEqual(resumed.argv, ["/opt/copilot", `--resume=${id}`]);
    assert.equal(resumed.agentSessionId, id);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("copilot: another COPILOT_HOME is passed on and holds the transcript", async () => {
  const config = configFromEnv((name) =>
    ({ HOME: "/home/me", COPILOT_HOME: "/srv/copilot" })[name]
  );
  const plan = await copilotProfile.plan({
    config,
    sessionId: "s",
    cwd: "/w",
    model: null,
    useProxy: false,
    agentSessionId: "abc",
  });
  assert.equal(plan.env.COPILOT_HOME, "/srv/copilot");
  assert.equal(plan.jsonlPath, copilotTranscriptPath("/srv/copilot", "abc"));
  assert.equal(copilotProfile.hub(config), "imac_copilot_agent_hub");
});

Deno.test("copilot: permission modes map to its flags; auto is refused", () => {
  assert.deepEqual(copilotProfile.permissionArgs("bypass"), ["--allow-all"]);
  assert.deepEqual(copilotProfile.permissionArgs("edits"), [
    "--mode",
    "interactive",
    "--allow-tool=write",
  ]);
  assert.throws(() => copilotProfile.permissionArgs("auto"), InputError);
});

Deno.test("copilot: rules map to --allow-tool/--deny-tool, one argv element each", () => {
  assert.deepEqual(
    copilotRuleArgs({
      allow: ["bash:touch *", "bash:npm test *", "bash:*", "edit:notes/a.md"],
      deny: ["bash:rm *", "bash:gh pr create *", "edit:./.env"],
    }, "/src/app"),
    [
      "--allow-tool=shell(touch:*)",
      "--allow-tool=shell(npm test:*)",
      "--allow-tool=shell",
      "--allow-tool=write(/src/app/notes/a.md)",
      "--deny-tool=shell(rm:*)",
      "--deny-tool=shell(gh pr create:*)",
      "--deny-tool=write(/src/app/.env)",
    ],
  );
  assert.deepEqual(copilotRuleArgs({ allow: [], deny: [] }, "/w"), []);
  assert.deepEqual(
    copilotRuleArgs({ allow: ["bash:git *"], deny: [] }, "/w"),
    ["--allow-tool=shell(git:*)"],
  );
});

Deno.test("copilot: a rule Copilot cannot express exactly is refused, naming it and why", () => {
  const refused: Array<[string, RegExp]> = [
    ["bash:rm -rf /", /end the pattern with " \*"/],
    ["bash:npm test*", /end the pattern with " \*"/],
    ["bash:/bin/rm *", /plain name/],
    ["bash:FOO=1 make *", /plain name/],
    ["bash:echo (x) *", /plain text/],
    ["bash:echo 'a b' *", /plain text/],
    ["bash:npm * test *", /plain text/],
    ["bash:git push *", /git -C DIR push/],
    ["edit:src/**", /one file/],
    ["edit:/etc/passwd", /one file/],
    ["edit:../other/x", /one file/],
    ["edit:~/x", /one file/],
    ["edit:notes/", /not a folder/],
    ["edit:.", /not a folder/],
    ["read:.env", /no rule kind for reading/],
    ["tool:WebFetch", /not its own tools/],
  ];
  for (const [rule, why] of refused) {
    for (const list of ["allow", "deny"] as const) {
      const rules = { allow: [], deny: [], [list]: [rule] };
      let error: unknown;
      try {
        copilotRuleArgs(rules, "/src/app");
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof InputError, `${rule} is refused`);
      assert.ok(error.message.includes(JSON.stringify(rule)), error.message);
      assert.match(error.message, /cannot be expressed for GitHub Copilot CLI/);
      assert.match(error.message, why, rule);
      assert.throws(() => copilotProfile.checkRules!(rules), InputError);
    }
  }
  copilotProfile.checkRules!({ allow: ["bash:touch *"], deny: ["bash:rm *"] });
});

Deno.test("copilot: a session's rules reach the argv, after the permission mode", async () => {
  const config = configFromEnv((name) => ({ HOME: "/home/me" })[name]);
  const plan = await copilotProfile.plan({
    config,
    sessionId: "s",
    cwd: "/w",
    model: null,
    useProxy: false,
    agentSessionId: "abc",
    permissionMode: "bypass",
    rules: { allow: ["bash:touch *"], deny: ["bash:rm *", "edit:secret.txt"] },
    agentArgs: ["--no-color"],
  });
  assert.deepEqual(plan.argv, [
    "copilot",
    "--resume=abc",
    "--allow-all",
    "--allow-tool=shell(touch:*)",
    "--deny-tool=shell(rm:*)",
    "--deny-tool=write(/w/secret.txt)",
    "--no-color",
  ]);
});

Deno.test("copilot: hooks run aimax's hook with the event's name", () => {
  const hooks = copilotHooks("'h' 'e'");
  assert.equal(hooks.version, 1);
  assert.deepEqual(hooks.hooks.userPromptSubmitted, [{
    type: "command",
    bash: "'h' 'e' userPromptSubmitted",
    timeoutSec: 10,
  }]);
});

Deno.test("copilot: the recorded transcript reads as turns, tools, an interrupt and prompts", async () => {
  const { entries } = await readJsonl(TRANSCRIPT);
  const records = entries.map((e) => e.value as Record<string, unknown>);
  const events: AgentEventBody[] = records.flatMap((r) =>
    copilotProfile.transcriptEvents(r)
  );
  const users = events.flatMap((e) =>
    e.type === "user_message" ? [e.text] : []
  );
  assert.deepEqual(users, [
    "first [[slow 6]]",
    "queued follow-up [[say qdone]]",
    "interrupt me [[slow 20]]",
    "after resume",
  ]);
  const ends = events.flatMap((e) =>
    e.type === "turn_completed" || e.type === "turn_aborted"
      ? [`${e.type}:${e.type === "turn_completed" ? e.text : ""}`]
      : []
  );
  assert.deepEqual(ends, [
    "turn_completed:........................ slow done",
    "turn_completed:qdone",
    "turn_aborted:",
    "turn_completed:ack: after resume",
  ]);
  assert.equal(
    copilotProfile.promptRecord(
      records.find((r) => r.type === "user.message"),
      " first [[slow 6]]\n",
    ),
    "started",
  );
  for (const r of records) assert.ok(copilotProfile.summarize(r) !== "");
});

Deno.test("copilot: a tool call and its result are read from its records", () => {
  const call = copilotProfile.transcriptEvents({
    type: "assistant.message",
    data: {
      content: "",
      toolRequests: [{
        toolCallId: "c1",
        name: "bash",
        arguments: { command: "touch m" },
      }],
    },
  });
  assert.deepEqual(call, [{
    type: "tool_call",
    name: "bash",
    input: { command: "touch m" },
    callId: "c1",
  }]);
  assert.deepEqual(
    copilotProfile.transcriptEvents({
      type: "tool.execution_complete",
      data: {
        toolCallId: "c1",
        success: false,
        result: { content: "boom\n<shellId: 0 completed with exit code 1>" },
      },
    }),
    [{ type: "tool_result", output: "boom", isError: true, callId: "c1" }],
  );
});

Deno.test("copilot: the transcript tells a running turn until its last answer or an abort", async () => {
  const { entries } = await readJsonl(TRANSCRIPT);
  const records = entries.map((e) => e.value);
  const working = copilotProfile.transcriptWorking!;
  const userAt = records.findIndex((r) =>
    (r as Record<string, unknown>).type === "user.message"
  );
  assert.equal(working(records.slice(0, userAt + 2), 0), true);
  assert.equal(working(records.slice(0, userAt + 2), Date.now()), false);
  const abortAt = records.findIndex((r) =>
    (r as Record<string, unknown>).type === "abort"
  );
  assert.equal(working(records.slice(0, abortAt + 1), 0), false);
  assert.equal(working(records, 0), false);
  assert.equal(working(records.slice(0, 2), 0), undefined);
});

Deno.test("copilot: hook calls translate into aimax's vocabulary; another session's are ignored", () => {
  const at = (event: string, payload: Record<string, unknown> = {}) => ({
    at: 1,
    event,
    payload: { sessionId: "s-1", ...payload },
  });
  const mine = { agentSessionId: "s-1" };
  assert.deepEqual(
    copilotSignal(at("userPromptSubmitted", { prompt: "hi" }), mine),
    { kind: "turn_started", prompt: "hi" },
  );
  assert.deepEqual(copilotSignal(at("agentStop"), mine), {
    kind: "turn_ended",
  });
  assert.deepEqual(copilotSignal(at("permissionRequest"), mine), {
    kind: "permission_asked",
  });
  assert.deepEqual(copilotSignal(at("sessionEnd"), mine), {
    kind: "session_ended",
  });
  // sessionStart comes with the first prompt: nothing more to tell.
  assert.equal(copilotSignal(at("sessionStart"), mine), undefined);
  assert.equal(
    copilotSignal(at("agentStop"), { agentSessionId: "other" }),
    undefined,
  );
  assert.deepEqual(copilotSignal(at("preToolUse")), { kind: "tool_asked" });
});

Deno.test("copilot: COPILOT_ALLOW_ALL makes the default mode bypass", () => {
  assert.equal(copilotDefaultPermission(undefined).mode, "ask");
  assert.equal(copilotDefaultPermission(" TRUE ").mode, "bypass");
  assert.equal(copilotDefaultPermission("0").mode, "ask");
});

Deno.test("copilot: aimax's MCP server as Copilot's mcp-config.json lists it", () => {
  const made = copilotProfile.mcpRegistration!({
    command: "aimax",
    args: ["mcp", "--server", "http://h:1"],
    tokenEnv: "AIMAX_SERVE_TOKEN",
  });
  assert.deepEqual(JSON.parse(made.text), {
    mcpServers: {
      aimax: {
        type: "local",
        command: "aimax",
        args: ["mcp", "--server", "http://h:1"],
        tools: ["*"],
        env: { AIMAX_SERVE_TOKEN: "${AIMAX_SERVE_TOKEN}" },
      },
    },
  });
  assert.match(made.note, /--additional-mcp-config/);
});
