/**
 * What is GitHub Copilot CLI's own: its argv (the conversation id fixed in
 * advance with `--session-id`, aimax's hooks in a per-run plugin dir, the
 * user's own config never edited), its transcript
 * (`$COPILOT_HOME/session-state/<id>/events.jsonl`), screens, keys (two
 * separate Escapes interrupt) and records.
 *
 * @module
 */
import { join, normalize } from "../path.ts";
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
  forwardEnv,
  type LaunchPlan,
  type LaunchRequest,
  normalisePrompt,
  type PaneState,
  type PromptRecordKind,
  proxyArgv,
  screenLines,
  settingsOf,
} from "./agent.ts";
import { dialogText, numberedChoices } from "../signals/screen.ts";
import {
  parseRule,
  type Rule,
  type SessionRules,
  unexpressible,
} from "../rules.ts";
import type {
  OwnedArg,
  PermissionMode,
  SessionPermission,
} from "../agent_options.ts";

/** The keys of Copilot's config section. */
type CopilotKey = "copilotHome" | "copilotHub" | "copilotBin";

/**
 * Copilot's settings: its home (`$COPILOT_HOME`), where aimax reads its
 * transcripts; the tmux session of its windows; its program.
 */
export type CopilotSettings = Record<CopilotKey, string>;

/** Copilot's part of the configuration. */
const COPILOT_SECTION: ConfigSection<CopilotKey> = {
  vars: [
    {
      env: "AIMAX_COPILOT_HOME",
      key: "copilotHome",
      defaultText: "$COPILOT_HOME or ~/.copilot",
    },
    {
      env: "AIMAX_COPILOT_HUB",
      key: "copilotHub",
      defaultText: "imac_copilot_agent_hub",
    },
    { env: "AIMAX_COPILOT_BIN", key: "copilotBin", defaultText: "copilot" },
  ],
  derivedFrom: ["COPILOT_HOME"],
  resolve: (get, { home }) => ({
    copilotHome: get("AIMAX_COPILOT_HOME") ?? get("COPILOT_HOME") ??
      join(home, ".copilot"),
    copilotHub: get("AIMAX_COPILOT_HUB") ?? "imac_copilot_agent_hub",
    copilotBin: get("AIMAX_COPILOT_BIN") ?? "copilot",
  }),
};

/**
 * GitHub Copilot CLI's settings in `config`.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "../config.ts";
 * import { copilotSettings } from "./copilot.ts";
 * console.log(copilotSettings(configFromEnv()).copilotHome);
 * ```
 * @param config the config
 */
export function copilotSettings(config: TmuxAgentsConfig): CopilotSettings {
  return settingsOf(config, "tmux-copilot", COPILOT_SECTION);
}

/**
 * The transcript of Copilot session `id`: `events.jsonl` in its
 * session-state folder (the folder exists from launch, the file from the
 * first prompt).
 *
 * @example
 * ```ts
 * import { copilotTranscriptPath } from "./copilot.ts";
 * copilotTranscriptPath("/home/me/.copilot", "0b6c…");
 * // "/home/me/.copilot/session-state/0b6c…/events.jsonl"
 * ```
 * @param copilotHome Copilot's home (`$COPILOT_HOME`, else `~/.copilot`)
 * @param id Copilot's session id
 */
export function copilotTranscriptPath(copilotHome: string, id: string): string {
  return join(copilotHome, "session-state", id, "events.jsonl");
}

/**
 * The Copilot hook events aimax listens to, each given to aimax's hook
 * program under its own name.
 */
export const COPILOT_HOOK_EVENTS = [
  "sessionStart",
  "userPromptSubmitted",
  "preToolUse",
  "permissionRequest",
  "postToolUse",
  "agentStop",
  "sessionEnd",
] as const;

/**
 * What a Copilot hook call means (its hook name and payload, as aimax's
 * hook script recorded them), or `undefined` for a hook aimax does not
 * read, or one about another Copilot session. Copilot fires
 * `sessionStart` at the first prompt, not at launch, right before that
 * prompt's `userPromptSubmitted`: it tells nothing more. `agentStop` names
 * no answer (the transcript has it) and does not fire when a turn is
 * interrupted.
 *
 * @example
 * ```ts
 * import { copilotSignal } from "./copilot.ts";
 * copilotSignal({ at: 0, event: "userPromptSubmitted", payload: { prompt: "hi" } });
 * // { kind: "turn_started", prompt: "hi" }
 * ```
 * @param event one events-file line
 * @param context `agentSessionId`: the session's Copilot session, when known
 */
