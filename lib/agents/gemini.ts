/**
 * What is Gemini CLI's own: its argv (`--session-id` fixed in advance,
 * `--resume`, trust for the run only), its hooks (through a settings layer
 * aimax generates per run, never the user's `~/.gemini`), its transcript
 * (`.gemini/tmp/<project>/chats/session-*.jsonl`, a stream of changes),
 * screens, keys, and how to stop it: Gemini CLI outlives the SIGHUP of a
 * killed tmux window, so its process tree is ended first.
 *
 * @module
 */
import { dirname, join, resolve } from "../path.ts";
import type { ConfigSection, TmuxAgentsConfig } from "../config_types.ts";
import { InputError } from "../errors.ts";
import { readJsonl } from "../jsonl/reader.ts";
import type { AgentEventBody } from "../signals/events.ts";
import type { AgentSignal, SignalEvent } from "../signals/session_state.ts";
import { writeFileAtomic } from "../state.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";
import {
  hasRules,
  parseRule,
  type Rule,
  type SessionRules,
  unexpressible,
} from "../rules.ts";
import {
  type AgentProfile,
  clip,
  COMMON_ENV,
  type Discovery,
  type DiscoveryRequest,
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
import type {
  OwnedArg,
  PermissionMode,
  SessionPermission,
} from "../agent_options.ts";

/** Gemini CLI's own settings (its section of the config). */
export type GeminiSettings = {
  geminiHome: string;
  geminiHub: string;
  geminiBin: string;
};

/** Gemini CLI's section of the config: its `AIMAX_*` variables and defaults. */
export const GEMINI_SECTION: ConfigSection<keyof GeminiSettings> = {
  vars: [
    {
      env: "AIMAX_GEMINI_HOME",
      key: "geminiHome",
      defaultText: "$GEMINI_CLI_HOME or ~ (the folder holding .gemini)",
    },
    {
      env: "AIMAX_GEMINI_HUB",
      key: "geminiHub",
      defaultText: "imac_gemini_agent_hub",
    },
    { env: "AIMAX_GEMINI_BIN", key: "geminiBin", defaultText: "gemini" },
  ],
  derivedFrom: ["GEMINI_CLI_HOME"],
  resolve: (get, { home }) => ({
    geminiHome: get("AIMAX_GEMINI_HOME") ?? get("GEMINI_CLI_HOME") ?? home,
    geminiHub: get("AIMAX_GEMINI_HUB") ?? "imac_gemini_agent_hub",
    geminiBin: get("AIMAX_GEMINI_BIN") ?? "gemini",
  }),
};

/**
 * Gemini CLI's settings in `config`.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "../config.ts";
 * import { geminiSettings } from "./gemini.ts";
 * console.log(geminiSettings(configFromEnv()).geminiBin);
 * ```
 * @param config the config
 */
export function geminiSettings(config: TmuxAgentsConfig): GeminiSettings {
  return settingsOf(config, "tmux-gemini", GEMINI_SECTION);
}

/** The Gemini CLI hook events aimax listens to. */
export const GEMINI_HOOK_EVENTS = [
  "SessionStart",
  "BeforeAgent",
  "BeforeTool",
  "Notification",
  "AfterTool",
  "AfterAgent",
  "SessionEnd",
] as const;

/** The variable naming aimax's hook program in a Gemini CLI window. */
export const GEMINI_HOOK_ENV = "AIMAX_GEMINI_HOOK";

/** The variable naming the session's events file in a Gemini CLI window. */
export const GEMINI_EVENTS_ENV = "AIMAX_GEMINI_EVENTS";

/**
 * The shell command of aimax's hook for `event`: it runs aimax's hook
 * program on the session's events file, both named by the window's
 * environment ({@linkcode GEMINI_HOOK_ENV}, {@linkcode GEMINI_EVENTS_ENV}),
 * so that one settings block serves every session, and does nothing
 * outside aimax's windows (it reads the payload and drops it). It prints `{}`: Gemini CLI reads a hook's
 * output as JSON.
 *
 * @example
 * ```ts
 * import { geminiHookCommand } from "./gemini.ts";
 * console.log(geminiHookCommand("AfterAgent"));
 * ```
 * @param event a Gemini CLI hook event
 */
export function geminiHookCommand(event: string): string {
  return `if [ -n "$${GEMINI_HOOK_ENV}" ]; then "$${GEMINI_HOOK_ENV}" "$${GEMINI_EVENTS_ENV}" ${event}; else cat >/dev/null; fi; printf '{}'`;
}

/**
 * aimax's hooks as a Gemini CLI settings `hooks` block: one command per
 * event of {@linkcode GEMINI_HOOK_EVENTS}. Gemini CLI concatenates the
 * hooks of its settings layers, so the user's own hooks keep running.
 *
 * @example
 * ```ts
 * import { geminiHooks } from "./gemini.ts";
 * console.log(JSON.stringify({ hooks: geminiHooks() }, null, 2));
 * ```
 */
export function geminiHooks(): Record<string, unknown[]> {
  return Object.fromEntries(GEMINI_HOOK_EVENTS.map((event) => [event, [{
    matcher: "*",
    hooks: [{
      type: "command",
      command: geminiHookCommand(event),
      timeout: 10_000,
    }],
  }]]));
}

/**
 * What a Gemini CLI hook call means (its hook name and payload, as aimax's
 * hook script recorded them), or `undefined` for one aimax does not read.
 * `AfterAgent` also fires after an interrupted turn, with its partial text.
 *
 * @example
 * ```ts
 * import { geminiSignal } from "./gemini.ts";
 * geminiSignal({ at: 0, event: "AfterAgent", payload: { prompt: "hi", prompt_response: "ack: hi" } });
 * // { kind: "turn_ended", answer: "ack: hi", prompts: ["hi"] }
 * ```
 * @param event one events-file line
 */
export function geminiSignal(event: SignalEvent): AgentSignal | undefined {
  const p = event.payload ?? {};
  switch (event.event) {
    case "SessionStart":
      return { kind: "session_started" };
    case "BeforeAgent":
      return typeof p.prompt === "string"
        ? { kind: "turn_started", prompt: p.prompt }
        : { kind: "turn_started" };
    case "BeforeTool":
      return { kind: "tool_asked" };
    case "AfterTool":
      return { kind: "tool_ran" };
    case "Notification":
      return p.notification_type === "ToolPermission"
        ? { kind: "permission_asked" }
        : undefined;
    case "AfterAgent":
      return {
        kind: "turn_ended",
        ...(typeof p.prompt_response === "string"
          ? { answer: p.prompt_response }
          : {}),
        ...(typeof p.prompt === "string" ? { prompts: [p.prompt] } : {}),
      };
    case "SessionEnd":
      return { kind: "session_ended" };
    default:
      return undefined;
  }
}

/** Where Gemini CLI reads its system defaults on Linux. */
export const GEMINI_SYSTEM_DEFAULTS = "/etc/gemini-cli/system-defaults.json";

/** The largest settings file aimax reads. */
const SETTINGS_MAX_BYTES = 1024 * 1024;

/** One settings file as an object, or `undefined` (missing, too big, not JSON). */
async function settingsIn(
  path: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > SETTINGS_MAX_BYTES) return undefined;
    const { parse: parseJsonc } = await import("jsonc-parser");
    const value = parseJsonc(await Deno.readTextFile(path));
    return value && typeof value === "object" && !Array.isArray(value)
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/** The user's Gemini CLI settings file. */
function userSettingsPath(config: TmuxAgentsConfig): string {
  return join(geminiSettings(config).geminiHome, ".gemini", "settings.json");
}

/**
 * Whether Gemini CLI 0.61.0 would read a system settings file at `path`:
 * it skips one that it or any folder above it is not owned by root or is
 * writable by group or others (then it shows a security warning).
 *
 * @example
 * ```ts
 * import { geminiTrustsSystemFile } from "./gemini.ts";
 * console.log(await geminiTrustsSystemFile("/etc/gemini-cli/system-defaults.json"));
 * ```
 * @param path a file (it need not exist; its folders must)
 */
export async function geminiTrustsSystemFile(path: string): Promise<boolean> {
  let dir = dirname(path);
  for (;;) {
    try {
      const info = await Deno.stat(dir);
      if (info.uid !== 0 || ((info.mode ?? 0) & 0o022) !== 0) return false;
    } catch {
      return false;
    }
    const up = dirname(dir);
    if (up === dir) return true;
    dir = up;
  }
}

/**
 * The argv prefix that keeps Gemini CLI interactive. Gemini CLI runs
 * headless (reads a prompt from stdin, prints "No input provided via stdin"
 * and exits) whenever `CI` or `GITHUB_ACTIONS` is `"true"`, even on a
 * terminal. A pane inherits those from whoever started the tmux server, so
 * they are removed for the agent's process (and what it runs) only.
 */
export const GEMINI_INTERACTIVE_ENV: readonly string[] = [
  "env",
  "-u",
  "CI",
  "-u",
  "GITHUB_ACTIONS",
];

/** Whether the user's settings already run aimax's hooks (added by hand). */
async function userRunsHooks(config: TmuxAgentsConfig): Promise<boolean> {
  const hooks = (await settingsIn(userSettingsPath(config)))?.hooks;
  return JSON.stringify(hooks ?? {}).includes(GEMINI_HOOK_ENV);
}

/**
 * The per-run system-defaults file carrying aimax's hooks (the real system
 * defaults, if any, with aimax's hooks added), or `undefined` when the
 * user's own settings already run them or Gemini CLI would not read a file
 * in aimax's data dir (not root-owned all the way up).
 */
async function geminiRunDefaults(
  config: TmuxAgentsConfig,
  request: LaunchRequest,
): Promise<string | undefined> {
  const signals = request.signals;
  if (!signals || await userRunsHooks(config)) return undefined;
  const path = signals.runFile("gemini-system-defaults.json");
  await Deno.mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!await geminiTrustsSystemFile(path)) return undefined;
  const real = await settingsIn(
    Deno.env.get("GEMINI_CLI_SYSTEM_DEFAULTS_PATH") ?? GEMINI_SYSTEM_DEFAULTS,
  ) ?? {};
  const own = (real.hooks ?? {}) as Record<string, unknown[]>;
  const hooks: Record<string, unknown[]> = { ...own };
  for (const [event, entries] of Object.entries(geminiHooks())) {
    hooks[event] = [
      ...(Array.isArray(own[event]) ? own[event] : []),
      ...entries,
    ];
  }
  await writeFileAtomic(
    path,
    JSON.stringify({ ...real, hooks }, null, 2) + "\n",
    { mode: 0o600 },
  );
  return path;
}

