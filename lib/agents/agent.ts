/**
 * The contract between the generic tmux backend and one agent TUI: what is
 * the agent's own (its argv, transcript, screens, keys, records, signals).
 *
 * A new agent is one file in `lib/agents/` exporting an
 * {@linkcode AgentProfile}, plus its line in `AGENT_PROFILES`
 * (`lib/agents/mod.ts`). The file must implement:
 *
 * - identity: `name` (`tmux-<agent>`), `label`, `shortName`, `installHint`,
 *   `binEnvVar`, `bin()`, `hub()`, `testedRange`, `versionFromScreen()`;
 * - its configuration: `config` (its `AIMAX_*` variables, defaults and
 *   how they resolve), `envNames`/`envPrefixes` forwarded to its window,
 *   `paths()` it reads and writes;
 * - launch: `plan()` (argv, env, the conversation id and transcript path
 *   when known in advance, its hooks or notify pointed at
 *   `request.signals` for this run only), `recordTrust()`,
 *   `permissionArgs()`, `defaultPermission()`, `ownedArgs`, and `discover()`
 *   when the transcript is known only after the first prompt;
 * - the screen: `readScreen()` (input box, running turn, dialogs),
 *   `acceptTrustKeys()`, `queueKey`, `interruptKeys`, `pastePlaceholder`,
 *   `exitCommands`, `dialogInputGuardMs`;
 * - the transcript: `promptRecord()`, `transcriptEvents()`, `summarize()`
 *   (and `transcriptWorking()`, `queuedOnScreen()`, `recordLinks()` when
 *   its records need them);
 * - its signals: `signal()` translating each raw hook/notify line into an
 *   `AgentSignal` (aimax's vocabulary: nothing outside `lib/agents/` reads
 *   the agent's event names or payload spellings), `rawNames` (those
 *   spellings, for the seam test), `doctorSignals`, `signalsBlocked()`
 *   when its own settings can turn hooks off.
 *
 * Also one line of names in `lib/agents/names.ts` (the CLI's fast-start list;
 * a test holds it to the registry). Beside it: a loopback model stand-in
 * and a test kit in `offline/` (one line in `offline/kits.ts`), recorded
 * screens and records under `tests/fixtures/`, and its unit test
 * `tests/agents/<agent>_test.ts`. Nothing else in `lib/` names the agent
 * or spells its events (`tests/agents/seam_test.ts` checks).
 *
 * @module
 */
import type {
  AgentSettings,
  ConfigSection,
  TmuxAgentsConfig,
} from "../config_types.ts";
import type { PaneState } from "../signals/screen.ts";
export type { DialogPurpose, PaneState } from "../signals/screen.ts";
import type { AgentEventBody, RecordLinks } from "../signals/events.ts";
import type { AgentSignal, SignalEvent } from "../signals/session_state.ts";
import type { SessionRecord } from "../state.ts";
import type { TestedRange } from "./tested_range.ts";
import type { BackendTimings } from "../backend/timings.ts";
import type { SessionRules } from "../rules.ts";
import type {
  OwnedArg,
  PermissionMode,
  SessionPermission,
} from "../agent_options.ts";

/**
 * What the backend asks an agent to launch.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "../config.ts";
 * import type { LaunchRequest } from "./agent.ts";
 * import { codexProfile } from "./codex.ts";
 * const request: LaunchRequest = {
 *   config: configFromEnv(),
 *   sessionId: "s",
 *   cwd: "/tmp",
 *   model: "gpt-5.5",
 *   useProxy: false,
 *   agentSessionId: null,
 * };
 * console.log((await codexProfile.plan(request)).argv);
 * ```
 */