export function copilotSignal(
  event: SignalEvent,
  context: { agentSessionId?: string | null } = {},
): AgentSignal | undefined {
  const p = event.payload ?? {};
  if (
    context.agentSessionId && typeof p.sessionId === "string" &&
    p.sessionId !== context.agentSessionId
  ) return undefined;
  switch (event.event) {
    case "userPromptSubmitted":
      return typeof p.prompt === "string"
        ? { kind: "turn_started", prompt: p.prompt }
        : { kind: "turn_started" };
    case "preToolUse":
      return { kind: "tool_asked" };
    case "postToolUse":
      return { kind: "tool_ran" };
    case "permissionRequest":
      return { kind: "permission_asked" };
    case "agentStop":
      return { kind: "turn_ended" };
    case "sessionEnd":
      return { kind: "session_ended" };
    default:
      return undefined;
  }
}

/**
 * The hooks file of aimax's per-run plugin: every event of
 * {@linkcode COPILOT_HOOK_EVENTS} runs `command` with the event's name
 * appended (Copilot passes the payload on stdin).
 *
 * @example
 * ```ts
 * import { copilotHooks } from "./copilot.ts";
 * copilotHooks("'/data/bin/aimax-hook' '/data/e.jsonl'").hooks.agentStop;
 * ```
 * @param command the shell command prefix of aimax's hook
 */
export function copilotHooks(
  command: string,
): { version: 1; hooks: Record<string, unknown[]> } {
  return {
    version: 1,
    hooks: Object.fromEntries(
      COPILOT_HOOK_EVENTS.map((event) => [event, [{
        type: "command",
        bash: `${command} ${event}`,
        timeoutSec: 10,
      }]]),
    ),
  };
}

/**
 * Writes aimax's plugin for one run (`plugin.json` naming `hooks.json`)
 * into the run's folder in the data dir and returns the folder, for
 * `--plugin-dir`: the user's own plugins and hooks stay as they are.
 */
async function writeRunPlugin(
  signals: NonNullable<LaunchRequest["signals"]>,
): Promise<string> {
  const dir = signals.runFile("copilot-plugin");
  await Deno.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const manifest = {
    name: "aimax-signals",
    version: "1.0.0",
    description: "aimax's turn signals for this session",
    hooks: "hooks.json",
  };
  await writeFileAtomic(
    join(dir, "plugin.json"),
    JSON.stringify(manifest, null, 2) + "\n",
  );
  const hooks = copilotHooks(
    `${shellQuote(signals.hook)} ${shellQuote(signals.events)}`,
  );
  await writeFileAtomic(
    join(dir, "hooks.json"),
    JSON.stringify(hooks, null, 2) + "\n",
  );
  return dir;
}

/**
 * Copilot's flags for each of aimax's permission modes. Copilot 1.0.102
 * asks before every tool it is not allowed (`Manual Approval`, its
 * default); `edits` allows its file-writing tool; `plan` is its plan mode;
 * `bypass` is `--allow-all`. Its automatic review (`--assisted-approval`)
 * needs experimental features, so `auto` is refused.
 *
 * @example
 * ```ts
 * import { COPILOT_PERMISSION_ARGS } from "./copilot.ts";
 * COPILOT_PERMISSION_ARGS.plan; // ["--mode", "plan"]
 * ```
 */
export const COPILOT_PERMISSION_ARGS: Readonly<
  Record<Exclude<PermissionMode, "auto">, readonly string[]>
> = {
  ask: ["--mode", "interactive"],
  edits: ["--mode", "interactive", "--allow-tool=write"],
  plan: ["--mode", "plan"],
  bypass: ["--allow-all"],
};

function copilotPermissionArgs(mode: PermissionMode): string[] {
  if (mode === "auto") {
    throw new InputError(
      "GitHub Copilot CLI has no automatic review outside its experimental features: use --permission-mode ask, edits, plan or bypass",
    );
  }
  return [...COPILOT_PERMISSION_ARGS[mode]];
}

/**
 * A command name Copilot's `shell(NAME:*)` matches: a plain word, no path
 * (Copilot names a command by its name), no variable assignment, nothing
 * its rule syntax reads (`(`, `)`, `:`, `,`).
 */