/**
 * Why aimax's hooks cannot fire in Gemini CLI sessions, or `undefined`:
 * `hooksConfig.enabled: false` in the user's settings, or neither the
 * user's settings run them nor would Gemini CLI read aimax's per-run
 * settings layer (its folder is not root-owned all the way up, as for any
 * user but root). Never throws.
 *
 * @param config config snapshot
 */
export async function geminiHooksBlocked(
  config: TmuxAgentsConfig,
): Promise<SignalsBlock | undefined> {
  const path = userSettingsPath(config);
  const settings = await settingsIn(path);
  const hooksConfig = settings?.hooksConfig as
    | Record<string, unknown>
    | undefined;
  if (hooksConfig?.enabled === false) {
    return {
      source: path,
      detail: `"hooksConfig.enabled": false in ${path}`,
      fix: `remove "hooksConfig.enabled" from ${path}`,
    };
  }
  if (await userRunsHooks(config)) return undefined;
  const probe = join(config.dataDir, "events", "probe.json");
  if (await geminiTrustsSystemFile(probe)) return undefined;
  return {
    source: config.dataDir,
    detail:
      `Gemini CLI reads extra settings only from root-owned folders, and aimax's data dir ${config.dataDir} is not one`,
    fix:
      `add aimax's hooks to ${path} once (the block the README's Gemini CLI section shows; they do nothing outside aimax's windows)`,
  };
}

/**
 * Gemini CLI's `--approval-mode` for each of aimax's permission modes;
 * Gemini CLI has no automatic reviewer (`auto`).
 *
 * @example
 * ```ts
 * import { GEMINI_APPROVAL_MODES } from "./gemini.ts";
 * GEMINI_APPROVAL_MODES.edits; // "auto_edit"
 * ```
 */
