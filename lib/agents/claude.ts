/**
 * What is Claude Code's own: its argv, transcript path, trust record,
 * screens, keys and transcript records.
 *
 * @module
 */
import { dirname, join } from "../path.ts";
import type { ConfigSection, TmuxAgentsConfig } from "../config_types.ts";
import { InputError } from "../errors.ts";
import type { AgentEventBody } from "../signals/events.ts";
import type { AgentSignal, SignalEvent } from "../signals/session_state.ts";
import { shellQuote } from "../signals/hook_script.ts";
import { writeFileAtomic } from "../state.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";
import {
  type AgentProfile,
  clip,
  COMMON_ENV,
  contentText,
  forwardEnv,
  type LaunchPlan,
  type LaunchRequest,
  normalisePrompt,
  type PaneState,
  type PromptRecordKind,
  proxyArgv,
  screenLines,
  settingsOf,
  type SignalsBlock,
} from "./agent.ts";
import { dialogText, numberedChoices } from "../signals/screen.ts";
import {
  type OwnedArg,
  PERMISSION_MODES,
  type PermissionMode,
  type SessionPermission,
} from "../agent_options.ts";
import {
  hasRules,
  parseRule,
  type SessionRules,
  unexpressible,
} from "../rules.ts";

/**
 * The directory name Claude Code gives a cwd under its projects dir: every
 * UTF-16 code unit other than an ASCII letter or digit becomes `-`; names
 * over 200 characters are cut and suffixed with a hash of the path.
 *
 * @example
 * ```ts
 * import { encodeClaudeProjectDir } from "./claude.ts";
 * encodeClaudeProjectDir("/tmp/r/wörk.v1 x_y"); // "-tmp-r-w-rk-v1-x-y"
 * ```
 * @param cwd canonical working directory
 */
export function encodeClaudeProjectDir(cwd: string): string {
  const encoded = cwd.replace(/[^a-zA-Z0-9]/g, "-");
  if (encoded.length <= 200) return encoded;
  let hash = 0;
  for (let i = 0; i < cwd.length; i++) {
    hash = ((hash << 5) - hash + cwd.charCodeAt(i)) | 0;
  }
  return `${encoded.slice(0, 200)}-${Math.abs(hash).toString(36)}`;
}

/**
 * The transcript of Claude session `uuid` started in `cwd`.
 *
 * @param config config snapshot
 * @param cwd canonical working directory
 * @param uuid Claude's session id
 */
export function claudeTranscriptPath(
  config: TmuxAgentsConfig,
  cwd: string,
  uuid: string,
): string {
  return join(
    claudeSettings(config).claudeProjectsDir,
    encodeClaudeProjectDir(cwd),
    `${uuid}.jsonl`,
  );
}

/**
 * Marks `cwd` as trusted in Claude Code's user file the way Claude itself
 * does (`projects[cwd].hasTrustDialogAccepted`), editing only that key so
 * the rest of the file, which running Claude processes also rewrite, is
 * kept byte for byte. Verified after the write and retried if a concurrent
 * writer dropped it. A missing file is left alone.
 *
 * @param path the `~/.claude.json` file
 * @param cwd canonical working directory
 * @param options `tmpDir`: where to stage the new file (default: beside it)
 * @returns whether trust is recorded now
 */
export async function recordClaudeTrust(
  path: string,
  cwd: string,
  options: { tmpDir?: string } = {},
): Promise<boolean> {
  // Loaded when needed: a command that starts nothing does not pay for it.
  const { applyEdits, modify, parse: parseJsonc } = await import(
    "jsonc-parser"
  );
  const keyPath = ["projects", cwd, "hasTrustDialogAccepted"];
  const trusted = (text: string) => {
    // deno-lint-ignore no-explicit-any
    const value = parseJsonc(text) as any;
    return value?.projects?.[cwd]?.hasTrustDialogAccepted === true;
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    let text: string;
    let mode: number | null = null;
    try {
      text = await Deno.readTextFile(path);
      mode = (await Deno.stat(path)).mode;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
    if (trusted(text)) return true;
    const edits = modify(text, keyPath, true, {
      formattingOptions: { insertSpaces: true, tabSize: 2 },
    });
    await writeFileAtomic(path, applyEdits(text, edits), {
      tmpDir: options.tmpDir,
      mode: mode === null ? 0o600 : mode & 0o777,
    });
    if (trusted(await Deno.readTextFile(path))) return true;
  }
  return false;
}

/** The Claude Code hook events aimax listens to. */
export const CLAUDE_HOOK_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PermissionRequest",
  "PostToolUse",
  "Stop",
  "SessionEnd",
] as const;

/**
 * What a Claude Code hook call means (its hook name and payload, as aimax's
 * hook script recorded them), or `undefined` for a hook aimax does not read.
 *
 * @example
 * ```ts
 * import { claudeSignal } from "./claude.ts";
 * claudeSignal({ at: 0, event: "Stop", payload: { last_assistant_message: "4" } });
 * // { kind: "turn_ended", answer: "4" }
 * ```
 * @param event one events-file line
 */
