import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  codexProfile,
  codexProviderEnvKeys,
  codexRulesFile,
  codexSettings,
  codexSignal,
  codexTrustOverride,
  codexUserNotify,
  discoverCodexThread,
  execOutput,
  findCodexRollout,
} from "../../lib/agents/codex.ts";
import { configFromEnv } from "../../lib/config.ts";
import type { SessionRecord } from "../../lib/state.ts";

Deno.test("codex: the trust override is a TOML inline table with the path quoted", () => {
  assert.equal(
    codexTrustOverride('/w/a "b"\\c'),
    'projects={"/w/a \\"b\\"\\\\c"={trust_level="trusted"}}',
  );
});

Deno.test("codex: provider env keys are read from config.toml", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "config.toml");
    await Deno.writeTextFile(
      path,
      '[model_providers.a]\nenv_key = "A_KEY"\n[model_providers.b]\nenv_key = "bad name"\n',
    );
    assert.deepEqual(await codexProviderEnvKeys(path), ["A_KEY"]);
    assert.deepEqual(await codexProviderEnvKeys(join(dir, "missing.toml")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const READY = `  >_ OpenAI Codex (v0.169.0)
     /tmp/p
› Ask Codex to do anything
  GPT-5.5 default · /tmp/p
  ← for agents · ? for shortcuts
`;

Deno.test("codex: synthetic screens, composer and queued prompts", () => {
  assert.deepEqual(codexProfile.readScreen(READY), {
    kind: "input",
    working: false,
    composer: "",
  });
  const trust = codexProfile.readScreen(
    "  Trust this folder? Codex can read…\n› 1. Trust and continue",
  );
  assert.equal(trust.kind === "dialog" && trust.purpose, "trust");
  const migration = codexProfile.readScreen(
    "Meet GPT-6\n› 1. Try new model\n  2. Use existing model",
  );
  assert.ok(migration.kind === "dialog" && migration.hint);
  assert.deepEqual(
    codexProfile.readScreen(READY.replace("Ask Codex to do anything", "hello")),
    { kind: "input", working: false, composer: "hello" },
  );
  const queued =
    "• Queued follow-up inputs\n  ↳ second prompt\n    shift+← edit last queued message\n" +
    READY;
  assert.equal(codexProfile.queuedOnScreen!(queued, "second prompt"), true);
  assert.equal(codexProfile.queuedOnScreen!(READY, "second prompt"), false);
});

Deno.test("codex: a side panel (0.171.0's /side) is cut off at its column; a boxed output in the main thread is not a panel", () => {
  const panel = (l: string) => `${l.padEnd(40)}│${" ".repeat(10)}`;
  const main = Array.from({ length: 12 }, (_, i) => `line ${i}`).concat(
    READY.trimEnd().split("\n"),
  );
  const side = main.map(panel);
  side[side.length - 3] = `${
    "› typed in main".padEnd(40)
  }│› Ask a follow-up question`;
  assert.deepEqual(codexProfile.readScreen(side.join("\n")), {
    kind: "input",
    working: false,
    composer: "typed in main",
  });
  // An exec output boxed with "│" at its left on most lines keeps its text
  // and the composer under it.
  const boxed = Array.from({ length: 14 }, (_, i) => `  │ out ${i}`).concat(
    READY.replace("Ask Codex to do anything", "hello").trimEnd().split("\n"),
  );
  assert.deepEqual(codexProfile.readScreen(boxed.join("\n")), {
    kind: "input",
    working: false,
    composer: "hello",
  });
});

Deno.test("codex: a turn is open from task_started to task_complete or turn_aborted", () => {
  const since = Date.parse("2026-01-01T00:00:00Z");
  const started = {
    type: "event_msg",
    timestamp: "2026-01-01T00:00:05Z",
    payload: { type: "task_started" },
  };
  const done = { type: "event_msg", payload: { type: "task_complete" } };
  const aborted = { type: "event_msg", payload: { type: "turn_aborted" } };
  const working = codexProfile.transcriptWorking!;
  assert.equal(working([started], since), true);
  assert.equal(working([started, done], since), false);
  assert.equal(working([started, aborted], since), false);
  assert.equal(
    working([{ ...started, timestamp: "2025-12-31T23:00:00Z" }], since),
    false,
    "a turn from before this window",
  );
  assert.equal(
    working([{ type: "response_item", payload: {} }], since),
    undefined,
    "no turn record here: look further back",
  );
});

Deno.test("codex: prompt records are UserMessage items", () => {
  const record = {
    type: "event_msg",
    payload: {
      type: "item_completed",
      item: { type: "UserMessage", content: [{ type: "text", text: "do it" }] },
    },
  };
  assert.equal(codexProfile.promptRecord(record, "do it"), "started");
  assert.equal(codexProfile.promptRecord(record, "other"), undefined);
});

Deno.test("codex: thread discovery from state_5.sqlite skips taken threads and other cwds", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = {
      ...configFromEnv((n) => ({ HOME: dir, CODEX_HOME: dir })[n]),
    };
    const db = new DatabaseSync(codexSettings(config).codexStateDb);
    db.exec(
      "CREATE TABLE threads (id TEXT, rollout_path TEXT, cwd TEXT, created_at_ms INTEGER, first_user_message TEXT)",
    );
    const now = Date.now();
    const insert = db.prepare("INSERT INTO threads VALUES (?, ?, ?, ?, ?)");
    insert.run("t-old", "/r/old", "/w", now - 60_000, "hello");
    insert.run("t-other", "/r/other", "/elsewhere", now, "hello");
    insert.run("t-a", "/r/a", "/w", now, "hello");
    insert.run("t-b", "/r/b", "/w", now + 1, "hello");
    db.close();
    const record = {
      cwd: "/w",
      startedAt: new Date(now).toISOString(),
    } as SessionRecord;
    const first = await discoverCodexThread({
      config,
      record,
      prompt: "hello",
      sentAt: now,
      taken: new Set(),
    });
    assert.deepEqual(first, { agentSessionId: "t-a", jsonlPath: "/r/a" });
    const second = await discoverCodexThread({
      config,
      record,
      prompt: "hello",
      sentAt: now,
      taken: new Set(["t-a"]),
    });
    assert.deepEqual(second, { agentSessionId: "t-b", jsonlPath: "/r/b" });
    const none = await discoverCodexThread({
      config,
      record,
      prompt: "other",
      sentAt: now,
      taken: new Set(),
    });
    assert.equal(none, undefined);
    assert.equal(await findCodexRollout(config, "t-b"), "/r/b");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("codex: without the database, discovery reads the sessions folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = {
      ...configFromEnv((n) => ({ HOME: dir, CODEX_HOME: dir })[n]),
    };
    const day = join(
      codexSettings(config).codexSessionsDir,
      "2026",
      "11",
      "25",
    );
    await Deno.mkdir(day, { recursive: true });
    const path = join(day, "rollout-2026-11-25T08-00-00-abc.jsonl");
    const lines = [
      { type: "session_meta", payload: { id: "abc", cwd: "/w" } },
      {
        type: "event_msg",
        payload: {
          type: "item_completed",
          item: {
            type: "UserMessage",
            content: [{ type: "text", text: "hello" }],
          },
        },
      },
    ];
    await Deno.writeTextFile(
      path,
      lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    );
    const record = {
      cwd: "/w",
      startedAt: new Date().toISOString(),
    } as SessionRecord;
    assert.deepEqual(
      await discoverCodexThread({
        config,
        record,
        prompt: "hello",
        sentAt: Date.now(),
        taken: new Set(),
      }),
      { agentSessionId: "abc", jsonlPath: path },
    );
    assert.equal(await findCodexRollout(config, "abc"), path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("codex: launch plan trusts the cwd per run and turns the daemon off", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = { ...configFromEnv((n) => ({ HOME: dir })[n]) };
    const plan = await codexProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: null,
      useProxy: false,
      agentSessionId: null,
    });
    assert.deepEqual(plan.argv, [
      "codex",
      "-c",
      'projects={"/w"={trust_level="trusted"}}',
      "-c",
      "features.daemon_auto_start=false",
      "--model=gpt-5.5",
    ]);
    assert.equal(
      plan.env.CODEX_HOME,
      undefined,
      "default home: codex finds it itself",
    );
    await Deno.mkdir(join(dir, ".codex", "secrets"), { recursive: true });
    await Deno.writeTextFile(
      codexSettings(config).rightcodeEnvFile,
      "SECRET=1\n",
    );
    const withEnv = await codexProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: "m",
      useProxy: false,
      agentSessionId: "tid",
    });
    assert.equal(withEnv.argv[0], "sh");
    assert.ok(
      !withEnv.argv.join(" ").includes("SECRET=1"),
      "the env file's content is never on the command line",
    );
    assert.deepEqual(withEnv.argv.slice(4), [
      codexSettings(config).rightcodeEnvFile,
      "codex",
      "resume",
      "-c",
      'projects={"/w"={trust_level="trusted"}}',
      "-c",
      "features.daemon_auto_start=false",
      "--model=m",
      "tid",
    ]);
    assert.equal(withEnv.argv.at(-1), "tid");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("codex: turn ends through a per-run notify that still calls the user's own", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = {
      ...configFromEnv((n) => ({ HOME: dir, CODEX_HOME: dir })[n]),
    };
    await Deno.writeTextFile(
      codexSettings(config).codexConfig,
      'notify = ["my-notifier", "--flag"]\n',
    );
    assert.deepEqual(await codexUserNotify(codexSettings(config).codexConfig), [
      "my-notifier",
      "--flag",
    ]);
    const plan = await codexProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: null,
      useProxy: false,
      agentSessionId: null,
      signals: {
        hook: "/d/bin/aimax-hook",
        events: "/d/events/x.jsonl",
        runFile: (name) => join(dir, name),
      },
    });
    const at = plan.argv.findIndex((a) => a.startsWith("notify="));
    assert.equal(plan.argv[at - 1], "-c");
    assert.deepEqual(JSON.parse(plan.argv[at].slice("notify=".length)), [
      "/d/bin/aimax-hook",
      "/d/events/x.jsonl",
      "notify",
      "my-notifier",
      "--flag",
    ]);
    assert.ok(
      !plan.argv.some((a) => a.includes("hook-trust")),
      "Codex hooks are not forced past their trust check",
    );
    assert.equal(
      await codexUserNotify(join(dir, "missing.toml")).then((a) => a.length),
      0,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("codex: a command's recorded output loses Codex's header; a non-zero exit is an error", () => {
  assert.deepEqual(
    execOutput(
      "Chunk ID: a8d86d\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\nhi\n",
    ),
    { output: "hi\n", exitCode: 0 },
  );
  assert.deepEqual(execOutput("plain text"), { output: "plain text" });
  const events = codexProfile.transcriptEvents({
    type: "response_item",
    payload: {
      type: "function_call_output",
      call_id: "c1",
      output: "Chunk ID: x\nProcess exited with code 2\nOutput:\nboom",
    },
  });
  assert.deepEqual(events, [{
    type: "tool_result",
    output: "boom",
    isError: true,
    callId: "c1",
  }]);
});

Deno.test("codex: a notify call for the session's thread is a turn end", () => {
  const notify = (payload: Record<string, unknown>) => ({
    at: 0,
    event: "notify",
    payload,
  });
  const end = notify({
    type: "agent-turn-complete",
    "thread-id": "t1",
    "turn-id": "u1",
    "input-messages": ["a", 3, "b"],
    "last-assistant-message": "ack: b",
  });
  assert.deepEqual(codexProfile.signal(end, { agentSessionId: "t1" }), {
    kind: "turn_ended",
    answer: "ack: b",
    turnId: "u1",
    prompts: ["a", "b"],
  });
  assert.equal(
    codexSignal(end, { agentSessionId: "t2" }),
    undefined,
    "another thread (Codex's title generation)",
  );
  assert.equal(
    codexSignal(end, { agentSessionId: null }),
    undefined,
    "thread not known yet",
  );
  assert.equal(
    codexSignal(notify({ type: "other", "thread-id": "t1" }), {
      agentSessionId: "t1",
    }),
    undefined,
  );
  assert.equal(
    codexSignal({ at: 0, event: "Stop", payload: {} }, {
      agentSessionId: "t1",
    }),
    undefined,
  );
});

Deno.test("codex rules: bash rules WORDS * become execpolicy prefix rules, allow or forbidden; what prefix_rule cannot match is refused naming the rule", () => {
  assert.equal(
    codexRulesFile({
      allow: ["bash:npm test *", "bash:touch *"],
      deny: ["bash:rm *", "bash:git push *"],
    }),
    [
      "# Written by aimax for one session (create --allow/--deny).",
      'prefix_rule(pattern = ["npm","test"], decision = "allow", justification = "aimax --allow bash:npm test *")',
      'prefix_rule(pattern = ["touch"], decision = "allow", justification = "aimax --allow bash:touch *")',
      'prefix_rule(pattern = ["rm"], decision = "forbidden", justification = "aimax --deny bash:rm *")',
      'prefix_rule(pattern = ["git","push"], decision = "forbidden", justification = "aimax --deny bash:git push *")',
      "",
    ].join("\n"),
  );
  for (
    const [rule, why] of [
      ["edit:src/**", /shell commands only/],
      ["read:.env", /shell commands only/],
      ["tool:WebFetch", /shell commands only/],
      ["bash:npm test*", /end the pattern with " \*"/],
      ["bash:npm test", /end the pattern with " \*"/],
      ["bash:*", /first word/],
      ["bash:git * main *", /whole words/],
      ['bash:echo "a b" *', /whole words/],
    ] as const
  ) {
    assert.throws(
      () => codexProfile.checkRules!({ allow: [rule], deny: [] }),
      (e: Error) =>
        e.message.includes(`rule ${JSON.stringify(rule)}`) &&
        e.message.includes("Codex") && why.test(e.message),
      rule,
    );
  }
});

Deno.test("codex rules: the plan writes the rules file and starts Codex through the script that gives the run a home of its own; without rules the argv is unchanged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = {
      ...configFromEnv((n) => ({ HOME: dir, CODEX_HOME: dir })[n]),
    };
    const request = {
      config,
      sessionId: "s",
      cwd: "/w",
      model: null,
      useProxy: false,
      agentSessionId: null,
      signals: {
        hook: "/d/bin/aimax-hook",
        events: "/d/events/x.jsonl",
        runFile: (name: string) => join(dir, `run.${name}`),
      },
    };
    const plain = await codexProfile.plan(request);
    assert.equal(plain.argv[0], codexSettings(config).codexBin);
    const ruled = await codexProfile.plan({
      ...request,
      rules: { allow: [], deny: ["bash:rm *"] },
    });
    assert.deepEqual(ruled.argv.slice(0, 2), ["sh", "-c"]);
    assert.deepEqual(ruled.argv.slice(3, 7), [
      "aimax-rules",
      codexSettings(config).codexHome,
      join(dir, "run.codex-home"),
      join(dir, "run.codex.rules"),
    ]);
    // The databases stay in the user's home.
    const at = ruled.argv.indexOf(
      `sqlite_home=${JSON.stringify(codexSettings(config).codexHome)}`,
    );
    assert.equal(ruled.argv[at - 1], "-c");
    assert.deepEqual(
      ruled.argv.slice(7).filter((_, i) => i !== at - 8 && i !== at - 7),
      plain.argv,
    );
    await Deno.writeTextFile(
      codexSettings(config).codexConfig,
      'sqlite_home = "/db"\n',
    );
    const own = await codexProfile.plan({
      ...request,
      rules: { allow: [], deny: ["bash:rm *"] },
    });
    assert.ok(!own.argv.some((a) => a.startsWith("sqlite_home=")));
    assert.match(
      await Deno.readTextFile(join(dir, "run.codex.rules")),
      /prefix_rule\(pattern = \["rm"\], decision = "forbidden"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("codex rules: the script builds the run's home from the user's (links, its own rules folder) without changing the user's home", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const real = join(dir, "codex");
    await Deno.mkdir(join(real, "rules"), { recursive: true });
    await Deno.writeTextFile(join(real, "config.toml"), 'model = "m"\n');
    await Deno.writeTextFile(join(real, "auth.json"), "{}");
    await Deno.writeTextFile(join(real, "rules", "default.rules"), "# mine\n");
    const rules = join(dir, "s.codex.rules");
    await Deno.writeTextFile(rules, "# aimax\n");
    const home = join(dir, "s.codex-home");
    const config = {
      ...configFromEnv((n) => ({ HOME: dir, CODEX_HOME: real })[n]),
      codexBin: "sh",
    };
    const plan = await codexProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: null,
      useProxy: false,
      agentSessionId: null,
      rules: { allow: ["bash:touch *"], deny: [] },
      signals: {
        hook: "/d/bin/aimax-hook",
        events: "/d/events/x.jsonl",
        runFile: (name: string) => join(dir, `s.${name}`),
      },
    });
    // Run the script with a program that reports what Codex would see.
    const at = plan.argv.indexOf("aimax-rules");
    const out = await new Deno.Command("sh", {
      args: [
        ...plan.argv.slice(1, at + 4),
        "sh",
        "-c",
        'echo "$CODEX_HOME"; ls "$CODEX_HOME/rules"; cat "$CODEX_HOME/config.toml"',
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.deepEqual(text.trim().split("\n"), [
      home,
      "default.rules",
      "zz-aimax-session.rules",
      'model = "m"',
    ]);
    // Regular files in rules/ (Codex skips links there); the rest linked.
    assert.ok(Deno.lstatSync(join(home, "rules", "default.rules")).isFile);
    assert.ok(Deno.lstatSync(join(home, "auth.json")).isSymlink);
    assert.ok(Deno.lstatSync(join(home, "sessions")).isSymlink);
    assert.ok(Deno.statSync(join(real, "sessions")).isDirectory);
    assert.match(
      await Deno.readTextFile(join(home, "rules", "zz-aimax-session.rules")),
      /prefix_rule\(pattern = \["touch"\]/,
    );
    // The user's home holds what it held (and the sessions folder).
    const names = [...Deno.readDirSync(real)].map((e) => e.name).sort();
    assert.deepEqual(names, ["auth.json", "config.toml", "rules", "sessions"]);
    assert.deepEqual(
      [...Deno.readDirSync(join(real, "rules"))].map((e) => e.name),
      ["default.rules"],
    );
    assert.equal(
      await Deno.readTextFile(join(real, "rules", "default.rules")),
      "# mine\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