export const GEMINI_APPROVAL_MODES: Readonly<
  Record<PermissionMode, string | undefined>
> = {
  ask: "default",
  edits: "auto_edit",
  plan: "plan",
  auto: undefined,
  bypass: "yolo",
};

/**
 * The permission mode a Gemini CLI session starts in without
 * `--permission-mode`: `general.defaultApprovalMode` of the user's
 * settings, else Gemini CLI's default (`ask`). Never throws.
 *
 * @param config config snapshot
 */
export async function geminiDefaultPermission(
  config: TmuxAgentsConfig,
): Promise<SessionPermission> {
  const path = userSettingsPath(config);
  const general = (await settingsIn(path))?.general as
    | Record<string, unknown>
    | undefined;
  const own = general?.defaultApprovalMode;
  // YOLO is taken only as a flag; in the settings it is ignored.
  if (typeof own !== "string" || own === "yolo") {
    return { mode: "ask", source: "default", detail: "Gemini CLI's default" };
  }
  const word = (Object.keys(GEMINI_APPROVAL_MODES) as PermissionMode[])
    .find((m) => GEMINI_APPROVAL_MODES[m] === own);
  return {
    mode: word ?? own,
    source: "settings",
    detail: `general.defaultApprovalMode in ${path}`,
  };
}

const SESSION_CHOICE =
  "aimax picks the conversation: --agent-session-id resumes one";
const NOT_A_SESSION =
  "aimax drives Gemini CLI's interactive TUI in its own window";

/** Gemini CLI's options that aimax sets itself or that break a session. */
const GEMINI_OWNED_ARGS: readonly OwnedArg[] = [
  {
    names: [
      "--session-id",
      "--resume",
      "-r",
      "--session-file",
      "--delete-session",
      "--list-sessions",
    ],
    instead: SESSION_CHOICE,
  },
  {
    names: ["--approval-mode", "--yolo", "-y"],
    instead:
      "use aimax's --permission-mode (bypass needs --allow-bypass as well)",
  },
  { names: ["--model", "-m"], instead: "use aimax's --model" },
  {
    names: ["--skip-trust"],
    instead: "aimax trusts the session's folder for the run itself",
  },
  {
    names: ["--worktree", "-w"],
    instead:
      "aimax finds the transcript from the session's directory: give the directory as --cwd",
  },
  {
    names: [
      "--prompt",
      "-p",
      "--prompt-interactive",
      "-i",
      "--output-format",
      "-o",
      "--acp",
      "--experimental-acp",
      "--list-extensions",
      "-l",
      "--help",
      "-h",
      "--version",
      "-v",
    ],
    instead: NOT_A_SESSION,
  },
];

/**
 * The transcripts of Gemini CLI session `id` among the chats of
 * `tmpDir` (`<home>/.gemini/tmp`), oldest first: the one its first run
 * wrote, then the one each `--resume` starts at launch.
 */
async function sessionFiles(
  tmpDir: string,
  options: { id: string; withPrompt?: boolean },
): Promise<string[]> {
  const found: { path: string; start: string }[] = [];
  const suffix = `-${options.id.slice(0, 8)}.jsonl`;
  let projects: Deno.DirEntry[] = [];
  try {
    projects = await Array.fromAsync(Deno.readDir(tmpDir));
  } catch {
    return [];
  }
  for (const project of projects) {
    if (!project.isDirectory) continue;
    const chats = join(tmpDir, project.name, "chats");
    let names: Deno.DirEntry[] = [];
    try {
      names = await Array.fromAsync(Deno.readDir(chats));
    } catch {
      continue;
    }
    for (const entry of names) {
      if (!entry.name.startsWith("session-") || !entry.name.endsWith(suffix)) {
        continue;
      }
      const path = join(chats, entry.name);
      const meta = await firstRecord(path);
      if (meta?.sessionId !== options.id) continue;
      if (options.withPrompt && !await holdsPrompt(path)) continue;
      found.push({
        path,
        start: typeof meta.startTime === "string" ? meta.startTime : "",
      });
    }
  }
  return found.sort((a, b) => a.start.localeCompare(b.start)).map((f) =>
    f.path
  );
}

/** The largest transcript read whole to see whether it holds a prompt. */
const TRANSCRIPT_SCAN_BYTES = 64 * 1024 * 1024;

/** Whether a transcript holds a person's prompt (not only the CLI's context). */
async function holdsPrompt(path: string): Promise<boolean> {
  try {
    if ((await Deno.stat(path)).size > TRANSCRIPT_SCAN_BYTES) return true;
    const text = await Deno.readTextFile(path);
    for (const line of text.split("\n")) {
      if (!line.includes('"type":"user"')) continue;
      try {
        const text = userText(JSON.parse(line));
        if (text !== undefined && !isContext(text)) return true;
      } catch {
        // a line being written
      }
    }
  } catch {
    // gone meanwhile
  }
  return false;
}

/** The first line of a transcript, parsed (at most 64 KiB read). */
async function firstRecord(
  path: string,
): Promise<Record<string, unknown> | undefined> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path);
    const buffer = new Uint8Array(64 * 1024);
    const n = await file.read(buffer) ?? 0;
    const text = new TextDecoder().decode(buffer.subarray(0, n));
    const line = text.split("\n")[0];
    const value = JSON.parse(line);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  } finally {
    file?.close();
  }
}

/**
 * The transcript of Gemini CLI session `id`: the newest chat file whose
 * first record names it and that holds a prompt (else the newest one).
 * `--resume` (0.61.0) goes on in that file once it has loaded it (it
 * writes `$set` lines there); the file it starts at launch keeps only what
 * was typed before that (and stays, holding no prompt, after a SIGTERM),
 * so aimax waits for the load ({@linkcode geminiProfile}'s `settled`).
 *
 * @example
 * ```ts ignore
 * import { configFromEnv } from "../config.ts";
 * import { findGeminiTranscript } from "./gemini.ts";
 * console.log(await findGeminiTranscript(configFromEnv(), "11111111-2222-4333-8444-555555555555"));
 * ```
 * @param config config snapshot
 * @param id the session id (`--session-id`)
 */