export interface LaunchRequest {
  /** The backend's config snapshot. */
  config: TmuxAgentsConfig;
  /** aimax session id. */
  sessionId: string;
  /** Canonical working directory. */
  cwd: string;
  /** Model to pass, if any (validated). */
  model: string | null;
  /** Whether to go through proxychains. */
  useProxy: boolean;
  /** An agent conversation to resume, if any (validated). */
  agentSessionId: string | null;
  /**
   * The permission mode to start in ({@linkcode AgentProfile.permissionArgs}
   * gives its flags); none: the agent's own default applies.
   */
  permissionMode?: PermissionMode | null;
  /**
   * Arguments passed through to the agent as they are, after aimax's own
   * (validated against {@linkcode AgentProfile.ownedArgs}).
   */
  agentArgs?: readonly string[];
  /**
   * The session's rules (checked with {@linkcode AgentProfile.checkRules}),
   * applied through the agent's own per-run mechanism.
   */
  rules?: SessionRules;
  /**
   * Where the agent's turn signals go: the hook program to run and the
   * session's events file it appends to; `runFile(name)` names a file the
   * profile may generate for this run (in the data dir, never in the
   * user's or a repository's config).
   */
  signals?: {
    hook: string;
    events: string;
    runFile: (name: string) => string;
  };
}

/**
 * How to start the agent.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "../config.ts";
 * import { claudeProfile } from "./claude.ts";
 * const plan = await claudeProfile.plan({
 *   config: configFromEnv(),
 *   sessionId: "s",
 *   cwd: "/tmp",
 *   model: null,
 *   useProxy: false,
 *   agentSessionId: null,
 * });
 * console.log(plan.argv, plan.jsonlPath);
 * ```
 */
export interface LaunchPlan {
  /** Program and arguments, executed directly in the window. */
  argv: string[];
  /** Environment for the window's process. */
  env: Record<string, string>;
  /** The agent's conversation id when known before the first prompt. */
  agentSessionId: string | null;
  /** The transcript path when known before the first prompt. */
  jsonlPath: string | null;
}

/**
 * How a transcript record relates to a prompt: `started` (a turn took it as
 * its user message) or `queued` (recorded as waiting for the running turn).
 *
 * @example
 * ```ts
 * import type { PromptRecordKind } from "./agent.ts";
 * const kind: PromptRecordKind = "started";
 * ```
 */
export type PromptRecordKind = "started" | "queued";

/**
 * Where a session's transcript turned out to be.
 *
 * @example
 * ```ts
 * import type { Discovery } from "./agent.ts";
 * const found: Discovery = { agentSessionId: "thread-id", jsonlPath: "/x/rollout.jsonl" };
 * ```
 */
export interface Discovery {
  /** The agent's conversation id. */
  agentSessionId: string;
  /** Its transcript. */
  jsonlPath: string;
}

/**
 * What a profile gets to find a new session's transcript.
 *
 * @example
 * ```ts
 * import type { DiscoveryRequest } from "./agent.ts";
 * import { codexProfile } from "./codex.ts";
 * const find = (request: DiscoveryRequest) => codexProfile.discover?.(request);
 * ```
 */
export interface DiscoveryRequest {
  /** Config snapshot. */
  config: TmuxAgentsConfig;
  /** The session (its cwd, start time, `extra`). */
  record: SessionRecord;
  /** The prompt text that was submitted. */
  prompt: string;
  /** When it was submitted (ms since epoch). */
  sentAt: number;
  /** Conversation ids other live sessions already own. */
  taken: ReadonlySet<string>;
}

/**
 * Everything that differs between agent TUIs.
 *
 * @example
 * ```ts
 * import { TmuxAgentBackend } from "../backend/backend.ts";
 * import { configFromEnv } from "../config.ts";
 * import type { AgentProfile } from "./agent.ts";
 * import { claudeProfile } from "./claude.ts";
 * // A variant of Claude Code with its own hub session:
 * const profile: AgentProfile = { ...claudeProfile, name: "tmux-claude-2", hub: () => "claude_2_hub" };
 * const backend = new TmuxAgentBackend(profile, configFromEnv());
 * ```
 */