export function claudeSignal(event: SignalEvent): AgentSignal | undefined {
  const p = event.payload ?? {};
  switch (event.event) {
    case "SessionStart":
      return { kind: "session_started" };
    case "UserPromptSubmit":
      return typeof p.prompt === "string"
        ? { kind: "turn_started", prompt: p.prompt }
        : { kind: "turn_started" };
    case "PreToolUse":
      return { kind: "tool_asked" };
    case "PostToolUse":
      return { kind: "tool_ran" };
    case "PermissionRequest":
      return { kind: "permission_asked" };
    case "Stop": {
      const turnId = stringOf(p.turn_id) ?? stringOf(p.prompt_id);
      const answer = stringOf(p.last_assistant_message);
      return {
        kind: "turn_ended",
        ...(answer === undefined ? {} : { answer }),
        ...(turnId === undefined ? {} : { turnId }),
      };
    }
    case "SessionEnd":
      return { kind: "session_ended" };
    default:
      return undefined;
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * The user's settings (`userSettings`, when it exists) with aimax's hooks
 * added: each event's hook array gets one more entry, after the user's own
 * (which keep running). Claude Code does not merge two `--settings` files,
 * so this one file replaces the user's for this run.
 *
 * @example
 * ```ts
 * import { mergeClaudeHooks } from "./claude.ts";
 * const merged = mergeClaudeHooks({ hooks: { Stop: [] } }, "/data/bin/aimax-hook '/data/e.jsonl'");
 * ```
 * @param userSettings the parsed user settings (or `{}`)
 * @param command the shell command prefix of aimax's hook (the event name is appended)
 */
export function mergeClaudeHooks(
  userSettings: Record<string, unknown>,
  command: string,
): Record<string, unknown> {
  const hooks = { ...(userSettings.hooks as Record<string, unknown[]> ?? {}) };
  for (const event of CLAUDE_HOOK_EVENTS) {
    const own = Array.isArray(hooks[event]) ? hooks[event] : [];
    hooks[event] = [
      ...own,
      { hooks: [{ type: "command", command: `${command} ${event}` }] },
    ];
  }
  return { ...userSettings, hooks };
}

/**
 * A session's rules ({@linkcode SessionRules}) as Claude Code permission
 * rules: `bash:P` is `Bash(P)` (Claude Code's `*` is the same wildcard),
 * `edit:G` is `Edit(G)`, `read:G` is `Read(G)`, `tool:NAME` is `NAME`.
 *
 * @example
 * ```ts
 * import { claudePermissionRules } from "./claude.ts";
 * claudePermissionRules({ allow: ["bash:npm test *"], deny: ["edit:.env"] });
 * // { allow: ["Bash(npm test *)"], deny: ["Edit(.env)"] }
 * ```
 * @param rules the session's rules (checked)
 * @throws {InputError} naming a rule Claude Code's syntax cannot hold (a
 *   parenthesis in its pattern)
 */
export function claudePermissionRules(
  rules: SessionRules,
): { allow: string[]; deny: string[] } {
  const one = (text: string): string => {
    const rule = parseRule(text);
    if (rule.kind === "tool") return rule.pattern;
    if (/[()]/.test(rule.pattern)) {
      throw unexpressible(rule, {
        label: "Claude Code",
        why: "a parenthesis would end its Tool(pattern) rule early",
      });
    }
    const tool = { bash: "Bash", edit: "Edit", read: "Read" }[rule.kind];
    return `${tool}(${rule.pattern})`;
  };
  return { allow: rules.allow.map(one), deny: rules.deny.map(one) };
}

/**
 * The user's settings with a session's rules added to
 * `permissions.allow` and `permissions.deny`, after the user's own.
 *
 * @example
 * ```ts
 * import { mergeClaudeRules } from "./claude.ts";
 * mergeClaudeRules({}, { allow: [], deny: ["bash:rm *"] });
 * // { permissions: { deny: ["Bash(rm *)"] } }
 * ```
 * @param userSettings the parsed user settings (or `{}`)
 * @param rules the session's rules (checked)
 */
export function mergeClaudeRules(
  userSettings: Record<string, unknown>,
  rules: SessionRules,
): Record<string, unknown> {
  if (!hasRules(rules)) return userSettings;
  const own = userSettings.permissions;
  const permissions: Record<string, unknown> =
    own && typeof own === "object" && !Array.isArray(own)
      ? { ...own as Record<string, unknown> }
      : {};
  const translated = claudePermissionRules(rules);
  for (const key of ["allow", "deny"] as const) {
    if (translated[key].length === 0) continue;
    const mine = Array.isArray(permissions[key])
      ? permissions[key] as unknown[]
      : [];
    permissions[key] = [...mine, ...translated[key]];
  }
  return { ...userSettings, permissions };
}

/**
 * The `--settings` file for one run: with turn signals or rules, the
 * user's settings merged with aimax's hooks and the session's rules,
 * written to the run's file in the data dir; without, the user's settings
 * file as it is (or none).
 */
async function claudeRunSettings(
  userPath: string,
  request: LaunchRequest,
): Promise<string | undefined> {
  let text: string | undefined;
  try {
    text = await Deno.readTextFile(userPath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const signals = request.signals;
  const rules = request.rules ?? { allow: [], deny: [] };
  if (!signals) {
    if (hasRules(rules)) {
      throw new InputError(
        "rules need a settings file of this run: start the session through the backend",
      );
    }
    return text === undefined ? undefined : userPath;
  }
  const { parse: parseJsonc } = await import("jsonc-parser");
  const user = text === undefined ? {} : parseJsonc(text) ?? {};
  if (typeof user !== "object" || Array.isArray(user)) {
    throw new InputError(`${userPath} is not a JSON object`);
  }
  const merged = mergeClaudeRules(
    mergeClaudeHooks(
      user,
      `${shellQuote(signals.hook)} ${shellQuote(signals.events)}`,
    ),
    rules,
  );
  const path = signals.runFile("claude-settings.json");
  await Deno.mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  await writeFileAtomic(path, JSON.stringify(merged, null, 2) + "\n");
  return path;
}

/** Where Claude Code reads its managed (policy) settings on Linux. */
export const CLAUDE_MANAGED_DIR = "/etc/claude-code";

/** The largest settings file aimax reads for `disableAllHooks`. */
const SETTINGS_MAX_BYTES = 1024 * 1024;

/**
 * The `disableAllHooks` of one settings file when it is a boolean (Claude
 * Code rejects a file with any other type there), else `undefined`:
 * missing, unreadable, over 1 MiB, not an object, or not set. Read as
 * JSONC.
 */
async function disableAllHooksIn(path: string): Promise<boolean | undefined> {
  const setting = (await settingsIn(path))?.disableAllHooks;
  return typeof setting === "boolean" ? setting : undefined;
}

/**
 * One settings file as an object, or `undefined`: missing, unreadable,
 * over 1 MiB, or not an object. Read as JSONC.
 */
async function settingsIn(
  path: string,
): Promise<Record<string, unknown> | undefined> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path);
    const info = await file.stat();
    if (!info.isFile || info.size > SETTINGS_MAX_BYTES) return undefined;
    const bytes = new Uint8Array(info.size + 1);
    let length = 0;
    while (length < bytes.length) {
      const n = await file.read(bytes.subarray(length));
      if (n === null) break;
      length += n;
    }
    if (length > info.size) return undefined; // grew while read
    const { parse: parseJsonc } = await import("jsonc-parser");
    const value = parseJsonc(
      new TextDecoder().decode(bytes.subarray(0, length)),
    );
    return value && typeof value === "object" && !Array.isArray(value)
      ? value
      : undefined;
  } catch {
    return undefined;
  } finally {
    file?.close();
  }
}

/**
 * The managed settings files in `dir`, in the order Claude Code merges
 * them: `managed-settings.json`, then the `*.json` files of
 * `managed-settings.d/` (not hidden ones) sorted by name.
 */
async function managedSettingsFiles(dir: string): Promise<string[]> {
  const dropIns = join(dir, "managed-settings.d");
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dropIns)) {
      if (
        (entry.isFile || entry.isSymlink) && entry.name.endsWith(".json") &&
        !entry.name.startsWith(".")
      ) names.push(entry.name);
    }
  } catch {
    // none, or not readable
  }
  return [
    join(dir, "managed-settings.json"),
    ...names.sort().map((name) => join(dropIns, name)),
  ];
}

