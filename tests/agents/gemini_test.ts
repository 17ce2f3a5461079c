import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import {
  findGeminiTranscript,
  GEMINI_ALLOW_PRIORITY,
  GEMINI_DENY_PRIORITY,
  GEMINI_EVENTS_ENV,
  GEMINI_HOOK_ENV,
  GEMINI_INTERACTIVE_ENV,
  geminiAllowRegex,
  geminiDenyRegex,
  geminiHookCommand,
  geminiProfile,
  geminiRulesFile,
  geminiSignal,
  geminiTranscriptEvents,
  geminiTranscriptWorking,
  geminiTrustsSystemFile,
  stopGeminiTree,
} from "../../lib/agents/gemini.ts";
import { configFromEnv } from "../../lib/config.ts";
import type { AgentEventBody } from "../../lib/signals/events.ts";
import { ROOT } from "../support/world.ts";

const FIXTURE = join(
  ROOT,
  "tests",
  "fixtures",
  "transcripts",
  "gemini-0.61.0-resumed.jsonl",
);

async function records(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

function brief(events: AgentEventBody[]): string[] {
  return events.map((e) =>
    "text" in e && e.text !== undefined ? `${e.type}: ${e.text}` : e.type
  );
}

Deno.test("gemini: hook calls translate into aimax's vocabulary", () => {
  const at = (event: string, payload: Record<string, unknown> = {}) =>
    geminiSignal({ at: 0, event, payload });
  assert.deepEqual(at("SessionStart", { source: "startup" }), {
    kind: "session_started",
  });
  assert.deepEqual(at("BeforeAgent", { prompt: "hi" }), {
    kind: "turn_started",
    prompt: "hi",
  });
  assert.deepEqual(at("BeforeTool"), { kind: "tool_asked" });
  assert.deepEqual(at("AfterTool"), { kind: "tool_ran" });
  assert.deepEqual(
    at("Notification", { notification_type: "ToolPermission" }),
    {
      kind: "permission_asked",
    },
  );
  assert.equal(at("Notification", { notification_type: "Other" }), undefined);
  assert.deepEqual(
    at("AfterAgent", { prompt: "hi", prompt_response: "ack: hi" }),
    { kind: "turn_ended", answer: "ack: hi", prompts: ["hi"] },
  );
  assert.deepEqual(at("SessionEnd"), { kind: "session_ended" });
  assert.equal(at("BeforeModel"), undefined);
});

Deno.test("gemini: the hook command is a no-op outside aimax's windows and prints {}", async () => {
  const run = async (env: Record<string, string>) => {
    const out = await new Deno.Command("sh", {
      args: ["-c", geminiHookCommand("AfterAgent")],
      env,
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = out.stdin.getWriter();
    await writer.write(new TextEncoder().encode('{"prompt":"x"}'));
    await writer.close();
    return new TextDecoder().decode((await out.output()).stdout);
  };
  assert.equal(await run({}), "{}");
  const dir = await Deno.makeTempDir();
  try {
    const hook = join(dir, "hook.sh");
    await Deno.writeTextFile(
      hook,
      '#!/bin/sh\nprintf "%s %s " "$1" "$2" >> "$1.log"; cat >> "$1.log"\n',
      { mode: 0o700 },
    );
    const events = join(dir, "events.jsonl");
    assert.equal(
      await run({ [GEMINI_HOOK_ENV]: hook, [GEMINI_EVENTS_ENV]: events }),
      "{}",
    );
    assert.equal(
      await Deno.readTextFile(`${events}.log`),
      `${events} AfterAgent {"prompt":"x"}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gemini: a recorded transcript (cancel, queued prompt, resume) reads as each turn once", async () => {
  const events = (await records(FIXTURE)).flatMap(geminiTranscriptEvents);
  assert.deepEqual(brief(events), [
    "turn_started",
    "user_message: hello",
    "assistant_message: ack: hello",
    "turn_completed: ack: hello",
    "turn_started",
    "user_message: first slow turn [[slow 20]]",
    "turn_aborted",
    "turn_started",
    "user_message: queued follow-up prompt [[slow 4]]",
    `assistant_message: ${
      Array.from({ length: 8 }, (_, i) => `tick ${i + 1}. `).join("")
    }slow done`,
    `turn_completed: ${
      Array.from({ length: 8 }, (_, i) => `tick ${i + 1}. `).join("")
    }slow done`,
    "turn_started",
    "user_message: after resume",
    "assistant_message: ack: after resume",
    "turn_completed: ack: after resume",
  ]);
});

Deno.test("gemini: a model message re-appended with its tool calls gives its text once and its tools once", () => {
  const first = {
    id: "m1",
    timestamp: "2026-12-03T17:00:00.000Z",
    type: "gemini",
    content: "",
    model: "gemini-2.5-pro",
  };
  const again = {
    ...first,
    toolCalls: [{
      id: "run_shell_command__call_1",
      name: "run_shell_command",
      args: { command: "touch x" },
      result: [{
        functionResponse: {
          response: {
            output:
              "<untrusted_context>\nOutput: (empty)\n</untrusted_context>",
          },
        },
      }],
      status: "success",
    }],
  };
  const response = {
    id: "u2",
    timestamp: "2026-12-03T17:00:01.000Z",
    type: "user",
    content: [{ functionResponse: { name: "run_shell_command" } }],
  };
  const done = { id: "m2", type: "gemini", content: "tool done" };
  assert.deepEqual(geminiTranscriptEvents(first), []);
  assert.deepEqual(brief(geminiTranscriptEvents(again)), [
    "tool_call",
    "tool_result",
  ]);
  assert.equal(
    (geminiTranscriptEvents(again)[1] as { output: string }).output,
    "Output: (empty)",
  );
  assert.deepEqual(geminiTranscriptEvents(response), []);
  assert.deepEqual(brief(geminiTranscriptEvents(done)), [
    "assistant_message: tool done",
    "turn_completed: tool done",
  ]);
  assert.deepEqual(
    geminiTranscriptEvents({ $set: { messages: [first, done] } }),
    [],
  );
  const since = 0;
  assert.equal(geminiTranscriptWorking([first], since), true);
  assert.equal(geminiTranscriptWorking([first, again, response], since), true);
  assert.equal(
    geminiTranscriptWorking([first, again, response, done], since),
    false,
  );
});

Deno.test("gemini: transcriptWorking: a prompt with no answer runs; a cancel or an answer ends it", async () => {
  const all = await records(FIXTURE);
  assert.equal(geminiTranscriptWorking(all, 0), false);
  const prompt = all.findIndex((r) =>
    JSON.stringify(r.content ?? "").includes("first slow turn")
  );
  assert.equal(geminiTranscriptWorking(all.slice(0, prompt + 1), 0), true);
  assert.equal(
    geminiTranscriptWorking(all.slice(0, prompt + 1), Date.now()),
    false,
    "a prompt from before the window's start is no running turn",
  );
  assert.equal(geminiTranscriptWorking(all.slice(0, prompt + 3), 0), false);
  assert.equal(geminiTranscriptWorking(all.slice(0, 2), 0), undefined);
});

Deno.test("gemini: plan fixes the session id in advance, or resumes, and points the hooks at the session", async () => {
  const home = await Deno.makeTempDir();
  try {
    const config = {
      ...configFromEnv((name) => ({ HOME: home })[name]),
      dataDir: join(home, "data"),
    };
    const signals = {
      hook: "/data/bin/aimax-hook",
      events: "/data/events/x.jsonl",
      runFile: (name: string) => join(home, "data", "events", name),
    };
    const plan = await geminiProfile.plan({
      config,
      sessionId: "s",
      cwd: home,
      model: "gemini-2.5-pro",
      useProxy: false,
      agentSessionId: null,
      signals,
    });
    // CI=true makes Gemini CLI headless even on a terminal: unset for it.
    assert.deepEqual(
      plan.argv.slice(0, GEMINI_INTERACTIVE_ENV.length + 1),
      ["env", "-u", "CI", "-u", "GITHUB_ACTIONS", "gemini"],
    );
    const own = plan.argv.slice(GEMINI_INTERACTIVE_ENV.length);
    assert.deepEqual(own.slice(1, 3), [
      "--session-id",
      plan.agentSessionId,
    ]);
    assert.ok(plan.argv.includes("--skip-trust"));
    assert.deepEqual(plan.argv.slice(-2), ["--model", "gemini-2.5-pro"]);
    assert.equal(plan.env[GEMINI_HOOK_ENV], signals.hook);
    assert.equal(plan.env[GEMINI_EVENTS_ENV], signals.events);
    assert.equal(plan.jsonlPath, null);
    const resumed = await geminiProfile.plan({
      config,
      sessionId: "s",
      cwd: home,
      model: null,
      useProxy: false,
      agentSessionId: plan.agentSessionId,
    });
    assert.deepEqual(
      resumed.argv.slice(
        GEMINI_INTERACTIVE_ENV.length + 1,
        GEMINI_INTERACTIVE_ENV.length + 3,
      ),
      [
        "--resume",
        plan.agentSessionId,
      ],
    );
    assert.throws(
      () => geminiProfile.permissionArgs("auto"),
      /no permission mode/,
    );
    assert.deepEqual(geminiProfile.permissionArgs("bypass"), [
      "--approval-mode",
      "yolo",
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("gemini: a session's transcript is its newest chat file that names it and holds a prompt", async () => {
  const home = await Deno.makeTempDir();
  try {
    const id = "11111111-2222-4333-8444-555555555555";
    const chats = join(home, ".gemini", "tmp", "work", "chats");
    await Deno.mkdir(chats, { recursive: true });
    const meta = (start: string) =>
      JSON.stringify({ sessionId: id, startTime: start, kind: "main" }) + "\n";
    await Deno.writeTextFile(
      join(chats, "session-2026-12-03T17-11-11111111.jsonl"),
      meta("2026-12-03T17:11:40.000Z"),
    );
    await Deno.writeTextFile(
      join(chats, "session-2026-12-03T17-10-11111111.jsonl"),
      meta("2026-12-03T17:10:40.000Z") +
        '{"id":"u","type":"user","content":[{"text":"hello"}]}\n',
    );
    await Deno.writeTextFile(
      join(chats, "session-2026-12-03T17-09-11111111.jsonl"),
      JSON.stringify({ sessionId: "11111111-other", startTime: "0" }) + "\n",
    );
    const config = configFromEnv((name) => ({ HOME: home })[name]);
    const stub = join(chats, "session-2026-12-03T17-11-11111111.jsonl");
    const first = join(chats, "session-2026-12-03T17-10-11111111.jsonl");
    assert.equal(
      await findGeminiTranscript(config, id),
      first,
      "a newer file with no prompt is a resume's stub",
    );
    await Deno.writeTextFile(
      stub,
      '{"id":"v","type":"user","content":[{"text":"early"}]}\n',
      { append: true },
    );
    assert.equal(await findGeminiTranscript(config, id), stub);
    await Deno.remove(stub);
    const record = { agentSessionId: id } as never;
    const found = await geminiProfile.discover!({
      config,
      record,
      prompt: "hello",
      sentAt: 0,
      taken: new Set(),
    });
    assert.deepEqual(found, { agentSessionId: id, jsonlPath: first });
    assert.equal(
      await geminiProfile.discover!({
        config,
        record,
        prompt: "not sent",
        sentAt: 0,
        taken: new Set(),
      }),
      undefined,
      "a prompt not in the file has not landed",
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("gemini: stopping ends a process tree that ignores SIGHUP, child first", async () => {
  const child = new Deno.Command("sh", {
    args: ["-c", 'trap "" HUP; sleep 60 & wait; sleep 60'],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await new Promise((r) => setTimeout(r, 200));
  const tree = (await Deno.readTextFile(
    `/proc/${child.pid}/task/${child.pid}/children`,
  )).trim().split(/\s+/).map(Number);
  assert.equal(tree.length, 1);
  await stopGeminiTree(child.pid, { graceMs: 2_000 });
  const status = await child.status;
  assert.equal(status.success, false);
  for (const pid of [child.pid, ...tree]) {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => "");
    assert.ok(
      stat === "" || stat[stat.lastIndexOf(")") + 2] === "Z",
      `${pid} runs`,
    );
  }
});

Deno.test("gemini: the README's hooks block is the profile's", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  assert.ok(
    readme.includes(JSON.stringify(geminiHookCommand("SessionStart"))),
    "README shows another hook command",
  );
});

Deno.test("gemini: a per-run settings layer is used only where Gemini CLI reads it (root-owned up to /, not group- or world-writable)", async () => {
  // Each case's answer follows from directories whose owner and mode the
  // test sets or reads, whatever HOME and the temp dir are on this machine.
  const tmp = await Deno.makeTempDir();
  try {
    // Below /tmp (mode 1777): refused.
    assert.equal((await Deno.stat("/tmp")).mode! & 0o002, 0o002);
    assert.equal(await geminiTrustsSystemFile(join(tmp, "x.json")), false);
    // A folder that is group-writable (as root) or not root's: refused at
    // that folder, before any of its parents is looked at.
    const mine = join(tmp, "mine");
    await Deno.mkdir(mine);
    await Deno.chmod(mine, 0o775);
    assert.equal(await geminiTrustsSystemFile(join(mine, "x.json")), false);
    // A folder missing: refused.
    assert.equal(
      await geminiTrustsSystemFile(join(tmp, "absent", "x.json")),
      false,
    );
    // /etc below /: accepted exactly when both are root's and closed.
    const closed = async (dir: string) => {
      const info = await Deno.stat(dir);
      return info.uid === 0 && ((info.mode ?? 0) & 0o022) === 0;
    };
    assert.equal(
      await geminiTrustsSystemFile("/etc/x.json"),
      await closed("/etc") && await closed("/"),
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/**
 * Whether a policy rule's `commandRegex` matches `command` as Gemini CLI
 * 0.61.0 tests it: `"command":"` + the regex, unanchored, against the
 * call's arguments as JSON (its stableStringify: sorted keys, JSON.stringify
 * strings).
 */
function geminiMatches(regex: string, command: string): boolean {
  return new RegExp(`"command":"${regex}`).test(
    JSON.stringify({ command, description: "d", dir_path: "." }),
  );
}

/** Gemini CLI 0.61.0's ReDoS guard on a policy's argsPattern (isSafeRegExp). */
const NESTED_QUANTIFIER = /\([^)]*[*+?{].*\)[*+?{]/;

Deno.test("gemini rules: a denied command is matched whatever blanks or quotes its leading words are written with, and not a longer word", () => {
  const rm = geminiDenyRegex(["rm"]);
  for (
    const command of [
      "rm x",
      "rm",
      "rm -rf /tmp/x",
      "rm\tx",
      '"rm" x',
      "'rm' x",
      "\\rm x",
      "rm \\\n x",
    ]
  ) assert.ok(geminiMatches(rm, command), command);
  for (const command of ["rmdir x", "trm x", "echo rm", "/bin/rmx"]) {
    assert.ok(!geminiMatches(rm, command), command);
  }
  const push = geminiDenyRegex(["git", "push"]);
  for (
    const command of [
      "git push",
      "git  push origin",
      "git\tpush",
      "git 'push' -f",
      "git \\\n  push",
    ]
  ) assert.ok(geminiMatches(push, command), command);
  for (const command of ["git pull", "git pushy", "git status; push"]) {
    assert.ok(!geminiMatches(push, command), command);
  }
  assert.ok(
    !NESTED_QUANTIFIER.test(`"command":"${push}`),
    "Gemini CLI loads it",
  );
});

Deno.test("gemini rules: an allowed command is matched only as written with single spaces, on a word boundary", () => {
  const touch = geminiAllowRegex(["touch"]);
  for (const command of ["touch a", "touch", "touch\ta"]) {
    assert.ok(geminiMatches(touch, command), command);
  }
  // touch"y" runs touchy: Gemini CLI's commandPrefix would allow it.
  for (const command of ["touchy a", 'touch"y" a', "touch>a", " echo touch"]) {
    assert.ok(!geminiMatches(touch, command), command);
  }
  const test = geminiAllowRegex(["npm", "test"]);
  assert.ok(geminiMatches(test, "npm test --watch"));
  assert.ok(!geminiMatches(test, "npm  test"), "other blanks still ask");
  assert.ok(!geminiMatches(test, "npm testing"));
  assert.ok(!NESTED_QUANTIFIER.test(`"command":"${test}`));
});

Deno.test("gemini rules: the policy file holds a deny at the top of the user tier in every mode and an allow at its bottom outside plan mode; tool: names a tool", () => {
  const text = geminiRulesFile({
    allow: ["bash:touch *", "tool:web_fetch"],
    deny: ["bash:rm *", "tool:write_file"],
  });
  const rules = JSON.parse(JSON.stringify(parseToml(text))).rule;
  assert.equal(rules.length, 4);
  assert.deepEqual(rules[0], {
    toolName: "run_shell_command",
    commandRegex: geminiDenyRegex(["rm"]),
    decision: "deny",
    priority: GEMINI_DENY_PRIORITY,
    denyMessage: "aimax --deny bash:rm *",
  });
  assert.deepEqual(rules[1], {
    toolName: "write_file",
    decision: "deny",
    priority: 999,
    denyMessage: "aimax --deny tool:write_file",
  });
  assert.deepEqual(rules[2], {
    toolName: "run_shell_command",
    commandRegex: geminiAllowRegex(["touch"]),
    decision: "allow",
    priority: GEMINI_ALLOW_PRIORITY,
    modes: ["default", "autoEdit", "yolo"],
  });
  assert.deepEqual(rules[3], {
    toolName: "web_fetch",
    decision: "allow",
    priority: 0,
    modes: ["default", "autoEdit", "yolo"],
  });
  assert.match(text, /^# aimax --allow bash:touch \*$/m);
  assert.doesNotThrow(() =>
    geminiProfile.checkRules?.({ allow: ["bash:npm run build *"], deny: [] })
  );
});

Deno.test("gemini rules: what Gemini CLI cannot match exactly is refused, naming the rule", () => {
  for (
    const [rule, why] of [
      ["edit:src/**", /path glob cannot be matched exactly/],
      ["read:.env", /path glob cannot be matched exactly/],
      ["bash:rm", /end the pattern with " \*"/],
      ["bash:rm*", /end the pattern with " \*"/],
      ["bash:*", /at least the command's first word/],
      ["bash:npm t* *", /each word must be plain/],
      ["bash:git 'push' *", /each word must be plain/],
      ["bash:a;b *", /each word must be plain/],
    ] as const
  ) {
    assert.throws(
      () => geminiProfile.checkRules?.({ allow: [], deny: [rule] }),
      (e: Error) =>
        e.message.includes(JSON.stringify(rule)) &&
        /cannot be expressed for Gemini CLI/.test(e.message) &&
        why.test(e.message),
      rule,
    );
  }
});

Deno.test("gemini rules: the plan writes the policy file (0600) in the run's files and loads it with --policy before the user's own policies (from every settings layer); without rules the argv is unchanged", async () => {
  const home = await Deno.makeTempDir();
  try {
    const config = {
      ...configFromEnv((name) => ({ HOME: home })[name]),
      dataDir: join(home, "data"),
    };
    const request = {
      config,
      sessionId: "s",
      cwd: home,
      model: null,
      useProxy: false,
      agentSessionId: "0a1b2c3d-0000-4000-8000-000000000000",
      signals: {
        hook: "/data/bin/aimax-hook",
        events: "/data/events/x.jsonl",
        runFile: (name: string) => join(home, "data", "events", `run.${name}`),
      },
    };
    const plain = await geminiProfile.plan(request);
    assert.ok(!plain.argv.includes("--policy"));
    const rules = { allow: ["bash:touch *"], deny: ["bash:rm *"] };
    const ruled = await geminiProfile.plan({ ...request, rules });
    const file = join(home, "data", "events", "run.gemini-rules.toml");
    const at = ruled.argv.indexOf("--policy");
    assert.deepEqual(ruled.argv.slice(at, at + 4), [
      "--policy",
      file,
      "--policy",
      join(home, ".gemini", "policies"),
    ]);
    assert.deepEqual(
      ruled.argv.filter((_, i) => i < at || i >= at + 4),
      plain.argv,
    );
    assert.equal(await Deno.readTextFile(file), geminiRulesFile(rules));
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    // The user's policyPaths replace ~/.gemini/policies: given again.
    await Deno.mkdir(join(home, ".gemini"), { recursive: true });
    await Deno.writeTextFile(
      join(home, ".gemini", "settings.json"),
      '{ "policyPaths": ["~/team-policies", "/etc/x.toml"] }',
    );
    const own = await geminiProfile.plan({ ...request, rules });
    const from = own.argv.indexOf("--policy");
    assert.deepEqual(own.argv.slice(from, from + 6), [
      "--policy",
      file,
      "--policy",
      "~/team-policies",
      "--policy",
      "/etc/x.toml",
    ]);
    // A project's settings add theirs (a union, variables filled in).
    const project = join(home, "project");
    await Deno.mkdir(join(project, ".gemini"), { recursive: true });
    await Deno.writeTextFile(
      join(project, ".gemini", "settings.json"),
      '{ "policyPaths": ["/etc/x.toml", "${AIMAX_TEST_UNSET_VAR:-/p}/team"] }',
    );
    const inProject = await geminiProfile.plan({
      ...request,
      cwd: project,
      rules,
    });
    assert.deepEqual(
      inProject.argv.filter((_, i) => inProject.argv[i - 1] === "--policy"),
      [file, "~/team-policies", "/etc/x.toml", "/p/team"],
    );
    assert.deepEqual(
      [...Deno.readDirSync(join(home, ".gemini"))].map((e) => e.name),
      ["settings.json"],
      "nothing written to the user's ~/.gemini",
    );
    await assert.rejects(
      () => geminiProfile.plan({ ...request, rules, signals: undefined }),
      /rules need files of this run/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
