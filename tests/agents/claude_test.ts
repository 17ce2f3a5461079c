import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CLAUDE_HOOK_EVENTS,
  claudeHooksDisabled,
  claudePermissionRules,
  claudeProfile,
  claudeSettings,
  claudeSignal,
  encodeClaudeProjectDir,
  mergeClaudeRules,
  recordClaudeTrust,
  unwrapPasted,
} from "../../lib/agents/claude.ts";
import { configFromEnv } from "../../lib/config.ts";

Deno.test("claude: project dir encoding (dots, spaces, underscores, non-ASCII, emoji)", () => {
  assert.equal(
    encodeClaudeProjectDir("/tmp/r/wörk.v1 x_y"),
    "-tmp-r-w-rk-v1-x-y",
  );
  assert.equal(
    encodeClaudeProjectDir("/tmp/exp/a.b c_d-é日本/x y"),
    "-tmp-exp-a-b-c-d-----x-y",
  );
  assert.equal(encodeClaudeProjectDir("/tmp/exp/e😀x"), "-tmp-exp-e--x");
});

Deno.test("claude: long paths are cut at 200 characters plus a hash (as observed: suffix e2vco9)", () => {
  // The 249-character path observed with Claude Code 2.1.197.
  const path = "/tmp/exp/" + "long-directory-name-".repeat(12);
  const encoded = encodeClaudeProjectDir(path);
  assert.equal(encoded.length <= 200 + 1 + 7, true);
  assert.equal(
    encoded.slice(0, 200),
    path.replace(/[^a-zA-Z0-9]/g, "-").slice(0, 200),
  );
  assert.match(encoded, /^.{200}-[0-9a-z]+$/);
});