/**
 * Claude Code's `--permission-mode` value for each of aimax's modes.
 * `default` is 2.1.332's `manual` (it takes both; 2.1.197 only `default`).
 *
 * @example
 * ```ts
 * import { CLAUDE_PERMISSION_MODES } from "./claude.ts";
 * CLAUDE_PERMISSION_MODES.edits; // "acceptEdits"
 * ```
 */
export const CLAUDE_PERMISSION_MODES: Readonly<Record<PermissionMode, string>> =
  {
    ask: "default",
    edits: "acceptEdits",
    plan: "plan",
    auto: "auto",
    bypass: "bypassPermissions",
  };

/** aimax's word for a Claude Code permission mode, if it has one. */
function claudeModeWord(mode: string): string {
  const own = mode === "manual" ? "default" : mode;
  const word = PERMISSION_MODES.find((m) => CLAUDE_PERMISSION_MODES[m] === own);
  return word ?? mode;
}

/**
 * The permission mode a Claude Code session in `cwd` starts in without
 * `--permission-mode`: `permissions.defaultMode` of the settings, as Claude
 * Code layers them (user `~/.claude/settings.json`, the project's
 * `.claude/settings.json` and `settings.local.json`, the file aimax passes
 * with `--settings`, then the managed files, which win), else Claude Code
 * 2.1.332's own default, auto mode; auto mode turned off
 * (`permissions.disableAutoMode: "disable"`) means `ask`. Never throws.
 *
 * @param config config snapshot (its home and `claudeSettings`)
 * @param cwd canonical working directory of the session
 * @param options `managedDir`: where the managed files are (default
 *   {@linkcode CLAUDE_MANAGED_DIR})
 */