const COMMAND_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** A later word of a `bash:` rule: plain text, nothing a shell or Copilot's rule syntax reads. */
const PLAIN_WORD = /^[A-Za-z0-9_./+=@%-]+$/;

/** A file name segment of an `edit:` rule: no wildcard, nothing Copilot's rule syntax reads. */
const PATH_SEGMENT = /^[A-Za-z0-9_.+=@%-]+$/;

/**
 * One rule as the argument of Copilot's `--allow-tool`/`--deny-tool`, as
 * measured on Copilot 1.0.102 (tests/rules_e2e_test.ts and the README's
 * "Rules"):
 *
 * - `bash:*` is `shell` (every shell command);
 * - `bash:WORD *` is `shell(WORD:*)`: every simple command named WORD, with
 *   any arguments or none, in every part of a compound command (`a && b`,
 *   `a; b`, `a | b`, `$(b)`), never another name that starts alike
 *   (`rmdir` for `rm`); Copilot parses the command itself (an allowed
 *   command that writes through a redirection, `touch a > b`, still asks;
 *   a name behind a wrapper or quoted, `env rm`, `"rm"`, is not matched:
 *   it asks, and runs in the `bypass` mode);
 * - `bash:WORD MORE… *` is `shell(WORD MORE…:*)`: the text of a simple
 *   command starting with those words (single spaces, no quotes), except
 *   for git, whose subcommand Copilot finds after git's own options (`git
 *   -C DIR push` matches `git push`): refused for git;
 * - `edit:PATH` (a file, no wildcard, inside the session's folder) is
 *   `write(/ABSOLUTE/PATH)`: that one file (a folder's path matches none of
 *   its files, a relative one any file of that name anywhere);
 * - `read:` (Copilot has no rule kind for reading) and `tool:` (its rules
 *   name kinds and MCP servers, not its tools) are refused.
 */
function copilotRule(rule: Rule, cwd: string): string {
  const fail = (why: string) =>
    unexpressible(rule, { label: "GitHub Copilot CLI", why });
  switch (rule.kind) {
    case "bash": {
      const words = rule.pattern.split(/\s+/).filter((w) => w !== "");
      if (words.length === 1 && words[0] === "*") return "shell";
      if (words.at(-1) !== "*") {
        throw fail(
          'its shell rules match a command with any arguments: end the pattern with " *" (e.g. "bash:touch *")',
        );
      }
      const [name, ...more] = words.slice(0, -1);
      if (!COMMAND_NAME.test(name)) {
        throw fail(
          "its shell rules match a command by its plain name (no path, wildcard, quote, assignment or parenthesis)",
        );
      }
      if (more.some((w) => !PLAIN_WORD.test(w))) {
        throw fail(
          'its shell rules match the words before the last " *" as plain text: no other wildcard, quote, escape or parenthesis',
        );
      }
      if (more.length > 0 && name === "git") {
        throw fail(
          'it finds a git subcommand after git\'s own options (git -C DIR push matches "git push"), more than the pattern says: use "bash:git *"',
        );
      }
      return `shell(${[name, ...more].join(" ")}:*)`;
    }
    case "edit": {
      const segments = rule.pattern.split("/");
      if (
        rule.pattern.startsWith("/") || rule.pattern.startsWith("~") ||
        segments.some((s) => s === ".." || (s !== "" && !PATH_SEGMENT.test(s)))
      ) {
        throw fail(
          'its write rules name one file: give a path inside the session\'s folder without a wildcard (e.g. "edit:notes/todo.md")',
        );
      }
      const path = normalize(join(cwd, rule.pattern));
      if (path === normalize(cwd) || rule.pattern.endsWith("/")) {
        throw fail("its write rules name a file, not a folder");
      }
      return `write(${path})`;
    }
    case "read":
      throw fail("it has no rule kind for reading files");
    case "tool":
      throw fail(
        "its rules name kinds (shell, write, url) and MCP servers, not its own tools",
      );
  }
}

/**
 * A session's rules as Copilot's per-run flags: `--allow-tool=RULE` for each
 * allowed rule, `--deny-tool=RULE` for each denied one (a deny wins over any
 * allow in Copilot, even over `--allow-all`), each one argv element.
 *
 * @example
 * ```ts
 * import { copilotRuleArgs } from "./copilot.ts";
 * copilotRuleArgs({ allow: ["bash:touch *"], deny: ["bash:rm *"] }, "/src/app");
 * // ["--allow-tool=shell(touch:*)", "--deny-tool=shell(rm:*)"]
 * ```
 * @param rules the session's rules (checked)
 * @param cwd the session's folder, which an `edit:` path is relative to
 * @throws {InputError} naming the first rule Copilot cannot express exactly
 */