Deno.test("claude: trust is recorded by editing one key, the rest byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, ".claude.json");
    const original =
      '{\n  "numStartups": 3,\n  "projects": {\n    "/a": { "x": 1 }\n  },\n  "zzz": [1, 2]\n}\n';
    await Deno.writeTextFile(path, original);
    assert.equal(
      await recordClaudeTrust(path, "/w/ö dir", { tmpDir: dir }),
      true,
    );
    const after = JSON.parse(await Deno.readTextFile(path));
    assert.equal(after.projects["/w/ö dir"].hasTrustDialogAccepted, true);
    assert.deepEqual(after.projects["/a"], { x: 1 });
    assert.deepEqual(after.zzz, [1, 2]);
    assert.equal(after.numStartups, 3);
    const text = await Deno.readTextFile(path);
    assert.ok(text.startsWith('{\n  "numStartups": 3,'), "formatting kept");
    // Idempotent, and a missing file is left alone.
    assert.equal(await recordClaudeTrust(path, "/w/ö dir"), true);
    assert.equal(
      await recordClaudeTrust(join(dir, "missing.json"), "/x"),
      false,
    );
    await assert.rejects(Deno.stat(join(dir, "missing.json")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const READY = `╭─── Claude Code v2.1.197 ───╮
│   Welcome back!   │
╰────────────────────╯

────────────────────────────────
❯\u00a0
────────────────────────────────
  ? for shortcuts · ← for agents




`;

Deno.test("claude: synthetic screens: input box, trust, login, starting", () => {
  assert.deepEqual(claudeProfile.readScreen(READY), {
    kind: "input",
    working: false,
    composer: "",
  });
  const trust = claudeProfile.readScreen(
    " Quick safety check: Is this a project you created or one you trust?\n ❯ 1. Yes, I trust this folder\n   2. No, exit",
  );
  assert.equal(trust.kind === "dialog" && trust.purpose, "trust");
  const key = claudeProfile.readScreen(
    "Do you want to use this API key?\n❯ 1. Yes\n  2. No (recommended)",
  );
  assert.equal(key.kind === "dialog" && key.purpose, "login");
  assert.ok(key.kind === "dialog" && key.hint);
  const login = claudeProfile.readScreen("Select login method:");
  assert.equal(login.kind === "dialog" && login.purpose, "login");
  assert.equal(claudeProfile.readScreen("loading…").kind, "starting");
});

Deno.test("claude: working footer, composer text and placeholders", () => {
  const working = READY.replace("? for shortcuts", "esc to interrupt");
  assert.deepEqual(claudeProfile.readScreen(working), {
    kind: "input",
    working: true,
    composer: "",
  });
  const composer = (screen: string) => {
    const state = claudeProfile.readScreen(screen);
    return state.kind === "input" ? state.composer : undefined;
  };
  assert.equal(
    composer(READY.replace("❯\u00a0", "❯\u00a0hello there")),
    "hello there",
  );
  assert.equal(
    composer(
      READY.replace("❯\u00a0", "❯\u00a0Press up to edit queued messages"),
    ),
    "",
  );
});

Deno.test("claude: prompt records (typed, queued) are recognised", () => {
  const typed = {
    type: "user",
    message: { role: "user", content: "hi\nthere" },
  };
  assert.equal(claudeProfile.promptRecord(typed, "hi\nthere"), "started");
  assert.equal(claudeProfile.promptRecord(typed, "hi"), undefined);
  const queued = {
    type: "queue-operation",
    operation: "enqueue",
    content: "later",
  };
  assert.equal(claudeProfile.promptRecord(queued, "later"), "queued");
  const toolResult = {
    type: "user",
    message: { content: [{ type: "tool_result", content: "x" }] },
  };
  assert.equal(claudeProfile.promptRecord(toolResult, "x"), undefined);
});

Deno.test("claude: launch plan passes values as single arguments", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = { ...configFromEnv((n) => ({ HOME: dir })[n]) };
    const plan = await claudeProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: "claude-x",
      useProxy: false,
      agentSessionId: null,
    });
    assert.equal(plan.argv[0], "claude");
    assert.equal(plan.argv[1], "--session-id");
    assert.equal(plan.argv[2], plan.agentSessionId);
    assert.ok(plan.argv.includes("--model=claude-x"));
    assert.equal(
      plan.jsonlPath,
      join(dir, ".claude", "projects", "-w", `${plan.agentSessionId}.jsonl`),
    );
    const resumed = await claudeProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: null,
      useProxy: true,
      agentSessionId: "0f0e0d0c-0000-4000-8000-000000000000",
    });
    assert.equal(resumed.argv[0], "bash", "proxy path wraps the argv");
    assert.deepEqual(resumed.argv.slice(-3), [
      "claude",
      "--resume",
      "0f0e0d0c-0000-4000-8000-000000000000",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("claude: one generated --settings = the user's settings + aimax hooks (user hooks kept first)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = { ...configFromEnv((n) => ({ HOME: dir })[n]) };
    await Deno.mkdir(join(dir, ".claude"), { recursive: true });
    await Deno.writeTextFile(
      claudeSettings(config).claudeSettings,
      `// the user's own settings (JSONC)
{
  "permissions": { "allow": ["Bash(ls:*)"] },
  "hooks": { "Stop": [{ "hooks": [{ "type": "command", "command": "my-stop" }] }] },
}`,
    );
    const plan = await claudeProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: null,
      useProxy: false,
      agentSessionId: null,
      signals: {
        hook: "/data/bin/aimax-hook",
        events: "/data/events/it's.jsonl",
        runFile: (name) => join(dir, `run.${name}`),
      },
    });
    const flags = plan.argv.filter((a) => a.startsWith("--settings"));
    assert.deepEqual(flags, [
      `--settings=${join(dir, "run.claude-settings.json")}`,
    ]);
    const merged = JSON.parse(
      await Deno.readTextFile(join(dir, "run.claude-settings.json")),
    );
    assert.deepEqual(merged.permissions, { allow: ["Bash(ls:*)"] });
    assert.equal(merged.hooks.Stop.length, 2);
    assert.equal(merged.hooks.Stop[0].hooks[0].command, "my-stop");
    assert.equal(
      merged.hooks.Stop[1].hooks[0].command,
      `'/data/bin/aimax-hook' '/data/events/it'\\''s.jsonl' Stop`,
    );
    for (const event of CLAUDE_HOOK_EVENTS) {
      assert.ok(merged.hooks[event].length >= 1, event);
    }
    // The user's file is untouched.
    assert.match(
      await Deno.readTextFile(claudeSettings(config).claudeSettings),
      /^\/\/ the user's/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A home, a project and a managed dir in a temp dir, for `disableAllHooks`. */
async function hooksWorld(
  test: (w: {
    file: (where: string, value: unknown) => Promise<string>;
    blocked: () => ReturnType<typeof claudeHooksDisabled>;
  }) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    const home = join(dir, "home");
    const cwd = join(dir, "work");
    const managed = join(dir, "etc-claude-code");
    const config = configFromEnv((n) => ({ HOME: home })[n]);
    const paths: Record<string, string> = {
      user: join(home, ".claude", "settings.json"),
      aimax: claudeSettings(config).claudeSettings,
      project: join(cwd, ".claude", "settings.json"),
      local: join(cwd, ".claude", "settings.local.json"),
      managed: join(managed, "managed-settings.json"),
    };
    const file = async (where: string, value: unknown) => {
      const path = paths[where] ?? join(managed, "managed-settings.d", where);
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeTextFile(
        path,
        typeof value === "string"
          ? value
          : JSON.stringify({ model: "x", disableAllHooks: value }),
      );
      return path;
    };
    await test({
      file,
      blocked: () => claudeHooksDisabled(config, cwd, { managedDir: managed }),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("claude: no settings, or none that set disableAllHooks: hooks are not blocked", () =>
  hooksWorld(async ({ file, blocked }) => {
    assert.equal(await blocked(), undefined);
    await file("user", '{ "model": "opus" }');
    await file("project", "[1, 2]");
    await file("local", "not json at all {");
    assert.equal(await blocked(), undefined);
  }));

for (const where of ["user", "aimax", "project", "local"]) {
  Deno.test(`claude: disableAllHooks in the ${where} settings blocks the hooks and names that file`, () =>
    hooksWorld(async ({ file, blocked }) => {
      const path = await file(where, true);
      const block = await blocked();
      assert.equal(block?.source, path);
      assert.ok(block?.detail.includes(path), block?.detail);
      assert.match(block!.detail, /"disableAllHooks": true/);
      assert.match(block!.fix, /remove "disableAllHooks" from/);
    }));
}

Deno.test("claude: disableAllHooks: the last of user, project, local, --settings that sets it decides (as 2.1.332 does)", () =>
  hooksWorld(async ({ file, blocked }) => {
    await file("user", true);
    await file("local", false);
    assert.equal(await blocked(), undefined, "user true, local false");
    await file("project", true);
    assert.equal(await blocked(), undefined, "local is read after project");
    const aimax = await file("aimax", true);
    assert.equal((await blocked())?.source, aimax);
    await file("aimax", false);
    await file("local", true);
    assert.equal(await blocked(), undefined, "--settings is read last");
    // A value of another type makes Claude Code reject the file: not set.
    await file("aimax", '{ "disableAllHooks": "false" }');
    assert.match((await blocked())!.source, /settings\.local\.json$/);
  }));

Deno.test("claude: disableAllHooks in the managed settings (file or drop-in) blocks whatever the others say", () =>
  hooksWorld(async ({ file, blocked }) => {
    await file("user", false);
    await file("aimax", false);
    const dropIn = await file("50-hooks.json", true);
    await file(".hidden.json", true);
    await file("10-other.json", { model: "y" });
    assert.equal((await blocked())?.source, dropIn);
    assert.match((await blocked())!.fix, /administrator/);
    await file("50-hooks.json", '{ "model": "z" }');
    assert.equal(await blocked(), undefined, "hidden drop-ins are not read");
    const base = await file("managed", true);
    assert.equal((await blocked())?.source, base);
  }));

Deno.test("claude: disableAllHooks is read from JSONC, and not from files over 1 MiB", () =>
  hooksWorld(async ({ file, blocked }) => {
    const path = await file(
      "user",
      '{\n  // hooks off\n  "disableAllHooks": true,\n}\n',
    );
    assert.equal((await blocked())?.source, path);
    await file(
      "user",
      `{ "disableAllHooks": true, "pad": "${"x".repeat(1024 * 1024)}" }`,
    );
    assert.equal(await blocked(), undefined);
  }));

Deno.test("claude: the profile asks the same question, and reads the managed dir under a scoped --allow-read", () => {
  const config = configFromEnv((n) => ({ HOME: "/home/u" })[n]);
  assert.equal(typeof claudeProfile.signalsBlocked, "function");
  assert.ok(claudeProfile.paths(config).read.includes("/etc/claude-code"));
});

Deno.test("claude: a long paste recorded as <pasted_content> (2.1.332) is the prompt it wraps", () => {
  const prompt = "line 1 of a long prompt\nline 2 of a long prompt";
  // As Claude Code 2.1.332 wrote it for a 60-line paste through aimax.
  const content =
    `\n\n<pasted_content id="77f7">\n${prompt}\n</pasted_content id="77f7">\n`;
  assert.equal(unwrapPasted(content), prompt);
  const record = {
    type: "user",
    uuid: "u",
    message: { role: "user", content },
    promptSource: "typed",
  };
  assert.equal(claudeProfile.promptRecord(record, prompt), "started");
  assert.deepEqual(claudeProfile.transcriptEvents(record), [
    { type: "turn_started" },
    { type: "user_message", text: prompt },
  ]);
  // Text a person typed around it stays; other tags are left alone.
  assert.equal(unwrapPasted("<b>x</b>"), "<b>x</b>");
});

Deno.test("claude: each hook call becomes aimax's signal", () => {
  const sig = (event: string, payload: Record<string, unknown> = {}) =>
    claudeProfile.signal({ at: 0, event, payload }, { agentSessionId: null });
  assert.deepEqual(sig("SessionStart"), { kind: "session_started" });
  assert.deepEqual(sig("UserPromptSubmit", { prompt: "hi" }), {
    kind: "turn_started",
    prompt: "hi",
  });
  assert.deepEqual(sig("UserPromptSubmit"), { kind: "turn_started" });
  assert.deepEqual(sig("PreToolUse"), { kind: "tool_asked" });
  assert.deepEqual(sig("PostToolUse"), { kind: "tool_ran" });
  assert.deepEqual(sig("PermissionRequest"), { kind: "permission_asked" });
  assert.deepEqual(
    sig("Stop", { last_assistant_message: "4", prompt_id: "p1" }),
    { kind: "turn_ended", answer: "4", turnId: "p1" },
  );
  assert.deepEqual(sig("Stop", { prompt: "x" }), { kind: "turn_ended" });
  assert.deepEqual(sig("SessionEnd"), { kind: "session_ended" });
  assert.equal(sig("Notification"), undefined);
  assert.equal(
    claudeSignal({ at: 0, event: "Stop", payload: null })?.kind,
    "turn_ended",
  );
  for (const event of CLAUDE_HOOK_EVENTS) {
    assert.ok(sig(event), `${event} means something`);
    assert.ok(claudeProfile.rawNames.includes(event));
  }
});

Deno.test("claude rules: each kind becomes a Claude Code permission rule (Bash(P), Edit(G), Read(G), the tool's name); a parenthesis is refused naming the rule", () => {
  assert.deepEqual(
    claudePermissionRules({
      allow: ["bash:npm test *", "edit:src/**", "read:docs/*.md"],
      deny: ["bash:rm *", "tool:WebFetch"],
    }),
    {
      allow: ["Bash(npm test *)", "Edit(src/**)", "Read(docs/*.md)"],
      deny: ["Bash(rm *)", "WebFetch"],
    },
  );
  assert.throws(
    () => claudePermissionRules({ allow: ["bash:echo (x)"], deny: [] }),
    /rule "bash:echo \(x\)" cannot be expressed for Claude Code/,
  );
  assert.throws(
    () => claudeProfile.checkRules!({ allow: [], deny: ["edit:a)b"] }),
    /"edit:a\)b"/,
  );
  claudeProfile.checkRules!({ allow: ["bash:touch *"], deny: [] });
});

Deno.test("claude rules: the run's settings add the rules after the user's own permissions, which stay; without rules nothing is added", async () => {
  assert.deepEqual(
    mergeClaudeRules({ permissions: { allow: ["Bash(ls:*)"], ask: ["X"] } }, {
      allow: ["bash:touch *"],
      deny: ["bash:rm *"],
    }),
    {
      permissions: {
        allow: ["Bash(ls:*)", "Bash(touch *)"],
        ask: ["X"],
        deny: ["Bash(rm *)"],
      },
    },
  );
  const user = { permissions: { allow: ["A"] } };
  assert.equal(mergeClaudeRules(user, { allow: [], deny: [] }), user);

  const dir = await Deno.makeTempDir();
  try {
    const config = { ...configFromEnv((n) => ({ HOME: dir })[n]) };
    await Deno.mkdir(join(dir, ".claude"), { recursive: true });
    await Deno.writeTextFile(
      claudeSettings(config).claudeSettings,
      '{ "permissions": { "deny": ["Read(.env)"] } }',
    );
    await claudeProfile.plan({
      config,
      sessionId: "s",
      cwd: "/w",
      model: null,
      useProxy: false,
      agentSessionId: null,
      rules: { allow: ["bash:touch *"], deny: ["bash:rm *"] },
      signals: {
        hook: "/data/bin/aimax-hook",
        events: "/data/events/e.jsonl",
        runFile: (name) => join(dir, `run.${name}`),
      },
    });
    const merged = JSON.parse(
      await Deno.readTextFile(join(dir, "run.claude-settings.json")),
    );
    assert.deepEqual(merged.permissions, {
      deny: ["Read(.env)", "Bash(rm *)"],
      allow: ["Bash(touch *)"],
    });
    assert.equal(
      await Deno.readTextFile(claudeSettings(config).claudeSettings),
      '{ "permissions": { "deny": ["Read(.env)"] } }',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