export async function claudeDefaultPermission(
  config: TmuxAgentsConfig,
  cwd: string,
  options: { managedDir?: string } = {},
): Promise<SessionPermission> {
  const paths = [
    join(config.home, ".claude", "settings.json"),
    join(cwd, ".claude", "settings.json"),
    join(cwd, ".claude", "settings.local.json"),
    claudeSettings(config).claudeSettings,
    ...await managedSettingsFiles(options.managedDir ?? CLAUDE_MANAGED_DIR)
      .catch(() => []),
  ];
  let mode: { value: string; path: string } | undefined;
  let autoOff = false;
  for (const path of paths) {
    const permissions = (await settingsIn(path))?.permissions;
    if (!permissions || typeof permissions !== "object") continue;
    const p = permissions as Record<string, unknown>;
    if (typeof p.defaultMode === "string") {
      mode = { value: p.defaultMode, path };
    }
    if (p.disableAutoMode === "disable") autoOff = true;
  }
  const word = mode ? claudeModeWord(mode.value) : "auto";
  if (word === "auto" && autoOff) {
    return {
      mode: "ask",
      source: "settings",
      detail: "auto mode turned off by permissions.disableAutoMode",
    };
  }
  if (!mode) {
    return { mode: "auto", source: "default", detail: "Claude Code's default" };
  }
  return {
    mode: word,
    source: "settings",
    detail: `permissions.defaultMode in ${mode.path}`,
  };
}

/**
 * Whether aimax runs as root, where Claude Code refuses bypass mode: the
 * uid when aimax may read it (not under the scoped permission set, which
 * grants no system information), else `USER` / `LOGNAME`; when neither
 * tells, Claude Code's own refusal shows at start-up.
 */
function runsAsRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    try {
      return [Deno.env.get("USER"), Deno.env.get("LOGNAME")].includes("root");
    } catch {
      return false;
    }
  }
}

const NOT_A_SESSION =
  "aimax drives Claude Code's interactive TUI in its own window";
const SESSION_CHOICE =
  "aimax picks the conversation: --agent-session-id resumes one";

/** Claude Code's options that aimax sets itself or that break a session. */
const CLAUDE_OWNED_ARGS: readonly OwnedArg[] = [
  {
    names: ["--settings"],
    instead:
      "aimax passes its own --settings (the user settings with aimax's hooks); put settings in the file AIMAX_CLAUDE_SETTINGS names",
  },
  {
    names: ["--session-id", "--resume", "-r", "--continue", "-c"],
    instead: SESSION_CHOICE,
  },
  {
    names: ["--fork-session", "--from-pr", "--teleport", "--cloud"],
    instead: `${SESSION_CHOICE}; the transcript must stay the one aimax named`,
  },
  {
    names: [
      "--permission-mode",
      "--dangerously-skip-permissions",
      "--allow-dangerously-skip-permissions",
    ],
    instead:
      "use aimax's --permission-mode (bypass needs --allow-bypass as well)",
  },
  { names: ["--model"], instead: "use aimax's --model" },
  {
    names: [
      "--print",
      "-p",
      "--output-format",
      "--input-format",
      "--bg",
      "--background",
      "--desktop",
      "--help",
      "-h",
      "--version",
      "-v",
    ],
    instead: NOT_A_SESSION,
  },
  {
    names: ["--worktree", "-w", "--tmux"],
    instead:
      "aimax finds the transcript from the session's directory: create the worktree yourself and give it as --cwd",
  },
];

/**
 * Where `"disableAllHooks": true` turns off every Claude Code hook of a
 * session in `cwd`, aimax's `--settings` hooks included, or `undefined`
 * when nothing does. As Claude Code 2.1.332 decides: `true` in a managed
 * settings file (`/etc/claude-code/managed-settings.json` or
 * `managed-settings.d/*.json`) turns them off whatever else says;
 * otherwise the last of the user settings (`~/.claude/settings.json`), the
 * project's `.claude/settings.json`, its `.claude/settings.local.json` and
 * the file aimax passes with `--settings` (the `AIMAX_CLAUDE_SETTINGS`
 * file's keys) that sets it decides. Files are read as JSONC, at most
 * 1 MiB each; one that cannot be read counts as absent. Never throws.
 *
 * @param config config snapshot (its home and `claudeSettings`)
 * @param cwd canonical working directory of the session
 * @param options `managedDir`: where the managed files are (default
 *   {@linkcode CLAUDE_MANAGED_DIR})
 */