export async function findGeminiTranscript(
  config: TmuxAgentsConfig,
  id: string,
): Promise<string | undefined> {
  const tmp = join(geminiSettings(config).geminiHome, ".gemini", "tmp");
  const files = await sessionFiles(tmp, { id, withPrompt: true });
  return files.at(-1) ?? (await sessionFiles(tmp, { id })).at(-1);
}

/** The text of a user record's content, or `undefined` when it holds none. */
function userText(record: Record<string, unknown>): string | undefined {
  if (record.type !== "user") return undefined;
  const content = record.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  if (content.some((c) => c && typeof c === "object" && c.functionResponse)) {
    return undefined;
  }
  const texts = content
    .filter((c) => c && typeof c === "object" && typeof c.text === "string")
    .map((c) => String(c.text));
  return texts.length > 0 ? texts.join("\n") : undefined;
}

/** Whether a user text is Gemini CLI's own (the session's context). */
function isContext(text: string): boolean {
  return /^\s*<session_context>/.test(text);
}

/** A model record's text. */
function modelText(record: Record<string, unknown>): string {
  const content = record.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.filter((c) => c && typeof c === "object")
    .map((c) => typeof c.text === "string" ? c.text : "").join("");
}

/** A tool call's output as Gemini CLI records it (`functionResponse`). */
function toolOutput(call: Record<string, unknown>): string {
  const result = Array.isArray(call.result) ? call.result : [];
  return result.map((r) => {
    const response = r?.functionResponse?.response;
    if (typeof response?.output === "string") return response.output;
    if (typeof response?.error === "string") return response.error;
    return response === undefined ? "" : JSON.stringify(response);
  }).join("\n").replace(
    /^<untrusted_context>\n?|\n?<\/untrusted_context>$/g,
    "",
  );
}

/**
 * The events of one Gemini CLI transcript record. The file is a stream of
 * changes: `$set` lines (metadata, or `messages`, a replacement of the
 * whole list after a cancelled turn or at a resume, which holds only
 * messages already written or the CLI's own context) give none; a message
 * is appended when it is complete, and a model message that called tools
 * is appended again, with the same id, once they ran (`toolCalls`): its
 * first copy gives its text and the second only its tools, so nothing
 * repeats. A model message without tools and with text ends the turn (no
 * record says so); an `info` record "Request cancelled." aborts it.
 *
 * @example
 * ```ts
 * import { geminiTranscriptEvents } from "./gemini.ts";
 * geminiTranscriptEvents({ id: "a", type: "gemini", content: "ack: hi" });
 * // [{ type: "assistant_message", text: "ack: hi" }, { type: "turn_completed", text: "ack: hi" }]
 * ```
 * @param r one parsed transcript line
 */
export function geminiTranscriptEvents(
  r: Record<string, unknown>,
): AgentEventBody[] {
  if ("$set" in r || typeof r.type !== "string") return [];
  if (r.type === "user") {
    const text = userText(r);
    if (text === undefined || isContext(text)) return [];
    return [{ type: "turn_started" }, { type: "user_message", text }];
  }
  if (r.type === "info") {
    return /^Request cancelled/.test(String(r.content ?? ""))
      ? [{ type: "turn_aborted" }]
      : [];
  }
  if (r.type !== "gemini") return [];
  const calls = Array.isArray(r.toolCalls)
    ? r.toolCalls.filter((c) => c && typeof c === "object")
    : [];
  if (calls.length > 0) {
    return calls.flatMap((c): AgentEventBody[] => {
      const callId = typeof c.id === "string" ? c.id : undefined;
      return [
        {
          type: "tool_call",
          name: String(c.name),
          input: c.args,
          ...(callId ? { callId } : {}),
        },
        {
          type: "tool_result",
          output: toolOutput(c),
          ...(callId ? { callId } : {}),
          ...(c.status === "error" ? { isError: true } : {}),
        },
      ];
    });
  }
  const text = modelText(r);
  if (text.trim() === "") return [];
  return [
    { type: "assistant_message", text },
    { type: "turn_completed", text },
  ];
}

/**
 * Whether the transcript's last records show a turn running: its prompt
 * (at or after `since`) or a tool call is the last message, with no answer
 * or cancel after it. `undefined` when the records tell nothing.
 *
 * @param records parsed transcript lines, oldest first
 * @param since ms since epoch: the window's start
 */
export function geminiTranscriptWorking(
  records: readonly unknown[],
  since: number,
): boolean | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i] as Record<string, unknown> | null;
    if (!r || typeof r !== "object" || "$set" in r) continue;
    const events = geminiTranscriptEvents(r);
    if (
      events.some((e) =>
        e.type === "turn_completed" || e.type === "turn_aborted"
      )
    ) {
      return false;
    }
    if (events.some((e) => e.type === "user_message")) {
      return Date.parse(String(r.timestamp ?? "")) >= since;
    }
    if (
      r.type === "gemini" || (r.type === "user" && userText(r) === undefined)
    ) {
      return Date.parse(String(r.timestamp ?? "")) >= since;
    }
  }
  return undefined;
}

/** A rule line of the TUI. */
const RULE = /^─{20,}/;

/**
 * The input box's first line: its mark (`>`; `*` in YOLO mode, `!` in
 * shell mode), then the text or the placeholder.
 */
const BOX = /^\s*[>*!]\s+/;

/** What the empty input box shows. */
const PLACEHOLDER = /^Type your message or @path\/to\/file$/;