export interface AgentProfile {
  /** Backend name, e.g. `tmux-claude-code`. */
  readonly name: string;
  /** Human name, e.g. `Claude Code`. */
  readonly label: string;
  /**
   * The commands that end the agent when typed as a prompt (`/exit`): a
   * prompt that is one of them is refused (`aimax stop` ends a session).
   */
  readonly exitCommands: readonly string[];
  /** Short name for tables and one-line reports, e.g. `claude`. */
  readonly shortName: string;
  /** How to install the agent, for preflight errors. */
  readonly installHint: string;
  /** Key that submits a prompt while a turn is running (queues it). */
  readonly queueKey: string;
  /** Keys that interrupt a running turn. */
  readonly interruptKeys: readonly string[];
  /**
   * Keys that delete the input box's text, a line at a time, pressed until
   * it is empty (default `C-u`; an agent whose `C-u` leaves the emptied
   * line's newline behind adds `BSpace`).
   */
  readonly clearKeys?: readonly string[];
  /**
   * How long the agent ignores keys after it draws a dialog (a guard
   * against answering by accident a dialog that showed up mid-keystroke):
   * a dialog is answered only once it has been up this long since aimax
   * first saw it (plus `BackendTimings.inputGuardMarginMs`). None: keys
   * are taken as soon as the dialog shows.
   */
  readonly dialogInputGuardMs?: number;
  /**
   * What the input box shows in place of a pasted prompt it collapsed
   * (e.g. `[Pasted text #1 +3 lines]`): the prompt is still in the box, not
   * submitted.
   */
  readonly pastePlaceholder: RegExp;
  /**
   * Keys that accept the folder-trust dialog this screen shows, from where
   * its selection is (Claude Code 2.1.332 selects "No, exit" first, 2.1.197
   * "Yes"); none when the screen does not show how to accept.
   *
   * @param screen captured pane text showing the trust dialog
   */
  acceptTrustKeys(screen: string): readonly string[];
  /** Environment variables forwarded to the agent's window by name. */
  readonly envNames: readonly string[];
  /** …and by prefix (needs an unscoped `--allow-env` to enumerate). */
  readonly envPrefixes: readonly string[];
  /** The variable that names the agent executable, e.g. `AIMAX_CLAUDE_BIN`. */
  readonly binEnvVar: string;
  /**
   * Its part of the configuration: its `AIMAX_*` variables, defaults and
   * the type of its settings (`TmuxAgentsConfig.agents[name]`, read with
   * {@linkcode settingsOf}).
   */
  readonly config: ConfigSection;
  /**
   * The agent versions this release was tested with (screens, hooks,
   * records): the oldest and the newest the suite passed on.
   */
  readonly testedRange: TestedRange;
  /**
   * The agent's version as its start-up screen shows it, if it does.
   *
   * @param screen captured pane text
   */
  versionFromScreen(screen: string): string | undefined;
  /**
   * Variables the agent needs that its own config names (e.g. a provider's
   * API-key variable), found at launch.
   *
   * @param config config snapshot
   */
  configuredEnvNames?(config: TmuxAgentsConfig): Promise<string[]>;
  /**
   * The agent's files aimax reads and writes, for the permission set, and
   * the programs it runs (besides tmux), if any.
   *
   * @param config config snapshot
   */
  paths(
    config: TmuxAgentsConfig,
  ): { read: string[]; write: string[]; run?: string[] };
  /**
   * The tmux session that holds this agent's windows.
   *
   * @param config config snapshot
   */
  hub(config: TmuxAgentsConfig): string;
  /**
   * The agent executable.
   *
   * @param config config snapshot
   */
  bin(config: TmuxAgentsConfig): string;
  /**
   * Records trust for `cwd` the agent's own way before launch, if it has one
   * that aimax may use. The screen fallback handles the dialog otherwise.
   *
   * @param config config snapshot
   * @param cwd canonical working directory
   */
  recordTrust(config: TmuxAgentsConfig, cwd: string): Promise<void>;
  /**
   * Builds the launch.
   *
   * @param request what to launch
   */
  plan(request: LaunchRequest): Promise<LaunchPlan>;
  /**
   * What one of the agent's raw signals means in aimax's vocabulary: a line
   * its hook or notify call wrote to the session's events file (event name
   * and payload in the agent's own spelling) becomes an
   * {@linkcode AgentSignal}, or `undefined` when it says nothing about this
   * session's turn (an unknown event, another conversation's).
   *
   * @param event one events-file line
   * @param context `agentSessionId`: the session's agent conversation, when
   * known
   */
  signal(
    event: SignalEvent,
    context: { agentSessionId: string | null },
  ): AgentSignal | undefined;
  /**
   * The agent's own event names and payload spellings that only its
   * profile may read (the seam test fails when one appears in `lib/`
   * outside `lib/agents/`).
   */
  readonly rawNames: readonly string[];
  /**
   * How `doctor` checks the agent's signals without sending a prompt:
   * `session_started` when the agent signals its start (doctor waits for
   * it; `event` is the agent's name for it, for the report), else a note on
   * when it signals (shown as is).
   */
  readonly doctorSignals:
    | { kind: "session_started"; event: string }
    | { kind: "note"; detail: string };
  /**
   * How to register aimax's MCP server (`aimax mcp`) with this agent as an
   * MCP client (`aimax mcp --print-config <shortName>`): `text` goes in the
   * agent's config, `note` says how to use it. Absent: the agent is no MCP
   * client aimax knows.
   *
   * @param server the command and its arguments; `tokenEnv`: the variable
   * the agent must pass through (with `--server`)
   */
  mcpRegistration?(server: {
    command: string;
    args: readonly string[];
    tokenEnv?: string;
  }): { text: string; note: string };
  /**
   * Reads one capture of the pane: input box (with its text and whether a
   * turn runs), a dialog (with what it asks), or neither yet. Tested
   * against screens captured from the pinned TUI (`tests/fixtures/screens`).
   *
   * @param screen captured pane text
   */
  readScreen(screen: string): PaneState;
  /**
   * Whether a transcript record shows that `text` was received: `started`
   * as a turn's user message, `queued` behind the running turn, or
   * `undefined` when the record is about something else.
   *
   * @param record one parsed transcript line
   * @param text the sanitised prompt
   */
  promptRecord(record: unknown, text: string): PromptRecordKind | undefined;
  /**
   * Whether the transcript shows a turn that started at or after `since`
   * and has not ended, for agents whose screen does not always show it;
   * `undefined` when these records say nothing either way (the caller then
   * looks further back). Records are the transcript's last lines, oldest
   * first.
   *
   * @param records parsed transcript lines
   * @param since ms since epoch: the window's start
   */
  transcriptWorking?(
    records: readonly unknown[],
    since: number,
  ): boolean | undefined;
  /**
   * Whether the screen shows `text` queued for a later turn, for agents
   * that write queued prompts to the transcript only when they start.
   *
   * @param screen captured pane text
   * @param text the sanitised prompt
   */
  queuedOnScreen?(screen: string, text: string): boolean;
  /**
   * Finds a new session's transcript after its first prompt, when the plan
   * could not name it. Resolves `undefined` when it is not there yet.
   *
   * @param request what is known of the session
   */
  discover?(request: DiscoveryRequest): Promise<Discovery | undefined>;
  /**
   * The events a transcript record of this agent stands for (none for
   * records with nothing to tell: snapshots, titles, token counts).
   *
   * @param record one parsed transcript line (an object)
   */
  transcriptEvents(record: Record<string, unknown>): AgentEventBody[];
  /**
   * How a record names itself and the record it follows, for agents that
   * write records out of order (the event model restores the order).
   *
   * @param record one parsed transcript line (an object)
   */
  recordLinks?(record: Record<string, unknown>): RecordLinks;
  /**
   * One line describing a transcript record of this agent, for people, or
   * `undefined` when the record is not of this agent's shapes.
   *
   * @param record one parsed transcript line (an object)
   */
  summarize(record: Record<string, unknown>): string | undefined;
  /**
   * Ends what the agent left running outside its window, after the window
   * was killed.
   *
   * @param config config snapshot
   * @param record the session
   */
  cleanup?(config: TmuxAgentsConfig, record: SessionRecord): Promise<void>;
  /**
   * Whether the agent has finished starting beyond what its screen shows
   * (e.g. it loads a resumed conversation after its input box is up); the
   * start-up waits, within its time limit, until it says so. Without it,
   * the input box is enough.
   *
   * @param config config snapshot
   * @param record the session being started
   */
  settled?(config: TmuxAgentsConfig, record: SessionRecord): Promise<boolean>;
  /**
   * Ends the agent's processes before its window is killed, for an agent
   * that outlives its window (it ignores the SIGHUP tmux sends); resolves
   * once none of them runs. Without it, killing the window ends the agent.
   *
   * @param pid the pane's process (the agent, which `env` execs)
   */
  stopProcess?(pid: number): Promise<void>;
  /**
   * The agent's own time limits, where they differ from the defaults (a
   * caller's own still win): e.g. a pause between paste and Enter.
   */
  readonly timings?: Partial<BackendTimings>;
  /**
   * What in the agent's own settings keeps aimax's turn signals from firing
   * for a session in `cwd` (e.g. a setting that turns every hook off), or
   * `undefined` when nothing does. Never throws: a file it cannot read
   * counts as absent.
   *
   * @param config config snapshot
   * @param cwd canonical working directory of the session
   */
  signalsBlocked?(
    config: TmuxAgentsConfig,
    cwd: string,
  ): Promise<SignalsBlock | undefined>;
  /**
   * The agent's own flags for permission mode `mode` (aimax's vocabulary,
   * {@linkcode PermissionMode}), put in its argv by {@linkcode plan}.
   *
   * @param mode the mode
   * @throws {InputError} when the agent cannot start in that mode here
   */
  permissionArgs(mode: PermissionMode): string[];
  /**
   * The permission mode a session in `cwd` starts in when `create` names
   * none: the one the agent's own settings set, else the agent's built-in
   * default. Never throws: a file it cannot read counts as absent.
   *
   * @param config config snapshot
   * @param cwd canonical working directory of the session
   */
  defaultPermission(
    config: TmuxAgentsConfig,
    cwd: string,
  ): Promise<SessionPermission>;
  /**
   * The agent's options that cannot be passed through (`create -- ARGS`):
   * those aimax sets itself, and those that would take the session out of
   * aimax's hands (print mode, another session, another directory), each
   * with what to use instead.
   */
  readonly ownedArgs: readonly OwnedArg[];
  /**
   * Checks that the agent can apply every one of a session's rules
   * (`create --allow/--deny`) through its own per-run mechanism, which
   * {@linkcode plan} then uses; absent when the agent has none (a session
   * with rules is then refused).
   *
   * @param rules the session's rules (each already read)
   * @throws {InputError} naming the first rule the agent cannot express
   */
  checkRules?(rules: SessionRules): void;
}