export async function claudeHooksDisabled(
  config: TmuxAgentsConfig,
  cwd: string,
  options: { managedDir?: string } = {},
): Promise<SignalsBlock | undefined> {
  const key = '"disableAllHooks"';
  try {
    for (
      const path of await managedSettingsFiles(
        options.managedDir ?? CLAUDE_MANAGED_DIR,
      )
    ) {
      if (await disableAllHooksIn(path) !== true) continue;
      return {
        source: path,
        detail: `${key}: true in Claude Code's managed settings ${path}`,
        fix:
          `a managed setting cannot be overridden: ask the administrator who manages ${path} to remove ${key}`,
      };
    }
    const layers = [
      [join(config.home, ".claude", "settings.json"), "the user settings"],
      [join(cwd, ".claude", "settings.json"), "the project settings"],
      [
        join(cwd, ".claude", "settings.local.json"),
        "the local project settings",
      ],
      [
        claudeSettings(config).claudeSettings,
        "the settings aimax passes with --settings",
      ],
    ] as const;
    const values = await Promise.all(
      layers.map(([path]) => disableAllHooksIn(path)),
    );
    const last = values.findLastIndex((value) => value !== undefined);
    if (last < 0 || values[last] !== true) return undefined;
    const [path, what] = layers[last];
    return {
      source: path,
      detail: `${key}: true in ${what} ${path}`,
      fix: path === claudeSettings(config).claudeSettings
        ? `remove ${key} from ${path}`
        : `remove ${key} from ${path}, or set it to false in ${
          claudeSettings(config).claudeSettings
        } (AIMAX_CLAUDE_SETTINGS, read last) for aimax's sessions only`,
    };
  } catch {
    return undefined;
  }
}

function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return unwrapPasted(content);
  if (Array.isArray(content)) {
    const texts = content
      .filter((c) => c && typeof c === "object" && c.type === "text")
      .map((c) => unwrapPasted(String(c.text ?? "")));
    return texts.length > 0 ? texts.join("\n") : undefined;
  }
  return undefined;
}

/** A long paste as Claude Code 2.1.332 records it in a user message. */
const PASTED =
  /\n*<pasted_content id="([^"]*)">\n([\s\S]*?)\n?<\/pasted_content id="\1">\n?/g;

/**
 * A user message's text with each pasted block as it was pasted: Claude
 * Code 2.1.332 records a long paste as `<pasted_content id="…">\nTEXT\n
 * </pasted_content id="…">` (2.1.197 recorded the text itself).
 *
 * @example
 * ```ts
 * import { unwrapPasted } from "./claude.ts";
 * unwrapPasted('\n\n<pasted_content id="7f">\nhi\n</pasted_content id="7f">\n'); // "hi"
 * ```
 * @param text a recorded user message
 */
export function unwrapPasted(text: string): string {
  if (!text.includes("<pasted_content id=")) return text;
  return text.replace(PASTED, (_, _id, inner: string) => inner).trim();
}

const RULE = /^─{3,}/;

/** What the input box shows when it holds no text. */
const HINTS = /^(Press up to edit queued messages|Try ".*")$/;

/**
 * The input box: a rule, a line starting with `❯` (the prompt, at the left
 * edge; a dialog's `❯ 1.` is indented), text lines, a rule. The last one
 * on screen.
 */
function inputBox(
  lines: readonly string[],
): { start: number; end: number } | undefined {
  for (let i = lines.length - 2; i >= 0; i--) {
    if (!RULE.test(lines[i]) || !lines[i + 1].startsWith("❯")) continue;
    let end = i + 1;
    while (end < lines.length && !RULE.test(lines[end])) end++;
    return { start: i + 1, end };
  }
  return undefined;
}

/**
 * A dialog's text ({@linkcode dialogText}): from its first line (the first
 * line matching `first`; for {@linkcode RULE}, the line after the last rule
 * above line `before`) to its last line (the key hints "… to cancel", or the
 * screen's end).
 */
function claudeDialog(
  lines: readonly string[],
  first: RegExp,
  before = lines.length,
): string {
  let start = 0;
  if (first === RULE) {
    for (let i = Math.min(before, lines.length) - 1; i >= 0; i--) {
      if (RULE.test(lines[i])) {
        start = i + 1;
        break;
      }
    }
  } else {
    start = Math.max(0, lines.findIndex((l) => first.test(l)));
  }
  return dialogText(lines, { start, end: /to cancel|to confirm/ });
}

/** An option of the folder-trust dialog, selected (`❯`) or not. */
const TRUST_OPTION =
  /^\s*(❯)?\s*(?:\d+\.\s*)?(Yes, I trust this folder|No, exit)\s*$/;

/**
 * Keys that move the trust dialog's selection to "Yes, I trust this
 * folder" and press Enter: 2.1.197 lists Yes first (selected), 2.1.332
 * lists "No, exit" first (selected), where a bare Enter quits Claude Code.
 * None when the options are not on the screen.
 */
function claudeTrustKeys(screen: string): string[] {
  const options = screenLines(screen).flatMap((line) => {
    const m = line.match(TRUST_OPTION);
    return m ? [{ selected: m[1] === "❯", yes: m[2].startsWith("Yes") }] : [];
  });
  const at = options.findIndex((o) => o.selected);
  const yes = options.findIndex((o) => o.yes);
  if (at < 0 || yes < 0) return [];
  const move = yes > at ? "Down" : "Up";
  return [...Array(Math.abs(yes - at)).fill(move), "Enter"];
}

/**
 * A Claude Code dialog with its choices (`❯ 1. Yes`, picked with the
 * arrows and Enter) and what it asks: the command between the dashed
 * fences (2.1.332), or the line under the dialog's title (2.1.197:
 * `Bash command`, then the command).
 */