export function copilotRuleArgs(rules: SessionRules, cwd: string): string[] {
  return [
    ...rules.allow.map((text) =>
      `--allow-tool=${copilotRule(parseRule(text), cwd)}`
    ),
    ...rules.deny.map((text) =>
      `--deny-tool=${copilotRule(parseRule(text), cwd)}`
    ),
  ];
}

/** One variable of aimax's environment, `undefined` when unset or not readable. */
function envValue(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * The permission mode a Copilot session starts in without
 * `--permission-mode`: `bypass` when `COPILOT_ALLOW_ALL` (which aimax
 * passes on) turns every tool on, else Copilot's default, Manual Approval
 * (`ask`).
 *
 * @example
 * ```ts
 * import { copilotDefaultPermission } from "./copilot.ts";
 * copilotDefaultPermission("yes").mode; // "bypass"
 * ```
 * @param allowAll the value of `COPILOT_ALLOW_ALL`, if set
 */
export function copilotDefaultPermission(
  allowAll: string | undefined,
): SessionPermission {
  if (/^\s*(true|1|yes|on|y)\s*$/i.test(allowAll ?? "")) {
    return {
      mode: "bypass",
      source: "settings",
      detail: "COPILOT_ALLOW_ALL in the environment",
    };
  }
  return {
    mode: "ask",
    source: "default",
    detail: "GitHub Copilot CLI's default (Manual Approval)",
  };
}

const NOT_A_SESSION =
  "aimax drives GitHub Copilot CLI's interactive TUI in its own window";
const SESSION_CHOICE =
  "aimax picks the conversation: --agent-session-id resumes one";

/** Copilot's options that aimax sets itself or that break a session. */
const COPILOT_OWNED_ARGS: readonly OwnedArg[] = [
  {
    names: ["--session-id", "--resume", "-r", "--continue", "--connect"],
    instead: SESSION_CHOICE,
  },
  {
    names: [
      "--allow-all",
      "--yolo",
      "--allow-all-tools",
      "--mode",
      "--plan",
      "--autopilot",
    ],
    instead:
      "use aimax's --permission-mode (bypass needs --allow-bypass as well)",
  },
  { names: ["--model"], instead: "use aimax's --model" },
  {
    names: ["-C"],
    instead:
      "aimax finds the transcript from the session's directory: give the directory as --cwd",
  },
  {
    names: [
      "--prompt",
      "-p",
      "--interactive",
      "-i",
      "--acp",
      "--output-format",
      "--help",
      "-h",
      "--version",
      "-v",
    ],
    instead: NOT_A_SESSION,
  },
];

/** A horizontal rule around the input box. */
const RULE = /^─{20,}$/;

/** The footer of a running turn: `◉ Working · 7 B esc esc interrupt`. */
const BUSY = /esc esc interrupt|^\s*\S?\s*Working\b/;

/** What a collapsed paste shows in the box: `[Paste #1 - 15 lines]`. */
const PASTE_PLACEHOLDER = /^\[Paste #\d+ - \d+ lines?\]$/;

/**
 * The input box: the last `❯` line right under a rule, up to the next
 * rule; the footer is the line under that.
 */
function inputBox(
  lines: readonly string[],
): { start: number; end: number } | undefined {
  for (let i = lines.length - 2; i >= 0; i--) {
    if (!RULE.test(lines[i]) || !lines[i + 1].startsWith("❯")) continue;
    let end = i + 1;
    while (end < lines.length && !RULE.test(lines[end])) end++;
    if (end >= lines.length) return undefined;
    return { start: i + 1, end };
  }
  return undefined;
}

/**
 * The lines of the last boxed dialog (`╭…╮` to `╰…╯`), each without its
 * frame (`│ … │`, nested boxes too), or none when the screen has no box.
 */
function boxLines(lines: readonly string[]): string[] | undefined {
  const end = lines.findLastIndex((l) => /^╰─+╯$/.test(l));
  if (end < 0) return undefined;
  let start = end - 1;
  while (start >= 0 && !/^╭─+╮$/.test(lines[start])) start--;
  if (start < 0) return undefined;
  return lines.slice(start + 1, end).map((line) => {
    let l = line;
    while (/^│.*│$/.test(l)) l = l.slice(1, -1).trim();
    return l;
  });
}

/** The text inside the dialog's inner box: what it asks about. */
function innerBox(lines: readonly string[]): string | undefined {
  const open = lines.findIndex((l) => /^╭─+╮$/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^╰─+╯$/.test(l));
  if (open < 0 || close < 0) return undefined;
  return lines.slice(open + 1, close).map((l) => l.trim()).join("\n").trim();
}

/** The choice that trusts the folder for this session only. */
const TRUST_ONCE = /^\s*(❯)?\s*\d+\.\s*Yes\s*$/;
/** Any choice of the trust dialog, selected (`❯`) or not. */
const TRUST_CHOICE = /^\s*(❯)?\s*\d+\.\s/;

/**
 * Keys that move the trust dialog's selection to "1. Yes" (trust for this
 * session, not remembered) and press Enter; none when the choices are not
 * on the screen.
 */
function copilotTrustKeys(screen: string): string[] {
  const lines = boxLines(screenLines(screen)) ?? [];
  const options = lines.flatMap((line) => {
    if (!TRUST_CHOICE.test(line)) return [];
    return [{
      selected: line.trim().startsWith("❯"),
      yes: TRUST_ONCE.test(line),
    }];
  });
  const at = options.findIndex((o) => o.selected);
  const yes = options.findIndex((o) => o.yes);
  if (at < 0 || yes < 0) return [];
  const move = yes > at ? "Down" : "Up";
  return [...Array(Math.abs(yes - at)).fill(move), "Enter"];
}

/**
 * A choice's words and its key: Escape for the one marked `(Esc)` or
 * `(Esc to stop)`. Copilot's "3. No, and tell Copilot what to do
 * differently" is a text field when selected (Enter on it empty does
 * nothing); Escape refuses the tool and ends the turn.
 */
function escChoice(words: string): { label: string; key?: string } {
  const m = /^(.*?)\s*\(Esc(?: to \w+)?\)$/.exec(words);
  return m ? { label: m[1], key: "Escape" } : { label: words };
}

/** Copilot's screen read as a {@linkcode PaneState}. */
function readCopilotScreen(screen: string): PaneState {
  const lines = screenLines(screen);
  const box = boxLines(lines);
  if (box) {
    const text = dialogText(box, {
      start: 0,
      end: /to cancel|to select/,
    });
    const choices = numberedChoices(box, {
      mark: "❯",
      shortcut: escChoice,
    });
    const withChoices = choices.length > 0 ? { choices } : {};
    if (/Do you trust the files in this folder\?/.test(screen)) {
      return { kind: "dialog", purpose: "trust", text, ...withChoices };
    }
    if (box.some((l) => /^Do you want to /.test(l))) {
      const asks = innerBox(box);
      return {
        kind: "dialog",
        purpose: "permission",
        text,
        ...(asks ? { asks } : {}),
        ...withChoices,
      };
    }
    if (choices.length > 0) {
      return { kind: "dialog", purpose: "other", text, ...withChoices };
    }
  }
  const input = inputBox(lines);
  if (input) {
    const footer = lines[input.end + 1] ?? "";
    const text = lines.slice(input.start, input.end).join("\n")
      .replace(/^❯\s?/, "").trim();
    return { kind: "input", working: BUSY.test(footer), composer: text };
  }
  return { kind: "starting" };
}

// deno-lint-ignore no-explicit-any
type Rec = Record<string, any>;

/** A record's `data`, when it is an object. */
function dataOf(record: unknown): Rec | undefined {
  if (!record || typeof record !== "object") return undefined;
  const data = (record as Rec).data;
  return data && typeof data === "object" ? data : undefined;
}

/** A tool result's text, without the shell's `<shellId: …>` trailer. */
function resultText(result: unknown): string {
  const content = (result as Rec | undefined)?.content;
  const text = typeof content === "string" ? content : "";
  return text.replace(/\n?<shellId: [^>]*>\s*$/, "").trim();
}

/**
 * GitHub Copilot CLI as an {@linkcode AgentProfile}.
 *
 * @example
 * ```ts
 * import { TmuxAgentBackend } from "../backend/backend.ts";
 * import { configFromEnv } from "../config.ts";
 * import { copilotProfile } from "./copilot.ts";
 * const backend = new TmuxAgentBackend(copilotProfile, configFromEnv());
 * ```
 */
export const copilotProfile: AgentProfile = {
  name: "tmux-copilot",
  signal: (event, context) => copilotSignal(event, context),
  rawNames: [...COPILOT_HOOK_EVENTS, "transcriptPath", "stopReason"],
  doctorSignals: {
    kind: "note",
    detail:
      "hooks through a per-run --plugin-dir; Copilot fires its first one at the first prompt (not tested without a prompt)",
  },
  // The format `copilot mcp get` 1.0.102 reads from mcp-config.json.
  mcpRegistration: ({ command, args, tokenEnv }) => {
    const server: Record<string, unknown> = {
      type: "local",
      command,
      args,
      tools: ["*"],
    };
    if (tokenEnv) server.env = { [tokenEnv]: `\${${tokenEnv}}` };
    return {
      text: JSON.stringify({ mcpServers: { aimax: server } }, null, 2),
      note:
        "Merge it into ~/.copilot/mcp-config.json (or $COPILOT_HOME/mcp-config.json), or save it as a file and start Copilot with `copilot --additional-mcp-config @FILE` (this run only)",
    };
  },
  label: "GitHub Copilot CLI",
  exitCommands: ["/exit", "/quit"],
  shortName: "copilot",
  installHint: "Install GitHub Copilot CLI: `npm install -g @github/copilot`",
  queueKey: "Enter",
  pastePlaceholder: PASTE_PLACEHOLDER,
  // One `send-keys Escape Escape` is lost: two key events, sent apart.
  interruptKeys: ["Escape", "Escape"],
  // C-u empties the line but leaves its newline: a second C-u on the
  // empty line does nothing, Backspace joins it to the line above.
  clearKeys: ["C-u", "BSpace"],
  acceptTrustKeys: copilotTrustKeys,
  envNames: [
    ...COMMON_ENV,
    "COPILOT_HOME",
    "COPILOT_CACHE_HOME",
    "COPILOT_MODEL",
    "COPILOT_OFFLINE",
    "COPILOT_ALLOW_ALL",
    "COPILOT_AUTO_UPDATE",
    "COPILOT_GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GH_HOST",
  ],
  envPrefixes: ["COPILOT_"],
  binEnvVar: "AIMAX_COPILOT_BIN",
  config: COPILOT_SECTION,
  testedRange: { oldest: "1.0.102", newest: "1.0.102" },
  versionFromScreen: (screen) => screen.match(/Copilot v(\d+\.\d+\.\d+)/)?.[1],

  paths: (config) => ({
    read: [copilotSettings(config).copilotHome],
    write: [],
  }),

  hub: (config) => copilotSettings(config).copilotHub,
  bin: (config) => copilotSettings(config).copilotBin,

  permissionArgs: copilotPermissionArgs,
  defaultPermission(): Promise<SessionPermission> {
    return Promise.resolve(
      copilotDefaultPermission(envValue("COPILOT_ALLOW_ALL")),
    );
  },
  ownedArgs: COPILOT_OWNED_ARGS,
  // The folder only changes where an `edit:` path points, not whether it
  // can be expressed.
  checkRules: (rules) => void copilotRuleArgs(rules, "/"),

  recordTrust() {
    // Never written to the user's config.json: the trust dialog's
    // "1. Yes" (acceptTrustKeys) trusts the folder for this session only.
    return Promise.resolve();
  },

  async plan(request: LaunchRequest): Promise<LaunchPlan> {
    const { config } = request;
    const own = copilotSettings(config);
    const id = request.agentSessionId ?? crypto.randomUUID();
    const argv = [
      own.copilotBin,
      request.agentSessionId ? `--resume=${id}` : `--session-id=${id}`,
    ];
    if (request.model) argv.push(`--model=${request.model}`);
    if (request.signals) {
      argv.push(`--plugin-dir=${await writeRunPlugin(request.signals)}`);
    }
    if (request.permissionMode) {
      argv.push(...copilotPermissionArgs(request.permissionMode));
    }
    if (request.rules) {
      argv.push(...copilotRuleArgs(request.rules, request.cwd));
    }
    argv.push(...request.agentArgs ?? []);
    const env = forwardEnv(
      copilotProfile.envNames,
      copilotProfile.envPrefixes,
    );
    if (own.copilotHome !== join(config.home, ".copilot")) {
      env.COPILOT_HOME = own.copilotHome;
    }
    return {
      argv: request.useProxy ? proxyArgv(config, argv) : argv,
      env,
      agentSessionId: id,
      jsonlPath: copilotTranscriptPath(own.copilotHome, id),
    };
  },

  readScreen: readCopilotScreen,

  transcriptEvents(r: Record<string, unknown>): AgentEventBody[] {
    const d = dataOf(r);
    if (!d) return [];
    switch (r.type) {
      case "user.message": {
        if (typeof d.content !== "string") return [];
        const turnId = typeof d.interactionId === "string"
          ? d.interactionId
          : undefined;
        return [
          { type: "turn_started", ...(turnId ? { turnId } : {}) },
          { type: "user_message", text: d.content },
        ];
      }
      case "assistant.message": {
        const out: AgentEventBody[] = [];
        const text = typeof d.content === "string" ? d.content : "";
        if (text.trim() !== "") out.push({ type: "assistant_message", text });
        const requests = Array.isArray(d.toolRequests) ? d.toolRequests : [];
        for (const call of requests) {
          out.push({
            type: "tool_call",
            name: String(call?.name),
            input: call?.arguments,
            ...(call?.toolCallId ? { callId: String(call.toolCallId) } : {}),
          });
        }
        // The model's last word in a prompt's turn: no tool to run.
        if (requests.length === 0) {
          const turnId = typeof d.interactionId === "string"
            ? d.interactionId
            : undefined;
          out.push({
            type: "turn_completed",
            ...(text.trim() !== "" ? { text } : {}),
            ...(turnId ? { turnId } : {}),
          });
        }
        return out;
      }
      case "tool.execution_complete":
        return [{
          type: "tool_result",
          output: resultText(d.result),
          ...(d.success === false ? { isError: true } : {}),
          ...(d.toolCallId ? { callId: String(d.toolCallId) } : {}),
        }];
      case "abort":
        return [{ type: "turn_aborted" }];
    }
    return [];
  },

  summarize(r: Record<string, unknown>): string | undefined {
    const d = dataOf(r);
    if (typeof r.type !== "string" || !d) return undefined;
    if (r.type === "user.message" || r.type === "assistant.message") {
      const calls = Array.isArray(d.toolRequests)
        ? d.toolRequests.map((c: Rec) => `[tool ${c?.name}]`).join(" ")
        : "";
      return clip(`${r.type}: ${String(d.content ?? "")} ${calls}`);
    }
    if (r.type === "tool.execution_start") {
      return clip(`tool: ${d.toolName} ${JSON.stringify(d.arguments ?? {})}`);
    }
    if (r.type === "system.message") return "system.message";
    return r.type.includes(".") || r.type === "abort"
      ? `event: ${r.type}`
      : undefined;
  },

  promptRecord(record: unknown, text: string): PromptRecordKind | undefined {
    if ((record as Rec | undefined)?.type !== "user.message") return undefined;
    const got = dataOf(record)?.content;
    // Written when the prompt's turn starts, a queued one's too.
    return typeof got === "string" &&
        normalisePrompt(got) === normalisePrompt(text)
      ? "started"
      : undefined;
  },

  transcriptWorking(
    records: readonly unknown[],
    since: number,
  ): boolean | undefined {
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i] as Rec | undefined;
      switch (r?.type) {
        case "abort":
        case "session.shutdown":
          return false;
        case "assistant.message": {
          const calls = dataOf(r)?.toolRequests;
          if (!Array.isArray(calls) || calls.length === 0) return false;
          break;
        }
        case "user.message":
          return Date.parse(r.timestamp ?? "") >= since;
      }
    }
    return undefined;
  },

  queuedOnScreen(screen: string, text: string): boolean {
    // A queued prompt is echoed above the box (` ❯ first line`, its other
    // lines indented) and marked `└ [pending · ↑ recall]` under its last.
    const lines = screenLines(screen);
    const head = normalisePrompt(text).split("\n")[0].slice(0, 40).trim();
    return lines.some((line, i) => {
      if (!/^\s*└ \[pending/.test(line)) return false;
      for (let j = i - 1; j >= 0; j--) {
        if (/^ ❯ /.test(lines[j])) return lines[j].includes(head);
        if (!/^ {3}/.test(lines[j])) return false;
      }
      return false;
    });
  },
};