/**
 * Why an agent's turn signals (hooks) cannot fire, as
 * {@linkcode AgentProfile.signalsBlocked} finds it.
 *
 * @example
 * ```ts
 * import type { SignalsBlock } from "./agent.ts";
 * const block: SignalsBlock = {
 *   source: "/home/me/.claude/settings.json",
 *   detail: '"disableAllHooks": true in the user settings',
 *   fix: 'remove "disableAllHooks" from /home/me/.claude/settings.json',
 * };
 * ```
 */
export interface SignalsBlock {
  /** The file that blocks them. */
  source: string;
  /** What in that file blocks them, for people. */
  detail: string;
  /** How to let them fire again. */
  fix: string;
}

/** Names of the environment variables every agent window gets from the caller. */
export const COMMON_ENV = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TMPDIR",
  "TZ",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "XDG_CACHE_HOME",
  "XDG_STATE_HOME",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
] as const;

/**
 * Copies the caller's environment variables that an agent needs: the names
 * in `names` and those starting with one of `prefixes`. With a scoped
 * `--allow-env`, only the listed names are read.
 *
 * @param names exact names
 * @param prefixes name prefixes (need the full environment to enumerate)
 */
export function forwardEnv(
  names: readonly string[],
  prefixes: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  let all: Record<string, string> | undefined;
  try {
    all = Deno.env.toObject();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
  }
  if (all) {
    for (const [key, value] of Object.entries(all)) {
      if (names.includes(key) || prefixes.some((p) => key.startsWith(p))) {
        out[key] = value;
      }
    }
    return out;
  }
  for (const name of names) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) out[name] = value;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotCapable)) throw error;
    }
  }
  return out;
}