function claudeChoices(state: PaneState): PaneState {
  if (state.kind !== "dialog") return state;
  const lines = state.text.split("\n");
  const choices = numberedChoices(lines, { mark: "❯" });
  const fences = lines.flatMap((l, i) => /^╌{3,}/.test(l) ? [i] : []);
  const question = lines.findIndex((l) => /^Do you want/.test(l));
  const asks = fences.length >= 2
    ? lines.slice(fences[0] + 1, fences[1]).join("\n")
    : question > 1
    ? lines[1]
    : undefined;
  return {
    ...state,
    ...(asks ? { asks } : {}),
    ...(choices.length > 0 ? { choices } : {}),
  };
}

/** Claude's screen read as a {@linkcode PaneState}, before the choices. */
function readClaudeScreen(screen: string): PaneState {
  const lines = screenLines(screen);
  const box = inputBox(lines);
  if (box) {
    // The footer under the box says "esc to interrupt" while a turn runs
    // (the spinner line above may be pushed up by a todo list).
    const footer = lines[box.end + 1] ?? "";
    const text = lines.slice(box.start, box.end).join("\n")
      .replace(/^❯[\u00a0 ]?/, "").trim();
    return {
      kind: "input",
      working: /esc to interrupt/i.test(footer),
      composer: HINTS.test(text) ? "" : text,
    };
  }
  if (/Yes, I trust this folder|Quick safety check/.test(screen)) {
    return {
      kind: "dialog",
      purpose: "trust",
      text: claudeDialog(lines, /Accessing workspace|Quick safety check/),
    };
  }
  if (/Make auto mode your default permission mode\?/.test(screen)) {
    return {
      kind: "dialog",
      purpose: "other",
      text: claudeDialog(
        lines,
        /Make auto mode your default permission mode/,
      ),
      hint:
        "Claude Code offers to make auto mode your default permission mode: answer it once in an interactive `claude` (your answer is kept)",
    };
  }
  if (/Auto mode can't check actions/.test(screen)) {
    // 2.1.332: auto mode's safety check runs on Anthropic's side; behind
    // a gateway that does not pass it (or a loopback model) the turn
    // stops here and asks a person.
    return {
      kind: "dialog",
      purpose: "permission",
      text: claudeDialog(lines, /Auto mode can't check actions/),
      hint:
        "Claude Code's auto mode cannot reach its safety check through this API endpoint: answer the dialog (Enter stays in auto mode and asks for each action), or start sessions in another permission mode (`create --permission-mode ask`, or permissions.defaultMode in your Claude settings)",
    };
  }
  if (/Adding a new directory:/.test(screen)) {
    // 2.1.332, at start-up, for an --add-dir it does not trust yet.
    return {
      kind: "dialog",
      purpose: "other",
      text: claudeDialog(lines, /Adding a new directory:/),
      hint:
        "Claude Code asks whether to trust a directory given with --add-dir: answer it once in an interactive `claude --add-dir DIR` (your answer is kept), or add a directory below the session's --cwd",
    };
  }
  if (/Do you want to use this API key/.test(screen)) {
    return {
      kind: "dialog",
      purpose: "login",
      text: claudeDialog(lines, /Do you want to use this API key/),
      hint:
        "Claude Code asks whether to use the API key from ANTHROPIC_API_KEY; approve it once in an interactive `claude`, or add its last 20 characters to customApiKeyResponses.approved in ~/.claude.json",
    };
  }
  if (
    /Select login method|Log in with your|Choose the text style|Unable to connect to Anthropic services/
      .test(screen)
  ) {
    return {
      kind: "dialog",
      purpose: "login",
      text: claudeDialog(
        lines,
        /Select login method|Log in with|Choose the text style|Unable to connect/,
      ),
      hint:
        "Claude Code is not logged in or not onboarded: run `claude` once interactively (or set ANTHROPIC_API_KEY and complete onboarding)",
    };
  }
  const menu = lines.findLastIndex((l) => /^\s*❯ 1\. /.test(l));
  if (menu >= 0) {
    const text = claudeDialog(lines, RULE, menu);
    return {
      kind: "dialog",
      purpose:
        /Do you want to (proceed|make this edit|create|allow)|permission/i
            .test(text)
          ? "permission"
          : "other",
      text,
    };
  }
  return { kind: "starting" };
}

/** Claude Code's own settings (its section of the config). */
export type ClaudeSettings = {
  claudeHub: string;
  claudeConfig: string;
  claudeSettings: string;
  claudeProjectsDir: string;
  claudeBin: string;
};

/** Claude Code's section of the config: its `AIMAX_*` variables and defaults. */
export const CLAUDE_SECTION: ConfigSection<keyof ClaudeSettings> = {
  vars: [
    {
      env: "AIMAX_CLAUDE_HUB",
      key: "claudeHub",
      defaultText: "imac_claude_code_agent_hub",
    },
    {
      env: "AIMAX_CLAUDE_CONFIG",
      key: "claudeConfig",
      defaultText: "~/.claude.json",
    },
    {
      env: "AIMAX_CLAUDE_SETTINGS",
      key: "claudeSettings",
      defaultText: "~/.claude/settings.api.json",
    },
    {
      env: "AIMAX_CLAUDE_PROJECTS_DIR",
      key: "claudeProjectsDir",
      defaultText: "~/.claude/projects",
    },
    { env: "AIMAX_CLAUDE_BIN", key: "claudeBin", defaultText: "claude" },
  ],
  resolve: (get, { home }) => ({
    claudeHub: get("AIMAX_CLAUDE_HUB") ?? "imac_claude_code_agent_hub",
    claudeConfig: get("AIMAX_CLAUDE_CONFIG") ?? join(home, ".claude.json"),
    claudeSettings: get("AIMAX_CLAUDE_SETTINGS") ??
      join(home, ".claude", "settings.api.json"),
    claudeProjectsDir: get("AIMAX_CLAUDE_PROJECTS_DIR") ??
      join(home, ".claude", "projects"),
    claudeBin: get("AIMAX_CLAUDE_BIN") ?? "claude",
  }),
};

/**
 * Claude Code's settings in `config`.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "../config.ts";
 * import { claudeSettings } from "./claude.ts";
 * console.log(claudeSettings(configFromEnv()).claudeBin);
 * ```
 * @param config the config
 */
export function claudeSettings(config: TmuxAgentsConfig): ClaudeSettings {
  return settingsOf(config, "tmux-claude-code", CLAUDE_SECTION);
}

/**
 * Claude Code as an {@linkcode AgentProfile}.
 *
 * @example
 * ```ts
 * import { TmuxAgentBackend } from "../backend/backend.ts";
 * import { configFromEnv } from "../config.ts";
 * import { claudeProfile } from "./claude.ts";
 * const backend = new TmuxAgentBackend(claudeProfile, configFromEnv());
 * ```
 */
export const claudeProfile: AgentProfile = {
  name: "tmux-claude-code",
  signal: (event) => claudeSignal(event),
  rawNames: [
    ...CLAUDE_HOOK_EVENTS,
    "last_assistant_message",
    "prompt_id",
  ],
  doctorSignals: { kind: "session_started", event: "SessionStart" },
  mcpRegistration: ({ command, args, tokenEnv }) => {
    const server: Record<string, unknown> = { command, args };
    if (tokenEnv) server.env = { [tokenEnv]: `\${${tokenEnv}}` };
    return {
      text: JSON.stringify({ mcpServers: { aimax: server } }, null, 2),
      note:
        `Save it as a file and start Claude Code with \`claude --mcp-config FILE\` (this run only), or register it once: claude mcp add aimax -- ${
          [command, ...args].join(" ")
        }`,
    };
  },
  label: "Claude Code",
  exitCommands: ["/exit", "/quit"],
  shortName: "claude",
  installHint:
    "Install Claude Code: `npm install -g @anthropic-ai/claude-code`",
  queueKey: "Enter",
  // Seen on the pinned TUI for a 59-line paste and for a 3-line one.
  pastePlaceholder: /^\[Pasted text #\d+(?: \+\d+ lines?)?\]$/,
  interruptKeys: ["Escape"],
  // 2.1.332 drops the keys pressed within 150 ms of drawing a permission
  // dialog (its dialogs' input grace). Measured on the pinned TUI: an Enter
  // 0, 50 or 100 ms after the dialog first showed in the pane was dropped
  // every time, 150, 200 or 300 ms after it was taken every time.
  dialogInputGuardMs: 150,
  acceptTrustKeys: claudeTrustKeys,
  envNames: [
    ...COMMON_ENV,
    "IS_SANDBOX",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_MODEL",
    "ANTHROPIC_SMALL_FAST_MODEL",
    "CLAUDE_CONFIG_DIR",
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL",
    "CLAUDE_CODE_DISABLE_TERMINAL_TITLE",
    "DISABLE_AUTOUPDATER",
    "DISABLE_TELEMETRY",
    "DISABLE_ERROR_REPORTING",
  ],
  envPrefixes: ["ANTHROPIC_", "CLAUDE_", "DISABLE_"],
  binEnvVar: "AIMAX_CLAUDE_BIN",
  config: CLAUDE_SECTION,
  testedRange: { oldest: "2.1.197", newest: "2.1.332" },
  versionFromScreen: (screen) =>
    screen.match(/Claude Code v(\d+\.\d+\.\d+)/)?.[1],

  paths: (config) => ({
    read: [
      join(config.home, ".claude"),
      claudeSettings(config).claudeConfig,
      claudeSettings(config).claudeProjectsDir,
      claudeSettings(config).claudeSettings,
      CLAUDE_MANAGED_DIR,
    ],
    write: [claudeSettings(config).claudeConfig],
  }),

  signalsBlocked: (config, cwd) => claudeHooksDisabled(config, cwd),

  permissionArgs(mode) {
    if (mode === "bypass" && runsAsRoot() && !Deno.env.get("IS_SANDBOX")) {
      throw new InputError(
        "Claude Code refuses bypassPermissions as root unless IS_SANDBOX=1 is set (aimax forwards it): run aimax with IS_SANDBOX=1 in a sandbox, or as another user",
      );
    }
    return ["--permission-mode", CLAUDE_PERMISSION_MODES[mode]];
  },
  defaultPermission: (config, cwd) => claudeDefaultPermission(config, cwd),
  ownedArgs: CLAUDE_OWNED_ARGS,
  checkRules: (rules) => void claudePermissionRules(rules),

  hub: (config) => claudeSettings(config).claudeHub,
  bin: (config) => claudeSettings(config).claudeBin,

  async recordTrust(config, cwd) {
    // Staged in the data dir, so a scoped --allow-write needs only the file.
    await Deno.mkdir(config.dataDir, {
      recursive: true,
      mode: PRIVATE_DIR_MODE,
    });
    await recordClaudeTrust(claudeSettings(config).claudeConfig, cwd, {
      tmpDir: config.dataDir,
    });
  },

  async plan(request: LaunchRequest): Promise<LaunchPlan> {
    const { config } = request;
    const uuid = request.agentSessionId ?? crypto.randomUUID();
    const argv = [
      claudeSettings(config).claudeBin,
      ...(request.agentSessionId
        ? ["--resume", request.agentSessionId]
        : ["--session-id", uuid]),
    ];
    if (request.model) argv.push(`--model=${request.model}`);
    const settings = await claudeRunSettings(
      claudeSettings(config).claudeSettings,
      request,
    );
    if (settings) argv.push(`--settings=${settings}`);
    if (request.permissionMode) {
      argv.push(...claudeProfile.permissionArgs(request.permissionMode));
    }
    argv.push(...request.agentArgs ?? []);
    return {
      argv: request.useProxy ? proxyArgv(config, argv) : argv,
      env: forwardEnv(claudeProfile.envNames, claudeProfile.envPrefixes),
      agentSessionId: uuid,
      jsonlPath: claudeTranscriptPath(config, request.cwd, uuid),
    };
  },

  readScreen(screen: string): PaneState {
    return claudeChoices(readClaudeScreen(screen));
  },

  transcriptEvents(r: Record<string, unknown>): AgentEventBody[] {
    // deno-lint-ignore no-explicit-any
    const message = r.message as Record<string, any> | undefined;
    if (r.type === "system" && r.subtype === "turn_duration") {
      return [{
        type: "turn_completed",
        ...(typeof r.durationMs === "number"
          ? { durationMs: r.durationMs }
          : {}),
      }];
    }
    if (!message || r.isMeta === true) return [];
    const content = message.content;
    if (r.type === "user") {
      if (typeof content === "string") {
        const text = unwrapPasted(content);
        return text.startsWith("<")
          ? []
          : [{ type: "turn_started" }, { type: "user_message", text }];
      }
      if (!Array.isArray(content)) return [];
      return content.flatMap((c): AgentEventBody[] => {
        if (c?.type === "tool_result") {
          return [{
            type: "tool_result",
            output: typeof c.content === "string"
              ? c.content
              : contentText(c.content),
            callId: c.tool_use_id,
            ...(c.is_error ? { isError: true } : {}),
          }];
        }
        if (c?.type !== "text" || typeof c.text !== "string") return [];
        if (c.text.startsWith("[Request interrupted")) {
          return [{ type: "turn_aborted" }];
        }
        const text = unwrapPasted(c.text);
        return text.startsWith("<")
          ? []
          : [{ type: "turn_started" }, { type: "user_message", text }];
      });
    }
    if (r.type === "assistant" && message.model !== "<synthetic>") {
      if (!Array.isArray(content)) return [];
      return content.flatMap((c): AgentEventBody[] => {
        if (c?.type === "text" && typeof c.text === "string") {
          return [{ type: "assistant_message", text: c.text }];
        }
        if (c?.type === "tool_use") {
          return [{
            type: "tool_call",
            name: String(c.name),
            input: c.input,
            callId: c.id,
          }];
        }
        return [];
      });
    }
    return [];
  },

  // For fast replies Claude Code writes a turn's answer and end before the
  // prompt: those records wait for their parent. A user record never waits
  // (its parent is earlier, possibly before a stream's start).
  recordLinks: (r) => ({
    id: typeof r.uuid === "string" ? r.uuid : undefined,
    parent: r.type !== "user" && typeof r.parentUuid === "string"
      ? r.parentUuid
      : undefined,
  }),

  summarize(r: Record<string, unknown>): string | undefined {
    const message = r.message as Record<string, unknown> | undefined;
    if ((r.type === "user" || r.type === "assistant") && message) {
      return clip(`${r.type}: ${contentText(message.content)}`);
    }
    if (r.type === "system" && r.subtype) return `system: ${r.subtype}`;
    return undefined;
  },

  promptRecord(record: unknown, text: string): PromptRecordKind | undefined {
    if (!record || typeof record !== "object") return undefined;
    const r = record as Record<string, unknown>;
    // Claude Code stores each pasted tab as four spaces.
    const norm = (t: string) => normalisePrompt(t).replaceAll("\t", "    ");
    const want = norm(text);
    if (r.type === "user") {
      const message = r.message as Record<string, unknown> | undefined;
      const got = textOf(message?.content);
      return got !== undefined && norm(got) === want ? "started" : undefined;
    }
    if (r.type === "queue-operation" && r.operation === "enqueue") {
      return typeof r.content === "string" && norm(r.content) === want
        ? "queued"
        : undefined;
    }
    return undefined;
  },
};
