import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CLAUDE_HOOK_EVENTS,
  claudeProfile,
  encodeClaudeProjectDir,
  recordClaudeTrust,
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
      config.claudeSettings,
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
      await Deno.readTextFile(config.claudeSettings),
      /^\/\/ the user's/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