/**
 * Wraps an agent argv in the proxychains path: sources the proxy env file,
 * then execs `proxychains4 -q -f <conf> <argv>`. The shell script is a
 * constant; paths and arguments travel as positional parameters.
 *
 * @param config config snapshot
 * @param argv the agent argv
 */
export function proxyArgv(
  config: TmuxAgentsConfig,
  argv: readonly string[],
): string[] {
  return [
    "bash",
    "-c",
    'if [ -f "$1" ]; then . "$1"; fi; conf="$2"; shift 2; exec proxychains4 -q -f "$conf" "$@"',
    "aimax-proxy",
    config.proxyEnvsBash,
    config.proxyChainsConf,
    ...argv,
  ];
}

/**
 * A prompt as compared with what a transcript recorded: CR and CRLF as
 * newlines, outer whitespace trimmed.
 *
 * @param text a prompt or a recorded message
 */
export function normalisePrompt(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

/**
 * Lines of a captured screen, each without trailing blanks, and without the
 * empty lines below the last text.
 *
 * @param screen captured pane text
 */
export function screenLines(screen: string): string[] {
  const lines = screen.split("\n").map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * `text` on one line, cut to `max` characters with an ellipsis.
 *
 * @param text any text
 * @param max the longest result
 */
export function clip(text: string, max = 160): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * The readable text of a message's content (a string, or blocks with
 * `text`, tool calls and tool results), on one line.
 *
 * @param content a message's content
 */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((c) => {
    if (!c || typeof c !== "object") return "";
    if (typeof c.text === "string") return c.text;
    if (c.type === "tool_use") {
      return `[tool ${c.name}: ${JSON.stringify(c.input)}]`;
    }
    if (c.type === "tool_result") return `[tool result]`;
    return "";
  }).filter((t) => t !== "").join(" ");
}

/**
 * An agent's own settings in `config`: its section's values (as
 * `configFromEnv` or `setConfig` put them under `config.agents[name]`),
 * over the section's defaults for any key left out.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "../config.ts";
 * import type { ConfigSection } from "../config_types.ts";
 * import { settingsOf } from "./agent.ts";
 * const section: ConfigSection<"myAgentBin"> = {
 *   vars: [],
 *   resolve: () => ({ myAgentBin: "my-agent" }),
 * };
 * console.log(settingsOf(configFromEnv(), "tmux-my-agent", section).myAgentBin);
 * ```
 * @param config the config
 * @param name the agent's backend name
 * @param section the agent's section
 */
export function settingsOf<K extends string>(
  config: TmuxAgentsConfig,
  name: string,
  section: ConfigSection<K>,
): Record<K, string> {
  const own: AgentSettings | undefined = config.agents?.[name];
  return {
    ...section.resolve(() => undefined, { home: config.home }),
    ...own,
  };
}
