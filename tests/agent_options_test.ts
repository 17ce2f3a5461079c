/**
 * Agent options per session (lib/agent_options.ts and the profiles'
 * part): the permission-mode vocabulary, each agent's flags for it, the
 * default each agent starts in, and the gate for the arguments passed
 * through to an agent.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  claudeDefaultPermission,
  claudeProfile,
} from "../lib/agents/claude.ts";
import {
  codexDefaultPermission,
  codexModeWord,
  codexProfile,
} from "../lib/agents/codex.ts";
import {
  formatPermission,
  MAX_AGENT_ARG_LENGTH,
  MAX_AGENT_ARGS,
  PERMISSION_MODES,
  validateAgentArgs,
  validatePermissionMode,
} from "../lib/agent_options.ts";
import { configFromEnv } from "../lib/config.ts";
import { InputError } from "../lib/errors.ts";
import { withTempDir } from "./support/temp_dir.ts";

Deno.test("permission modes: the vocabulary; bypass only with allowBypass", () => {
  for (const mode of PERMISSION_MODES) {
    if (mode === "bypass") continue;
    assert.equal(validatePermissionMode(mode), mode);
  }
  assert.throws(() => validatePermissionMode("bypass"), /--allow-bypass/);
  assert.equal(
    validatePermissionMode("bypass", { allowBypass: true }),
    "bypass",
  );
  for (const bad of ["default", "acceptEdits", "ASK", "", 3, null]) {
    assert.throws(() => validatePermissionMode(bad), InputError);
  }
});

Deno.test("permission modes: Claude Code's --permission-mode for each", () => {
  const expected = {
    ask: "default",
    edits: "acceptEdits",
    plan: "plan",
    auto: "auto",
  } as const;
  for (const [mode, flag] of Object.entries(expected)) {
    assert.deepEqual(
      claudeProfile.permissionArgs(mode as keyof typeof expected),
      ["--permission-mode", flag],
    );
  }
});

Deno.test("permission modes: Codex's approval policy and sandbox for each, read back as the same word", () => {
  const args = (mode: typeof PERMISSION_MODES[number]) =>
    codexProfile.permissionArgs(mode).join(" ");
  assert.equal(
    args("ask"),
    "--ask-for-approval on-request --sandbox read-only",
  );
  assert.equal(
    args("edits"),
    "--ask-for-approval on-request --sandbox workspace-write",
  );
  assert.equal(
    args("plan"),
    "--ask-for-approval never --sandbox read-only",
  );
  assert.equal(args("auto"), "--approve-for-me");
  assert.equal(
    args("bypass"),
    "--ask-for-approval never --sandbox danger-full-access",
  );
  const word = (approval: string, sandbox: string, reviewer?: string) =>
    codexModeWord({ approval, sandbox, reviewer });
  assert.equal(word("untrusted", "workspace-write"), "ask");
  assert.equal(word("on-request", "workspace-write"), "edits");
  assert.equal(word("on-request", "read-only"), "ask");
  assert.equal(word("never", "read-only"), "plan");
  assert.equal(word("on-request", "workspace-write", "auto_review"), "auto");
  assert.equal(word("never", "danger-full-access"), "bypass");
  assert.equal(
    word("never", "workspace-write"),
    "approval_policy=never, sandbox_mode=workspace-write",
  );
});

Deno.test("default permission: Claude Code's own default, the settings' defaultMode, the managed file winning, auto mode turned off", async () => {
  await withTempDir("aimax-options-", async (dir) => {
    const home = join(dir, "home");
    const cwd = join(dir, "work");
    const managedDir = join(dir, "managed");
    await Deno.mkdir(join(home, ".claude"), { recursive: true });
    await Deno.mkdir(join(cwd, ".claude"), { recursive: true });
    await Deno.mkdir(managedDir);
    const config = configFromEnv((name) =>
      ({ HOME: home, AIMAX_DATA_DIR: join(dir, "data") })[name]
    );
    const read = () => claudeDefaultPermission(config, cwd, { managedDir });
    assert.deepEqual(await read(), {
      mode: "auto",
      source: "default",
      detail: "Claude Code's default",
    });
    assert.equal(
      formatPermission(await read()),
      "auto (Claude Code's default)",
    );
    const user = join(home, ".claude", "settings.json");
    await Deno.writeTextFile(
      user,
      '{ // JSONC\n "permissions": { "defaultMode": "acceptEdits" } }',
    );
    assert.deepEqual(await read(), {
      mode: "edits",
      source: "settings",
      detail: `permissions.defaultMode in ${user}`,
    });
    const local = join(cwd, ".claude", "settings.local.json");
    await Deno.writeTextFile(
      local,
      JSON.stringify({ permissions: { defaultMode: "dontAsk" } }),
    );
    assert.equal((await read()).mode, "dontAsk", "no word for it: its own");
    const managed = join(managedDir, "managed-settings.json");
    await Deno.writeTextFile(
      managed,
      JSON.stringify({ permissions: { defaultMode: "plan" } }),
    );
    assert.equal((await read()).mode, "plan");
    assert.equal(
      (await read()).detail,
      `permissions.defaultMode in ${managed}`,
    );
    await Deno.remove(managed);
    await Deno.remove(local);
    await Deno.writeTextFile(
      user,
      JSON.stringify({ permissions: { disableAutoMode: "disable" } }),
    );
    assert.equal((await read()).mode, "ask");
    await Deno.writeTextFile(user, "{ not json");
    assert.equal((await read()).mode, "auto", "an unreadable file is absent");
  });
});

Deno.test("default permission: Codex's config.toml (its profile first) or Codex's default", async () => {
  await withTempDir("aimax-options-", async (dir) => {
    const path = join(dir, "config.toml");
    assert.deepEqual(await codexDefaultPermission(path), {
      mode: "edits",
      source: "default",
      detail: "Codex's default",
    });
    await Deno.writeTextFile(
      path,
      'approval_policy = "never"\nsandbox_mode = "danger-full-access"\n',
    );
    assert.deepEqual(await codexDefaultPermission(path), {
      mode: "bypass",
      source: "settings",
      detail: `approval_policy, sandbox_mode in ${path}`,
    });
    await Deno.writeTextFile(
      path,
      'profile = "ro"\napproval_policy = "on-request"\n[profiles.ro]\nsandbox_mode = "read-only"\napproval_policy = "never"\n',
    );
    assert.equal((await codexDefaultPermission(path)).mode, "plan");
    await Deno.writeTextFile(path, "not = [toml");
    assert.equal((await codexDefaultPermission(path)).source, "default");
  });
});

const claude = { owned: claudeProfile.ownedArgs, label: claudeProfile.label };
const codex = { owned: codexProfile.ownedArgs, label: codexProfile.label };

Deno.test("agent args: options and their values pass, as given", () => {
  assert.deepEqual(
    validateAgentArgs(["--add-dir", "/srv/a b", "--add-dir=/x"], claude),
    ["--add-dir", "/srv/a b", "--add-dir=/x"],
  );
  assert.deepEqual(
    validateAgentArgs(["--append-system-prompt", "line 1\nline 2"], claude),
    ["--append-system-prompt", "line 1\nline 2"],
  );
  assert.deepEqual(
    validateAgentArgs(
      ["-c", 'model_reasoning_effort="high"', "--search"],
      codex,
    ),
    ["-c", 'model_reasoning_effort="high"', "--search"],
  );
  assert.deepEqual(validateAgentArgs([], claude), []);
});

Deno.test("agent args: the refusal table names aimax's option instead", () => {
  const refused: [string[], typeof claude, RegExp][] = [
    [["--settings", "x.json"], claude, /--settings .*AIMAX_CLAUDE_SETTINGS/],
    [["--settings=x.json"], claude, /--settings /],
    [["--session-id", "u"], claude, /--agent-session-id/],
    [["--resume"], claude, /--agent-session-id/],
    [["-r", "u"], claude, /--agent-session-id/],
    [["--continue"], claude, /--agent-session-id/],
    [["-c"], claude, /--agent-session-id/],
    [["--fork-session"], claude, /--agent-session-id/],
    [["--permission-mode", "plan"], claude, /aimax's --permission-mode/],
    [["--dangerously-skip-permissions"], claude, /--allow-bypass/],
    [["--allow-dangerously-skip-permissions"], claude, /--allow-bypass/],
    [["--model", "opus"], claude, /aimax's --model/],
    [["-p"], claude, /interactive TUI/],
    [["--print"], claude, /interactive TUI/],
    [["--output-format=json"], claude, /interactive TUI/],
    [["--version"], claude, /interactive TUI/],
    [["-w"], claude, /--cwd/],
    [["-c", "notify=['x']"], codex, /notify/],
    [["-cnotify=[]"], codex, /notify/],
    [["--config", "notify = []"], codex, /notify/],
    [["--config=notify=[]"], codex, /notify/],
    [["-c", 'approval_policy="never"'], codex, /--permission-mode/],
    [["-c", "sandbox_mode=danger-full-access"], codex, /--permission-mode/],
    [["-c", "model=o3"], codex, /aimax's --model/],
    [["--disable", "daemon_auto_start"], codex, /app server/],
    [["-a", "never"], codex, /--permission-mode/],
    [["--ask-for-approval=never"], codex, /--permission-mode/],
    [["-s", "read-only"], codex, /--permission-mode/],
    [["--dangerously-bypass-approvals-and-sandbox"], codex, /--allow-bypass/],
    [["--approve-for-me"], codex, /--permission-mode/],
    [["-m", "o3"], codex, /aimax's --model/],
    [["--model=o3"], codex, /aimax's --model/],
    [["-C", "/tmp"], codex, /--cwd/],
    [["--remote", "ws://x"], codex, /aimax serve/],
  ];
  for (const [args, agent, message] of refused) {
    assert.throws(
      () => validateAgentArgs(args, agent),
      (error: Error) => {
        assert.ok(error instanceof InputError, args.join(" "));
        assert.match(error.message, message, args.join(" "));
        assert.match(error.message, / is not passed to /, args.join(" "));
        return true;
      },
    );
  }
});

Deno.test("agent args: words that are no option's value, a second --, control characters, too many or too long are refused", () => {
  const bad: [unknown, RegExp][] = [
    [["hello"], /not an option: .*prompt or a subcommand/],
    [["resume", "--last"], /not an option/],
    [["exec"], /not an option/],
    [["--add-dir", "/a", "/b"], /"\/b" is not an option/],
    [["--add-dir=/a", "/b"], /"\/b" is not an option/],
    [["--"], /second "--"/],
    [["--name", "a\u001b[2Jb"], /control character/],
    [["--name", "a\0b"], /control character/],
    [Array(MAX_AGENT_ARGS + 1).fill("--verbose"), /too many/],
    [["--name", "x".repeat(MAX_AGENT_ARG_LENGTH + 1)], /too long/],
    ["--verbose", /list of strings/],
    [[1], /list of strings/],
  ];
  for (const [args, message] of bad) {
    assert.throws(() => validateAgentArgs(args, claude), message);
  }
});

Deno.test("agent args: each profile puts them after its own, and the permission flags in its argv", async () => {
  await withTempDir("aimax-options-", async (dir) => {
    const config = configFromEnv((name) =>
      ({
        HOME: dir,
        AIMAX_DATA_DIR: join(dir, "data"),
        AIMAX_CLAUDE_SETTINGS: join(dir, "none.json"),
        AIMAX_CODEX_HOME: join(dir, "codex"),
      })[name]
    );
    const request = {
      config,
      sessionId: "s",
      cwd: dir,
      model: null,
      useProxy: false,
      agentSessionId: null,
      permissionMode: "plan" as const,
      agentArgs: ["--add-dir", "/srv/data"],
    };
    const claudePlan = await claudeProfile.plan(request);
    assert.deepEqual(claudePlan.argv.slice(-4), [
      "--permission-mode",
      "plan",
      "--add-dir",
      "/srv/data",
    ]);
    const thread = "0199a213-81c0-7800-8aa1-bbab2a035a53";
    const codexPlan = await codexProfile.plan({
      ...request,
      agentSessionId: thread,
    });
    assert.ok(codexPlan.argv.includes("resume"));
    assert.deepEqual(codexPlan.argv.slice(-7), [
      "--ask-for-approval",
      "never",
      "--sandbox",
      "read-only",
      thread,
      "--add-dir",
      "/srv/data",
    ]);
    const plain = await claudeProfile.plan({
      ...request,
      permissionMode: null,
      agentArgs: [],
    });
    assert.ok(!plain.argv.includes("--permission-mode"));
  });
});

Deno.test("agent args: Claude Code's start-up question about an --add-dir it does not trust is a dialog with a hint, not 'starting'", () => {
  // Captured from Claude Code 2.1.332 started with --add-dir of an
  // untrusted directory.
  const screen = [
    "",
    "─".repeat(80),
    " Adding a new directory:",
    "",
    " /tmp/aimax-claude-2b00f3346f14cb36/extra-dir",
    "",
    " This session hasn't worked here before. Is this a directory you created or one you trust?",
    " Claude Code'll be able to read, edit, and execute files here. Its skills, commands, and agents load and can run commands, and so can the git settings of its repository. Your answer holds for this",
    " session. Starting Claude Code in this directory and trusting it there lasts, and covers its whole repository or everything below it.",
    "",
    " Security guide",
    "",
    " ❯ No, exit",
    "   Yes, add it",
    "",
    " Enter to confirm · Esc to cancel",
  ].join("\n");
  const state = claudeProfile.readScreen(screen);
  assert.equal(state.kind, "dialog");
  if (state.kind !== "dialog") return;
  assert.equal(state.purpose, "other");
  assert.match(state.text, /extra-dir/);
  assert.match(state.hint ?? "", /--add-dir/);
});