/** The footer under the input box. */
const FOOTER = /^\s*workspace \(|^\s*~?\/\S*\s{2,}.*sandbox/;

/** A running turn's status line: a spinner, or "(esc to cancel, 3s)". */
const STATUS = /^\s*[\u2800-\u28ff]\s|\(esc to cancel/;

/** A dialog's lines without the borders of its boxes (nested ones too). */
function unboxed(lines: readonly string[]): string[] {
  return lines.map((l) =>
    l.replace(/^[\s│╭╰]+/, "").replace(/[\s│╮╯]+$/, "").replace(/^─+$/, "")
  );
}

/** Gemini CLI's screen as a {@linkcode PaneState}, before the choices. */
function readGeminiScreen(screen: string): PaneState {
  const lines = screenLines(screen);
  const menu = lines.findLastIndex((l) => /^\s*│?\s*● 1\. /.test(l));
  if (menu >= 0) {
    const inner = unboxed(lines);
    let start = menu;
    while (start > 0 && !/^\s*╭/.test(lines[start])) start--;
    const text = dialogText(inner, { start, end: /\(esc\)\s*$/ });
    if (/Do you trust (this|the files)/i.test(text)) {
      return { kind: "dialog", purpose: "trust", text };
    }
    return {
      kind: "dialog",
      purpose:
        /Allow execution|Apply this change|Allow .*\?|proceed/i.test(text)
          ? "permission"
          : "other",
      text,
    };
  }
  if (/Get started|How would you like to authenticate/.test(screen)) {
    return {
      kind: "dialog",
      purpose: "login",
      text: dialogText(lines, {
        start: Math.max(
          0,
          lines.findIndex((l) => /Get started|authenticate/.test(l)),
        ),
        end: /\(Use Enter/,
      }),
      hint:
        "Gemini CLI is not logged in: run `gemini` once interactively, or set GEMINI_API_KEY",
    };
  }
  const rule = lines.findLastIndex((l) => RULE.test(l.trim()));
  if (rule < 0) return { kind: "starting" };
  const box = lines.findIndex((l, i) => i > rule && BOX.test(l));
  const footer = lines.findIndex((l, i) => i > box && FOOTER.test(l));
  if (box < 0 || footer < 0) return { kind: "starting" };
  const text = [lines[box].replace(BOX, "")]
    .concat(lines.slice(box + 1, footer).map((l) => l.trim()))
    .join("\n").trim();
  const status = lines.slice(Math.max(0, rule - 4), rule);
  return {
    kind: "input",
    working: status.some((l) => STATUS.test(l)),
    composer: PLACEHOLDER.test(text) ? "" : text,
  };
}

/**
 * A Gemini CLI dialog with its choices (`● 1. Allow once`, picked with the
 * arrows and Enter, or its number) and what it asks: the command in the box
 * under the tool's name.
 */
function geminiChoices(state: PaneState): PaneState {
  if (state.kind !== "dialog") return state;
  const lines = state.text.split("\n");
  const choices = numberedChoices(lines, {
    mark: "●",
    shortcut: (words) => {
      const m = /^(.*?)\s*\((esc)\)$/.exec(words);
      return m ? { label: m[1], key: "Escape" } : { label: words };
    },
  }).map((c) => ({
    ...c,
    kind: /^Allow once/i.test(c.label)
      ? "yes" as const
      : /^Allow/i.test(c.label)
      ? "always" as const
      : /^No\b/i.test(c.label)
      ? "no" as const
      : c.kind,
  }));
  // The tool's line: `? Shell  touch /tmp/x` (its name, two spaces, what).
  const asks = lines.map((l) => /^\?\s+\S+\s{2,}(.+)$/.exec(l)?.[1])
    .find((a) => a !== undefined)?.trim();
  return {
    ...state,
    ...(asks ? { asks } : {}),
    ...(choices.length > 0 ? { choices } : {}),
  };
}

/**
 * Every process as `ps` lists it: pid, parent and whether it runs (a
 * zombie does not). `ps`, not `/proc`: Deno lets only `--allow-all` read
 * another process's `/proc` files.
 */
async function processTable(): Promise<
  { pid: number; ppid: number; running: boolean }[]
> {
  try {
    const out = await new Deno.Command("ps", {
      args: ["-e", "-o", "pid=,ppid=,stat="],
      stdout: "piped",
      stderr: "null",
    }).output();
    return new TextDecoder().decode(out.stdout).split("\n").flatMap((line) => {
      const [pid, ppid, stat] = line.trim().split(/\s+/);
      return pid && ppid
        ? [{
          pid: Number(pid),
          ppid: Number(ppid),
          running: !(stat ?? "").startsWith("Z"),
        }]
        : [];
    });
  } catch {
    return [];
  }
}

/** Sends `signal` to `pids` with `kill` (Deno.kill needs an unscoped --allow-run). */
async function signalPids(pids: number[], signal: string): Promise<void> {
  if (pids.length === 0) return;
  await new Deno.Command("kill", {
    args: [`-${signal}`, ...pids.map(String)],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
}

/**
 * Ends a Gemini CLI process tree: Gemini CLI ignores the SIGHUP of a
 * killed tmux window, and its relaunched child then spins. SIGTERM goes to
 * the descendants first (the child saves and exits, and its parent with
 * it), then to `pid`; what still runs after `graceMs` gets SIGKILL.
 * Resolves once none of them runs, or throws when one still does.
 *
 * @example
 * ```ts ignore
 * import { stopGeminiTree } from "./gemini.ts";
 * await stopGeminiTree(12345);
 * ```
 * @param pid the pane's process (Gemini CLI's parent process)
 * @param options `graceMs` before SIGKILL (default 5 s)
 */
export async function stopGeminiTree(
  pid: number,
  options: { graceMs?: number } = {},
): Promise<void> {
  const table = await processTable();
  const tree: number[] = [];
  const walk = (p: number) => {
    for (const child of table.filter((t) => t.ppid === p)) {
      tree.push(child.pid);
      walk(child.pid);
    }
  };
  walk(pid);
  const all = [...tree.reverse(), pid];
  const left = async () => {
    const now = await processTable();
    return all.filter((p) => now.some((t) => t.pid === p && t.running));
  };
  await signalPids(tree, "TERM");
  const deadline = Date.now() + (options.graceMs ?? 5_000);
  let parentTermed = false;
  while (Date.now() < deadline) {
    const still = await left();
    if (still.length === 0) return;
    if (!parentTermed && !still.some((p) => p !== pid)) {
      await signalPids([pid], "TERM");
      parentTermed = true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await signalPids(await left(), "KILL");
  const killed = Date.now() + 2_000;
  while (Date.now() < killed) {
    if ((await left()).length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `Gemini CLI's processes ${
      (await left()).join(", ")
    } still run after SIGKILL`,
  );
}

/** A word of a `bash:` rule Gemini CLI can match as text: no quote, escape, wildcard or operator. */
const PLAIN_WORD = /^[A-Za-z0-9_.\/:=@%+,-]+$/;

/** The leading words of a `bash:` rule (`WORDS *`), or a refusal naming it. */
function geminiCommandWords(rule: Rule): string[] {
  const fail = (why: string) =>
    unexpressible(rule, { label: "Gemini CLI", why });
  const words = rule.pattern.split(/\s+/).filter((w) => w !== "");
  if (words.at(-1) !== "*") {
    throw fail(
      'its policy rules match the leading words of a command: end the pattern with " *" (e.g. "bash:npm test *")',
    );
  }
  const prefix = words.slice(0, -1);
  if (prefix.length === 0) {
    throw fail("its policy rules need at least the command's first word");
  }
  if (!prefix.every((w) => PLAIN_WORD.test(w))) {
    throw fail(
      'its policy rules match a command\'s text: each word must be plain (letters, digits and _ . / : = @ % + , -), and only a last " *" may stand for the rest',
    );
  }
  return prefix;
}

/** A regex's text matching `text` literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * The `commandRegex` of a denied command. Gemini CLI tests it, after
 * `"command":"`, against the call's arguments as JSON (where a tab is `\t`,
 * a quote `\"` and a backslash `\\`), and on each part of a compound
 * command (`a && b`, `a; b`, `bash -c '…'`) on its own. Each word may be
 * written plain, in quotes (`"rm"`, `'rm'`) or with a backslash (`\rm`);
 * between the words any run of blanks (spaces, tabs, line continuations);
 * after the last one a blank, the end of the command, a quote or a
 * backslash. It may also catch a few spellings no one writes (`rmt x` for
 * `rm *`): a deny errs on the side of denying. (Gemini CLI refuses a
 * group with a quantifier as a possible ReDoS, so the blanks are a class.)
 *
 * @example
 * ```ts
 * import { geminiDenyRegex } from "./gemini.ts";
 * const regex = new RegExp(`"command":"${geminiDenyRegex(["rm"])}`);
 * regex.test(JSON.stringify({ command: "rm\tx" })); // true
 * regex.test(JSON.stringify({ command: "rmdir x" })); // false
 * ```
 * @param words the rule's leading words (plain, as
 *   {@linkcode geminiRulesFile} checks them)
 */
export function geminiDenyRegex(words: readonly string[]): string {
  return words.map((word) => {
    const w = literal(word);
    return `(?:${w}|\\\\"${w}\\\\"|'${w}'|\\\\\\\\${w})`;
  }).join("[ \\\\tn]+") + '(?:[ "\']|\\\\[tnr"\\\\])';
}

/**
 * The `commandRegex` of an allowed command: its words as written with one
 * space between them, then a blank or the end of the command. Gemini CLI's
 * own `commandPrefix` would also take a quote after the last word
 * (`touch"y" x`, which runs `touchy`); a command spelled otherwise (other
 * blanks, quotes) is not matched and asks as before.
 *
 * @example
 * ```ts
 * import { geminiAllowRegex } from "./gemini.ts";
 * const regex = new RegExp(`"command":"${geminiAllowRegex(["touch"])}`);
 * regex.test(JSON.stringify({ command: "touch a" })); // true
 * regex.test(JSON.stringify({ command: 'touch"y" a' })); // false
 * ```
 * @param words the rule's leading words (plain, as
 *   {@linkcode geminiRulesFile} checks them)
 */
export function geminiAllowRegex(words: readonly string[]): string {
  return `${literal(words.join(" "))}(?:[ "]|\\\\t)`;
}

/**
 * A TOML basic string: JSON's escapes are TOML's for text without
 * control characters (rules have none).
 */
const tomlString = (text: string) => JSON.stringify(text);

/**
 * The priority of a session's deny rules: the highest of Gemini CLI's user
 * tier (4.999), above every rule of its default, extension and workspace
 * tiers, its flags and settings (`tools.exclude` 4.4, `tools.allowed` 4.3)
 * and the user's own policies; only an administrator's (tier 5) outrank it.
 */
export const GEMINI_DENY_PRIORITY = 999;

/**
 * The priority of a session's allow rules: the lowest of the user tier
 * (4.000), above Gemini CLI's defaults (which ask) but below every policy
 * of the user's own, so a rule the user wrote (a deny, an ask) still wins.
 */
export const GEMINI_ALLOW_PRIORITY = 0;

/**
 * A session's rules as a Gemini CLI policy file (TOML `[[rule]]` entries),
 * given to one run with `--policy`:
 *
 * - `bash:WORDS *` allowed: `commandPrefix = "WORDS"` on
 *   `run_shell_command` (Gemini CLI matches it on a word boundary, and
 *   checks each part of a compound command on its own); a command written
 *   with other blanks or with a redirection still asks;
 * - `bash:WORDS *` denied: a `commandRegex` that takes any blanks between
 *   the words ({@linkcode geminiDenyRegex});
 * - `tool:NAME`: `toolName = "NAME"`, one of Gemini CLI's own tool names
 *   (`web_fetch`, `write_file`).
 *
 * Denies have {@linkcode GEMINI_DENY_PRIORITY} and apply in every mode;
 * allows have {@linkcode GEMINI_ALLOW_PRIORITY} and apply in every mode
 * but plan mode (which stays read-only).
 *
 * @example
 * ```ts
 * import { geminiRulesFile } from "./gemini.ts";
 * console.log(geminiRulesFile({ allow: ["bash:touch *"], deny: ["bash:rm *"] }));
 * ```
 * @param rules the session's rules (checked)
 * @throws {InputError} naming the first rule Gemini CLI cannot express:
 *   an `edit:` or `read:` rule (its file tools take a path relative or
 *   absolute, and its policies match the arguments as text, so a glob
 *   cannot be matched exactly), or a `bash:` pattern other than plain
 *   words and a last `*`
 */
export function geminiRulesFile(rules: SessionRules): string {
  const lines = [
    "# Written by aimax for one session (create --allow/--deny).",
  ];
  for (const list of ["deny", "allow"] as const) {
    for (const text of rules[list]) {
      const rule = parseRule(text);
      const entry = [
        "",
        "[[rule]]",
        `# aimax --${list} ${rule.text}`,
      ];
      if (rule.kind === "bash") {
        const words = geminiCommandWords(rule);
        entry.push('toolName = "run_shell_command"');
        entry.push(
          list === "deny"
            ? `commandRegex = ${tomlString(geminiDenyRegex(words))}`
            : `commandRegex = ${tomlString(geminiAllowRegex(words))}`,
        );
      } else if (rule.kind === "tool") {
        entry.push(`toolName = ${tomlString(rule.pattern)}`);
      } else {
        throw unexpressible(rule, {
          label: "Gemini CLI",
          why:
            "its file tools take a path relative or absolute and its policies match the arguments as text, so a path glob cannot be matched exactly",
        });
      }
      if (list === "deny") {
        entry.push(
          'decision = "deny"',
          `priority = ${GEMINI_DENY_PRIORITY}`,
          `denyMessage = ${tomlString(`aimax --deny ${rule.text}`)}`,
        );
      } else {
        entry.push(
          'decision = "allow"',
          `priority = ${GEMINI_ALLOW_PRIORITY}`,
          'modes = ["default", "autoEdit", "yolo"]',
        );
      }
      lines.push(...entry);
    }
  }
  return lines.join("\n") + "\n";
}

/** Where Gemini CLI reads its system settings on Linux. */
const GEMINI_SYSTEM_SETTINGS = "/etc/gemini-cli/settings.json";

/** The most policy paths aimax gives again from the settings. */
const MAX_POLICY_PATHS = 64;

/**
 * A settings string with `$NAME`, `${NAME}` and `${NAME:-default}` filled
 * in from the environment, as Gemini CLI reads its settings.
 */
function withEnv(text: string): string {
  return text.replace(
    /\$(?:(\w+)|{([^}]+?)(?::-([^}]*))?})/g,
    (match, plain?: string, braced?: string, fallback?: string) => {
      const value = Deno.env.get(plain || braced || "");
      return value ?? fallback ?? match;
    },
  );
}

/**
 * The policy paths Gemini CLI loads for the user without `--policy`: the
 * union of `policyPaths` in its settings layers (system defaults, the
 * user's, the workspace's, the system's; a system file only when Gemini
 * CLI would read it), else `~/.gemini/policies`. A `--policy` flag replaces
 * them, so they are given again after the session's file.
 */
async function userPolicyPaths(
  config: TmuxAgentsConfig,
  cwd: string,
): Promise<string[]> {
  const home = join(geminiSettings(config).geminiHome, ".gemini");
  const system = Deno.env.get("GEMINI_CLI_SYSTEM_SETTINGS_PATH") ??
    GEMINI_SYSTEM_SETTINGS;
  const defaults = Deno.env.get("GEMINI_CLI_SYSTEM_DEFAULTS_PATH") ??
    join(dirname(system), "system-defaults.json");
  const workspace = resolve(cwd, ".gemini");
  const layers = [
    await geminiTrustsSystemFile(defaults) ? defaults : undefined,
    userSettingsPath(config),
    // Gemini CLI reads no workspace layer in the home folder itself.
    workspace === resolve(home) ? undefined : join(workspace, "settings.json"),
    await geminiTrustsSystemFile(system) ? system : undefined,
  ];
  const paths: string[] = [];
  for (const layer of layers) {
    if (!layer) continue;
    const own = (await settingsIn(layer))?.policyPaths;
    if (!Array.isArray(own)) continue;
    for (const path of own) {
      if (typeof path !== "string" || path === "") continue;
      const filled = withEnv(path);
      if (!paths.includes(filled)) paths.push(filled);
    }
  }
  return paths.length > 0
    ? paths.slice(0, MAX_POLICY_PATHS)
    : [join(home, "policies")];
}

/**
 * The `--policy` arguments that give one run a session's rules
 * ({@linkcode geminiRulesFile}, written to the run's files, mode 0600):
 * the session's file first (its rules win a tie), then the user's own
 * policies, which `--policy` would otherwise drop. The user's `~/.gemini`
 * is never written.
 */
async function geminiRulesArgs(request: LaunchRequest): Promise<string[]> {
  const rules = request.rules;
  if (!rules || !hasRules(rules)) return [];
  if (!request.signals) {
    throw new InputError(
      "rules need files of this run: start the session through the backend",
    );
  }
  const file = request.signals.runFile("gemini-rules.toml");
  if (file.includes(",")) {
    // Gemini CLI splits a --policy value at commas.
    throw new InputError(
      `Gemini CLI cannot load rules from ${file}: the path holds a comma (set AIMAX_DATA_DIR to a folder without one)`,
    );
  }
  await Deno.mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  await Deno.writeTextFile(file, geminiRulesFile(rules), { mode: 0o600 });
  const paths = [
    file,
    ...await userPolicyPaths(request.config, request.cwd),
  ];
  return paths.flatMap((path) => ["--policy", path]);
}

/**
 * Gemini CLI as an {@linkcode AgentProfile}.
 *
 * @example
 * ```ts
 * import { TmuxAgentBackend } from "../backend/backend.ts";
 * import { configFromEnv } from "../config.ts";
 * import { geminiProfile } from "./gemini.ts";
 * const backend = new TmuxAgentBackend(geminiProfile, configFromEnv());
 * ```
 */
export const geminiProfile: AgentProfile = {
  name: "tmux-gemini",
  label: "Gemini CLI",
  exitCommands: ["/quit", "/exit"],
  shortName: "gemini",
  installHint: "Install Gemini CLI: `npm install -g @google/gemini-cli`",
  // Enter during a turn queues ("Queued (press ↑ to edit):").
  queueKey: "Enter",
  pastePlaceholder: /^\[Pasted Text: \d+ lines?\]$/,
  // One Escape cancels ("ℹ Request cancelled.").
  interruptKeys: ["Escape"],
  // Gemini CLI 0.61.0 drops an Enter pressed within ~0.25 s of its ready
  // screen, and leaves a paste in the box when Enter comes in its write.
  // After an Escape it starts its queued prompts by itself, ~1.3 s later
  // (the cancelled turn's AfterAgent hook runs first).
  timings: { readySettleMs: 500, submitGapMs: 100, interruptSettleMs: 3_000 },
  acceptTrustKeys: () => [],
  envNames: [
    ...COMMON_ENV,
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GEMINI_MODEL",
    "GEMINI_CLI_HOME",
    "GEMINI_CLI_TRUST_WORKSPACE",
    "GEMINI_CLI_SYSTEM_SETTINGS_PATH",
    "GEMINI_CLI_SYSTEM_DEFAULTS_PATH",
  ],
  envPrefixes: ["GEMINI_", "GOOGLE_"],
  binEnvVar: "AIMAX_GEMINI_BIN",
  config: GEMINI_SECTION,
  testedRange: { oldest: "0.61.0", newest: "0.61.0" },
  // The banner, drawn a moment after the input box, shows the version
  // (unless `ui.hideBanner` is set).
  versionFromScreen: (screen) =>
    screen.match(/Gemini CLI v(\d+\.\d+\.\d+)/)?.[1],

  signal: (event) => geminiSignal(event),
  // "Notification" is also the browser's API (the page uses it): not held.
  rawNames: [
    ...GEMINI_HOOK_EVENTS.filter((event) => event !== "Notification"),
    "prompt_response",
    "ToolPermission",
  ],
  doctorSignals: { kind: "session_started", event: "SessionStart" },

  paths: (config) => ({
    read: [
      join(geminiSettings(config).geminiHome, ".gemini"),
      GEMINI_SYSTEM_DEFAULTS,
    ],
    write: [],
    run: ["kill", "ps"],
  }),

  hub: (config) => geminiSettings(config).geminiHub,
  bin: (config) => geminiSettings(config).geminiBin,

  signalsBlocked: (config) => geminiHooksBlocked(config),

  permissionArgs(mode) {
    const own = GEMINI_APPROVAL_MODES[mode];
    if (own === undefined) {
      throw new InputError(
        `Gemini CLI has no permission mode like "${mode}": use ask, edits, plan or bypass`,
      );
    }
    return ["--approval-mode", own];
  },
  defaultPermission: (config) => geminiDefaultPermission(config),
  ownedArgs: GEMINI_OWNED_ARGS,
  checkRules: (rules) => void geminiRulesFile(rules),

  recordTrust() {
    // Trust travels with the launch (`--skip-trust`), for that run only.
    return Promise.resolve();
  },

  async plan(request: LaunchRequest): Promise<LaunchPlan> {
    const { config } = request;
    const uuid = request.agentSessionId ?? crypto.randomUUID();
    const argv = [
      ...GEMINI_INTERACTIVE_ENV,
      geminiSettings(config).geminiBin,
      ...(request.agentSessionId
        ? ["--resume", request.agentSessionId]
        : ["--session-id", uuid]),
      "--skip-trust",
    ];
    if (request.model) argv.push("--model", request.model);
    if (request.permissionMode) {
      argv.push(...geminiProfile.permissionArgs(request.permissionMode));
    }
    argv.push(...await geminiRulesArgs(request));
    argv.push(...request.agentArgs ?? []);
    const env = forwardEnv(geminiProfile.envNames, geminiProfile.envPrefixes);
    if (geminiSettings(config).geminiHome !== config.home) {
      env.GEMINI_CLI_HOME = geminiSettings(config).geminiHome;
    }
    if (request.signals) {
      env[GEMINI_HOOK_ENV] = request.signals.hook;
      env[GEMINI_EVENTS_ENV] = request.signals.events;
      const defaults = await geminiRunDefaults(config, request);
      if (defaults) env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH = defaults;
    }
    const jsonlPath = request.agentSessionId
      ? await findGeminiTranscript(config, request.agentSessionId) ?? null
      : null;
    return {
      argv: request.useProxy ? proxyArgv(config, argv) : argv,
      env,
      agentSessionId: uuid,
      jsonlPath,
    };
  },

  readScreen(screen: string): PaneState {
    return geminiChoices(readGeminiScreen(screen));
  },

  transcriptEvents: geminiTranscriptEvents,

  summarize(r: Record<string, unknown>): string | undefined {
    if ("$set" in r) {
      const set = r.$set as Record<string, unknown> | undefined;
      return set && Array.isArray(set.messages)
        ? `messages replaced (${set.messages.length})`
        : undefined;
    }
    if (r.type === "user") {
      const text = userText(r);
      return clip(`user: ${text ?? "[tool result]"}`);
    }
    if (r.type === "gemini") {
      const calls = Array.isArray(r.toolCalls) ? r.toolCalls : [];
      return clip(
        calls.length > 0
          ? `gemini: [tools ${calls.map((c) => c?.name).join(", ")}]`
          : `gemini: ${modelText(r)}`,
      );
    }
    if (r.type === "info" || r.type === "error" || r.type === "warning") {
      return clip(`${r.type}: ${String(r.content ?? "")}`);
    }
    if (typeof r.sessionId === "string" && typeof r.startTime === "string") {
      return `session ${r.sessionId}`;
    }
    return undefined;
  },

  promptRecord(record: unknown, text: string): PromptRecordKind | undefined {
    if (!record || typeof record !== "object") return undefined;
    const got = userText(record as Record<string, unknown>);
    return got !== undefined && normalisePrompt(got) === normalisePrompt(text)
      ? "started"
      : undefined;
  },

  transcriptWorking: geminiTranscriptWorking,

  queuedOnScreen(screen: string, text: string): boolean {
    const lines = screenLines(screen);
    const at = lines.findLastIndex((l) =>
      /Queued \(press ↑ to edit\):/.test(l)
    );
    if (at < 0) return false;
    const head = normalisePrompt(text).split("\n")[0].slice(0, 24).trim();
    return lines.slice(at + 1).some((l) => l.includes(head));
  },

  async discover(request: DiscoveryRequest): Promise<Discovery | undefined> {
    const id = request.record.agentSessionId;
    if (!id) return undefined;
    const path = await findGeminiTranscript(request.config, id);
    if (!path) return undefined;
    // The file is there from launch: the prompt must be in it.
    const { entries } = await readJsonl(path, { limit: 256 });
    const landed = entries.some((e) =>
      geminiProfile.promptRecord(e.value, request.prompt) === "started"
    );
    return landed ? { agentSessionId: id, jsonlPath: path } : undefined;
  },

  async settled(_config, record): Promise<boolean> {
    // A resumed session: its transcript is known at launch, and Gemini CLI
    // takes it up (writes to it) a few seconds after its ready screen.
    if (!record.jsonlPath) return true;
    try {
      const info = await Deno.stat(record.jsonlPath);
      return (info.mtime?.getTime() ?? 0) >= Date.parse(record.startedAt);
    } catch {
      return true;
    }
  },

  async stopProcess(pid: number): Promise<void> {
    await stopGeminiTree(pid);
  },
};
