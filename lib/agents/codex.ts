/**
 * What is Codex's own: its argv (trust and daemon settings passed per run,
 * the user's config.toml never rewritten), thread discovery through its
 * state database (read-only, `node:sqlite`) with a sessions-folder
 * fallback, screens, keys (Tab queues) and rollout records.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { join } from "../path.ts";

import type { ConfigSection, TmuxAgentsConfig } from "../config_types.ts";
import { readJsonl } from "../jsonl/reader.ts";
import type { AgentEventBody } from "../signals/events.ts";
import type { AgentSignal, SignalEvent } from "../signals/session_state.ts";
import {
  type AgentProfile,
  clip,
  COMMON_ENV,
  contentText,
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
} from "./agent.ts";
import type {
  OwnedArg,
  PermissionMode,
  SessionPermission,
} from "../agent_options.ts";
import { dialogText, numberedChoices } from "../signals/screen.ts";
import { InputError } from "../errors.ts";
import {
  hasRules,
  parseRule,
  type Rule,
  type SessionRules,
  unexpressible,
} from "../rules.ts";

/** Codex's config.toml, parsed (smol-toml loaded when first needed). */
async function readToml(path: string): Promise<Record<string, unknown>> {
  const { parse } = await import("smol-toml");
  return parse(await Deno.readTextFile(path)) as Record<string, unknown>;
}

/**
 * The `-c` override that trusts `cwd` for one run, as a TOML inline table
 * (a JSON string is a valid TOML basic string).
 *
 * @param cwd canonical working directory
 */
export function codexTrustOverride(cwd: string): string {
  return `projects={${JSON.stringify(cwd)}={trust_level="trusted"}}`;
}

/**
 * Names of the API-key variables the providers in Codex's config.toml read
 * (`env_key`), so the window gets them. Unreadable config: none.
 *
 * @param configPath Codex's config.toml
 */
export async function codexProviderEnvKeys(
  configPath: string,
): Promise<string[]> {
  try {
    const config = await readToml(configPath);
    const providers = config.model_providers;
    if (!providers || typeof providers !== "object") return [];
    return Object.values(providers as Record<string, Record<string, unknown>>)
      .map((p) => p?.env_key)
      .filter((k): k is string =>
        typeof k === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)
      );
  } catch {
    return [];
  }
}

/**
 * The user's own `notify` program (argv) from Codex's config.toml, or none.
 *
 * @example
 * ```ts
 * import { codexUserNotify } from "./codex.ts";
 * console.log(await codexUserNotify("/home/me/.codex/config.toml"));
 * ```
 * @param configPath Codex's config.toml
 */
export async function codexUserNotify(configPath: string): Promise<string[]> {
  try {
    const config = await readToml(configPath);
    const notify = config.notify;
    return Array.isArray(notify) && notify.every((a) => typeof a === "string")
      ? notify
      : [];
  } catch {
    return [];
  }
}

/**
 * Codex's flags for each of aimax's permission modes: its approval policy
 * and sandbox. Codex 0.171.0 knows only the `on-request` and `never`
 * policies (`untrusted` is refused at start-up), so `ask` is the read-only
 * sandbox where every edit and command that needs more asks; `plan` is
 * read-only and never asks (what needs more fails); `auto` is
 * `--approve-for-me` (Codex's automatic review decides, in the
 * workspace-write sandbox).
 *
 * @example
 * ```ts
 * import { CODEX_PERMISSION_ARGS } from "./codex.ts";
 * CODEX_PERMISSION_ARGS.plan; // ["--ask-for-approval", "never", "--sandbox", "read-only"]
 * ```
 */
export const CODEX_PERMISSION_ARGS: Readonly<
  Record<PermissionMode, readonly string[]>
> = {
  ask: ["--ask-for-approval", "on-request", "--sandbox", "read-only"],
  edits: ["--ask-for-approval", "on-request", "--sandbox", "workspace-write"],
  plan: ["--ask-for-approval", "never", "--sandbox", "read-only"],
  auto: ["--approve-for-me"],
  bypass: ["--ask-for-approval", "never", "--sandbox", "danger-full-access"],
};

/**
 * aimax's word for a Codex approval policy, sandbox and reviewer, or the
 * pair in Codex's own words when none fits.
 *
 * @example
 * ```ts
 * import { codexModeWord } from "./codex.ts";
 * codexModeWord({ approval: "never", sandbox: "danger-full-access" }); // "bypass"
 * ```
 * @param setting Codex's `approval_policy`, `sandbox_mode` and
 *   `approvals_reviewer`
 */
export function codexModeWord(
  setting: { approval: string; sandbox: string; reviewer?: string },
): string {
  const { approval, sandbox, reviewer } = setting;
  if (reviewer === "auto_review" && approval !== "never") return "auto";
  if (approval === "untrusted") return "ask";
  if (approval === "never" && sandbox === "danger-full-access") {
    return "bypass";
  }
  if (approval === "on-request" && sandbox === "read-only") return "ask";
  if (approval === "never" && sandbox === "read-only") return "plan";
  if (approval === "on-request" && sandbox === "workspace-write") {
    return "edits";
  }
  return `approval_policy=${approval}, sandbox_mode=${sandbox}`;
}

/**
 * The permission mode a Codex session starts in without
 * `--permission-mode`: `approval_policy`, `sandbox_mode` and
 * `approvals_reviewer` of Codex's config.toml (its selected `profile`'s
 * first), each else Codex's own default (`on-request`; `workspace-write`
 * in a trusted directory, which aimax makes every session's). Never throws.
 *
 * @example
 * ```ts
 * import { codexDefaultPermission } from "./codex.ts";
 * console.log(await codexDefaultPermission("/home/me/.codex/config.toml"));
 * ```
 * @param configPath Codex's config.toml
 */
export async function codexDefaultPermission(
  configPath: string,
): Promise<SessionPermission> {
  let config: Record<string, unknown> = {};
  try {
    config = await readToml(configPath);
  } catch {
    // missing or unreadable: Codex's defaults
  }
  const profiles = config.profiles as Record<string, unknown> | undefined;
  const profile = typeof config.profile === "string" && profiles &&
      typeof profiles[config.profile] === "object"
    ? profiles[config.profile] as Record<string, unknown>
    : {};
  const pick = (key: string) => {
    const value = profile[key] ?? config[key];
    return typeof value === "string" ? value : undefined;
  };
  const approval = pick("approval_policy");
  const sandbox = pick("sandbox_mode");
  const reviewer = pick("approvals_reviewer");
  const mode = codexModeWord({
    approval: approval ?? "on-request",
    sandbox: sandbox ?? "workspace-write",
    reviewer,
  });
  if (approval === undefined && sandbox === undefined && !reviewer) {
    return { mode, source: "default", detail: "Codex's default" };
  }
  const keys = [
    approval && "approval_policy",
    sandbox && "sandbox_mode",
    reviewer && "approvals_reviewer",
  ].filter(Boolean).join(", ");
  return { mode, source: "settings", detail: `${keys} in ${configPath}` };
}

/**
 * The words of a `bash:` rule that Codex's `prefix_rule` can match: plain
 * words ending in a lone `*` (any arguments, or none).
 */
function codexPrefix(rule: Rule): string[] {
  const fail = (why: string) => unexpressible(rule, { label: "Codex", why });
  if (rule.kind !== "bash") {
    throw fail(
      "its rules (execpolicy prefix_rule) are about shell commands only",
    );
  }
  const words = rule.pattern.split(/\s+/).filter((w) => w !== "");
  if (words.at(-1) !== "*") {
    throw fail(
      'its rules match the leading words of a command: end the pattern with " *" (e.g. "bash:npm test *")',
    );
  }
  const prefix = words.slice(0, -1);
  if (prefix.length === 0) {
    throw fail("its rules need at least the command's first word");
  }
  if (prefix.some((w) => /[*?[\]"'\\$`]/.test(w))) {
    throw fail(
      'its rules match whole words: only a last " *" may stand for the rest (no other wildcard, quote or escape)',
    );
  }
  return prefix;
}

/**
 * A session's rules as a Codex execpolicy file (Starlark): each `bash:`
 * rule `WORDS *` a `prefix_rule` on those words, `allow` or `forbidden`
 * (Codex picks the strictest of the rules that match, so a deny wins).
 *
 * @example
 * ```ts
 * import { codexRulesFile } from "./codex.ts";
 * codexRulesFile({ allow: [], deny: ["bash:rm *"] });
 * // prefix_rule(pattern = ["rm"], decision = "forbidden", justification = "aimax --deny bash:rm *")
 * ```
 * @param rules the session's rules (checked)
 * @throws {InputError} naming the first rule Codex cannot express: not a
 *   `bash:` rule, or a pattern other than plain words and a last `*`
 */
export function codexRulesFile(rules: SessionRules): string {
  const lines = ["# Written by aimax for one session (create --allow/--deny)."];
  for (const [list, decision] of [["allow", "allow"], ["deny", "forbidden"]]) {
    for (const text of rules[list as "allow" | "deny"]) {
      const rule = parseRule(text);
      const prefix = codexPrefix(rule);
      lines.push(
        `prefix_rule(pattern = ${
          JSON.stringify(prefix)
        }, decision = "${decision}", justification = ${
          JSON.stringify(`aimax --${list} ${rule.text}`)
        })`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

/**
 * The shell script that gives one Codex run its rules without touching the
 * user's Codex home: Codex reads `*.rules` only from the `rules/` folder of
 * a config layer (its home, a trusted project's `.codex/`), never from a
 * `-c` override. So the run gets a home of its own (`$2`, in aimax's data
 * dir) where every entry of the user's home (`$1`) is a symbolic link to
 * the original (credentials, sessions, logs: the same files), except
 * `config.toml`, a hard link (a copy across file systems), and `rules/`, a
 * folder of hard links (or copies) to the user's rules files, since Codex
 * skips symbolic links there, plus a copy of the session's file (`$3`).
 * `sessions/` is made in the
 * user's home when missing, so the transcript lands where aimax finds it;
 * the history and the session index are linked even before they exist;
 * the databases stay in the user's home through `-c sqlite_home`.
 */
const CODEX_RULES_HOME_SCRIPT = [
  'real="$1"; run="$2"; rules="$3"; shift 3',
  'case "$run" in *.codex-home) ;; *) echo "aimax: bad run home $run" >&2; exit 1;; esac',
  'rm -rf "$run" && mkdir -p "$real/sessions" && mkdir -m 700 -p "$run/rules" || exit 1',
  'for f in "$real"/* "$real"/.[!.]*; do',
  '  [ -e "$f" ] || [ -L "$f" ] || continue',
  '  n="${f##*/}"; [ "$n" = rules ] && continue',
  '  if [ "$n" = config.toml ]; then ln "$f" "$run/$n" 2>/dev/null || cp -p "$f" "$run/$n" || exit 1; continue; fi',
  '  ln -s "$f" "$run/$n" || exit 1',
  "done",
  // Files Codex appends to, linked even before they exist (opening a
  // link to append creates its target).
  "for n in history.jsonl session_index.jsonl; do",
  '  [ -e "$run/$n" ] || [ -L "$run/$n" ] || ln -s "$real/$n" "$run/$n" || exit 1',
  "done",
  'for f in "$real"/rules/*; do',
  '  [ -e "$f" ] || continue',
  '  [ -f "$f" ] || continue',
  '  ln "$f" "$run/rules/${f##*/}" 2>/dev/null || cp -p "$f" "$run/rules/${f##*/}" || exit 1',
  "done",
  'cp "$rules" "$run/rules/zz-aimax-session.rules" || exit 1',
  'CODEX_HOME="$run"; export CODEX_HOME',
  'exec "$@"',
].join("\n");

/**
 * Wraps a Codex argv so that it runs with a session's rules
 * ({@linkcode CODEX_RULES_HOME_SCRIPT}): the rules file is written to the
 * data dir here, the run's home is built by the window's shell just before
 * Codex starts.
 */
async function withCodexRules(
  config: TmuxAgentsConfig,
  request: LaunchRequest,
  argv: string[],
): Promise<string[]> {
  const rules = request.rules;
  if (!rules || !hasRules(rules)) return argv;
  if (!request.signals) {
    throw new InputError(
      "rules need files of this run: start the session through the backend",
    );
  }
  const file = request.signals.runFile("codex.rules");
  await Deno.writeTextFile(file, codexRulesFile(rules), { mode: 0o600 });
  return [
    "sh",
    "-c",
    CODEX_RULES_HOME_SCRIPT,
    "aimax-rules",
    codexSettings(config).codexHome,
    request.signals.runFile("codex-home"),
    file,
    ...argv,
  ];
}

/** Whether the user's config.toml sets `sqlite_home` itself. */
async function codexSetsSqliteHome(config: TmuxAgentsConfig): Promise<boolean> {
  try {
    return (await readToml(codexSettings(config).codexConfig)).sqlite_home !==
      undefined;
  } catch {
    return false;
  }
}

/** Codex's options that aimax sets itself or that break a session. */
const CODEX_OWNED_ARGS: readonly OwnedArg[] = [
  {
    names: ["-c", "--config"],
    value: /^\s*notify\s*=/,
    instead:
      "aimax sets notify for its turn signals and still runs the notify program of your config.toml",
  },
  {
    names: ["-c", "--config"],
    value: /^\s*(approval_policy|sandbox_mode|approvals_reviewer)\s*=/,
    instead:
      "use aimax's --permission-mode (bypass needs --allow-bypass as well)",
  },
  {
    names: ["-c", "--config"],
    value: /^\s*model\s*=/,
    instead: "use aimax's --model",
  },
  {
    names: ["-c", "--config", "--enable", "--disable"],
    value: /daemon_auto_start/,
    instead:
      "aimax runs Codex without a detached app server, so that ending the window ends the turn",
  },
  {
    names: [
      "--ask-for-approval",
      "-a",
      "--sandbox",
      "-s",
      "--approve-for-me",
      "--dangerously-bypass-approvals-and-sandbox",
      "--full-auto",
    ],
    instead:
      "use aimax's --permission-mode (bypass needs --allow-bypass as well)",
  },
  { names: ["--model", "-m"], instead: "use aimax's --model" },
  {
    names: ["--cd", "-C", "--worktree"],
    instead:
      "aimax finds the thread from the session's directory: give the directory as --cwd",
  },
  {
    names: ["--remote", "--remote-auth-token-env"],
    instead:
      "aimax reads the thread's rollout on this host: run aimax where the agent runs (aimax serve)",
  },
  {
    names: ["--help", "-h", "--version", "-V"],
    instead: "aimax drives Codex's interactive TUI in its own window",
  },
];

interface ThreadRow {
  id: string;
  rollout_path: string;
  cwd: string;
  created_at_ms: number;
  first_user_message: string | null;
}

/**
 * Reads Codex's `threads` table read-only. `node:sqlite` is loaded here, on
 * first use: only creating a session and finding a rollout need it, and any
 * `node:` module costs every other command Deno's Node layer at start-up.
 *
 * @param dbPath the state database
 * @param where a constant SQL condition with `?` parameters
 * @param params its parameters
 */
async function queryThreads(
  dbPath: string,
  where: string,
  params: (string | number)[],
): Promise<ThreadRow[] | undefined> {
  try {
    Deno.statSync(dbPath);
  } catch {
    return undefined;
  }
  let db: DatabaseSync | undefined;
  try {
    const { DatabaseSync } = await import("node:sqlite");
    db = new DatabaseSync(dbPath, { readOnly: true });
    const rows = db.prepare(
      `SELECT id, rollout_path, cwd, created_at_ms, first_user_message FROM threads WHERE ${where} ORDER BY created_at_ms`,
    ).all(...params);
    return rows as unknown as ThreadRow[];
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/**
 * The rollout file of thread `id`: from the state database, else by name in
 * the sessions folder.
 *
 * @param config config snapshot
 * @param id Codex thread id
 */
export async function findCodexRollout(
  config: TmuxAgentsConfig,
  id: string,
): Promise<string | undefined> {
  const rows = await queryThreads(
    codexSettings(config).codexStateDb,
    "id = ?",
    [id],
  );
  if (rows && rows[0]?.rollout_path) return rows[0].rollout_path;
  for await (
    const path of rolloutFiles(codexSettings(config).codexSessionsDir)
  ) {
    if (path.endsWith(`-${id}.jsonl`)) return path;
  }
  return undefined;
}

async function* rolloutFiles(dir: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return;
  }
  entries.sort((a, b) => b.name.localeCompare(a.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* rolloutFiles(path);
    else if (
      entry.name.startsWith("rollout-") && entry.name.endsWith(".jsonl")
    ) {
      yield path;
    }
  }
}

function userText(record: unknown): string | undefined {
  if (!record || typeof record !== "object") return undefined;
  // deno-lint-ignore no-explicit-any
  const r = record as Record<string, any>;
  if (
    r.type === "event_msg" && r.payload?.type === "item_completed" &&
    r.payload.item?.type === "UserMessage" &&
    Array.isArray(r.payload.item.content)
  ) {
    return r.payload.item.content
      .filter((c: Record<string, unknown>) => c?.type === "text")
      .map((c: Record<string, unknown>) => String(c.text ?? ""))
      .join("\n");
  }
  return undefined;
}

/**
 * Finds the thread a new session started: the first thread in its cwd,
 * created after the window opened, whose first user message is the prompt
 * aimax sent and which no other session owns. The state database first,
 * then the sessions folder. The backend serialises first prompts per cwd,
 * so two sessions started at once cannot take each other's thread.
 *
 * @param request what is known of the session
 */
export async function discoverCodexThread(
  request: DiscoveryRequest,
): Promise<Discovery | undefined> {
  const { config, record, prompt, taken } = request;
  const since = Date.parse(record.startedAt) - 5_000;
  const want = normalisePrompt(prompt);
  const rows = await queryThreads(
    codexSettings(config).codexStateDb,
    "cwd = ? AND created_at_ms >= ?",
    [record.cwd, since],
  );
  for (const row of rows ?? []) {
    if (taken.has(row.id)) continue;
    if (normalisePrompt(row.first_user_message ?? "") !== want) continue;
    return { agentSessionId: row.id, jsonlPath: row.rollout_path };
  }
  // Fallback: the rollout files themselves.
  for await (
    const path of rolloutFiles(codexSettings(config).codexSessionsDir)
  ) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch {
      continue;
    }
    if ((info.mtime?.getTime() ?? 0) < since) continue;
    const { entries } = await readJsonl(path);
    // deno-lint-ignore no-explicit-any
    const meta = entries[0]?.value as any;
    const id = meta?.type === "session_meta" ? meta.payload?.id : undefined;
    if (typeof id !== "string" || taken.has(id)) continue;
    if (meta.payload?.cwd !== record.cwd) continue;
    const first = entries.map((e) => userText(e.value)).find((t) =>
      t !== undefined
    );
    if (first !== undefined && normalisePrompt(first) === want) {
      return { agentSessionId: id, jsonlPath: path };
    }
  }
  return undefined;
}

/**
 * A command's output as Codex records it, without the header it adds
 * (`Chunk ID: …`, `Wall time: …`, `Process exited with code N`, `Original
 * token count: …`, `Output:`), and the exit code from that header.
 *
 * @example
 * ```ts
 * import { execOutput } from "./codex.ts";
 * execOutput("Chunk ID: a\nProcess exited with code 2\nOutput:\nboom");
 * // { output: "boom", exitCode: 2 }
 * ```
 * @param text the recorded output
 */
export function execOutput(
  text: string,
): { output: string; exitCode?: number } {
  const header = text.match(/^Chunk ID: [^\n]*\n(?:[^\n]*\n)*?Output:\n?/);
  if (!header) return { output: text };
  const code = header[0].match(/Process exited with code (-?\d+)/);
  return {
    output: text.slice(header[0].length),
    ...(code ? { exitCode: Number(code[1]) } : {}),
  };
}

/** A numbered choice of a menu or dialog, e.g. `› 1. Yes, proceed (y)`. */
const MENU_ITEM = /^›?\s*\d+\. /;

/** The footer under the composer: `<model> <effort> · <cwd>`. */
const FOOTER = / · (\/|~)/;

/**
 * The status line of a running turn, `Working (3s • esc to interrupt)` (its
 * header may be another word; a spinner glyph may stand before it). A reply
 * bullet such as `• Working on it…` is not one.
 */
const STATUS = /\((?:\d+[hms] ?)+• esc to interrupt\)\s*$/;

/** What the empty composer shows (Codex 0.169; see the screen fixtures). */
const PLACEHOLDERS = new Set([
  "Ask Codex to do anything",
  "Ask a follow-up question",
]);

/**
 * The main thread's side of a screen split by a side conversation: 0.171.0
 * draws `/side` as a panel right of a `│` standing in one column on most
 * lines, its composer and footer on the main ones' lines. Lines as they are
 * when no column holds a `│` on at least half of them.
 */
function mainPanel(lines: string[]): string[] {
  const count = new Map<number, number>();
  for (const line of lines) {
    for (let at = line.indexOf("│"); at >= 0; at = line.indexOf("│", at + 1)) {
      count.set(at, (count.get(at) ?? 0) + 1);
    }
  }
  let column = -1;
  let most = 0;
  for (const [at, n] of count) {
    if (n > most) [column, most] = [at, n];
  }
  if (most < 10 || most * 2 < lines.length) return lines;
  return lines.map((l) => l[column] === "│" ? l.slice(0, column).trimEnd() : l);
}

/**
 * A dialog's text ({@linkcode dialogText}): from the nearest line matching
 * `first` at or before line `before` to the key hints ("… to confirm",
 * "… to cancel") or the end.
 */
function codexDialog(
  lines: readonly string[],
  first: RegExp,
  before = lines.length - 1,
): string {
  let start = 0;
  for (let i = Math.min(before, lines.length - 1); i >= 0; i--) {
    if (first.test(lines[i])) {
      start = i;
      break;
    }
  }
  return dialogText(lines, { start, end: /to confirm|to cancel|esc back/ });
}

/**
 * A Codex dialog with its choices (`› 1. Yes, proceed (y)`, each picked by
 * its own key, the one in parentheses) and what it asks: the command
 * (`$ …`).
 */
function codexChoices(state: PaneState): PaneState {
  if (state.kind !== "dialog") return state;
  const lines = state.text.split("\n");
  const choices = numberedChoices(lines, {
    mark: "›",
    shortcut: (words) => {
      const m = /^(.*?)\s*\((\w+)\)$/.exec(words);
      if (!m) return { label: words };
      return { label: m[1], key: m[2] === "esc" ? "Escape" : m[2] };
    },
  });
  const command = lines.find((l) => l.startsWith("$ "));
  return {
    ...state,
    ...(command ? { asks: command.slice(2) } : {}),
    ...(choices.length > 0 ? { choices } : {}),
  };
}

/** Codex's screen read as a {@linkcode PaneState}, before the choices. */
function readCodexScreen(screen: string): PaneState {
  const lines = mainPanel(screenLines(screen));
  if (/Trust this folder\?|Trust and continue/.test(screen)) {
    return {
      kind: "dialog",
      purpose: "trust",
      text: codexDialog(lines, /Folder access|Trust this folder/),
    };
  }
  if (/Sign in with ChatGPT|Provide your own API key/.test(screen)) {
    return {
      kind: "dialog",
      purpose: "login",
      text: codexDialog(
        lines,
        /Sign in with ChatGPT|Provide your own API key/,
      ),
      hint:
        "Codex is not logged in: run `codex login` once, or configure a model provider with an API key",
    };
  }
  if (/Try new model|Use existing model/.test(screen)) {
    return {
      kind: "dialog",
      purpose: "other",
      text: codexDialog(lines, /Try new model|Meet /),
      hint:
        "Codex shows a model-migration prompt: answer it once in an interactive `codex`",
    };
  }
  const approval = lines.findLastIndex((l) =>
    /Would you like to (run the following command|make the following edits|allow)/
      .test(l)
  );
  if (approval >= 0) {
    return {
      kind: "dialog",
      purpose: "permission",
      text: codexDialog(lines, /Would you like to/, approval),
    };
  }
  const box = lines.findLastIndex((l) =>
    l.startsWith("›") && !MENU_ITEM.test(l)
  );
  const footer = lines.findIndex((l, i) => i > box && FOOTER.test(l));
  if (box >= 0 && footer > box) {
    const text = [lines[box].replace(/^›\s?/, "")]
      .concat(lines.slice(box + 1, footer).map((l) => l.trim()))
      .join("\n").trim();
    return {
      kind: "input",
      working: lines.slice(0, box).some((l) => STATUS.test(l)),
      composer: PLACEHOLDERS.has(text) ? "" : text,
    };
  }
  const menu = lines.findLastIndex((l) => MENU_ITEM.test(l.trim()));
  if (menu >= 0) {
    return {
      kind: "dialog",
      purpose: "other",
      text: codexDialog(lines, /\S/, menu),
    };
  }
  return { kind: "starting" };
}

/**
 * What a Codex `notify` call means (as aimax's hook script recorded it): the
 * end of a turn of the session's own thread, with its answer, id and the
 * prompts it answered; `undefined` for other calls, for another thread's
 * turn (Codex's title generation) and while the thread is not known.
 *
 * @example
 * ```ts
 * import { codexSignal } from "./codex.ts";
 * codexSignal({
 *   at: 0,
 *   event: "notify",
 *   payload: { type: "agent-turn-complete", "thread-id": "t1" },
 * }, { agentSessionId: "t1" }); // { kind: "turn_ended", prompts: [] }
 * ```
 * @param event one events-file line
 * @param context the session's thread
 */
export function codexSignal(
  event: SignalEvent,
  context: { agentSessionId: string | null },
): AgentSignal | undefined {
  const p = event.payload ?? {};
  if (event.event !== "notify" || p.type !== "agent-turn-complete") {
    return undefined;
  }
  if (!context.agentSessionId || p["thread-id"] !== context.agentSessionId) {
    return undefined;
  }
  const answer = p["last-assistant-message"];
  const turnId = p["turn-id"] ?? p.turn_id;
  const prompts = Array.isArray(p["input-messages"])
    ? p["input-messages"].filter((m): m is string => typeof m === "string")
    : [];
  return {
    kind: "turn_ended",
    ...(typeof answer === "string" ? { answer } : {}),
    ...(typeof turnId === "string" ? { turnId } : {}),
    prompts,
  };
}

/** Codex's own settings (its section of the config). */
export type CodexSettings = {
  codexHome: string;
  codexHub: string;
  codexConfig: string;
  codexStateDb: string;
  codexSessionsDir: string;
  codexDefaultModel: string;
  rightcodeEnvFile: string;
  codexBin: string;
};

/** Codex's section of the config: its `AIMAX_*` variables and defaults. */
export const CODEX_SECTION: ConfigSection<keyof CodexSettings> = {
  vars: [
    {
      env: "AIMAX_CODEX_HOME",
      key: "codexHome",
      defaultText: "$CODEX_HOME or ~/.codex",
    },
    {
      env: "AIMAX_CODEX_HUB",
      key: "codexHub",
      defaultText: "imac_codex_agent_hub",
    },
    {
      env: "AIMAX_CODEX_CONFIG",
      key: "codexConfig",
      defaultText: "<codex home>/config.toml",
    },
    {
      env: "AIMAX_CODEX_STATE_DB",
      key: "codexStateDb",
      defaultText: "<codex home>/state_5.sqlite",
    },
    {
      env: "AIMAX_CODEX_SESSIONS_DIR",
      key: "codexSessionsDir",
      defaultText: "<codex home>/sessions",
    },
    {
      env: "AIMAX_CODEX_DEFAULT_MODEL",
      key: "codexDefaultModel",
      defaultText: "gpt-5.5",
    },
    {
      env: "AIMAX_RIGHTCODE_ENV_FILE",
      key: "rightcodeEnvFile",
      defaultText: "<codex home>/secrets/rightcode.env",
    },
    { env: "AIMAX_CODEX_BIN", key: "codexBin", defaultText: "codex" },
  ],
  derivedFrom: ["CODEX_HOME"],
  resolve: (get, { home }) => {
    const codexHome = get("AIMAX_CODEX_HOME") ?? get("CODEX_HOME") ??
      join(home, ".codex");
    return {
      codexHome,
      codexHub: get("AIMAX_CODEX_HUB") ?? "imac_codex_agent_hub",
      codexConfig: get("AIMAX_CODEX_CONFIG") ??
        join(codexHome, "config.toml"),
      codexStateDb: get("AIMAX_CODEX_STATE_DB") ??
        join(codexHome, "state_5.sqlite"),
      codexSessionsDir: get("AIMAX_CODEX_SESSIONS_DIR") ??
        join(codexHome, "sessions"),
      codexDefaultModel: get("AIMAX_CODEX_DEFAULT_MODEL") ?? "gpt-5.5",
      rightcodeEnvFile: get("AIMAX_RIGHTCODE_ENV_FILE") ??
        join(codexHome, "secrets", "rightcode.env"),
      codexBin: get("AIMAX_CODEX_BIN") ?? "codex",
    };
  },
};

/**
 * Codex's settings in `config`.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "../config.ts";
 * import { codexSettings } from "./codex.ts";
 * console.log(codexSettings(configFromEnv()).codexBin);
 * ```
 * @param config the config
 */
export function codexSettings(config: TmuxAgentsConfig): CodexSettings {
  return settingsOf(config, "tmux-codex", CODEX_SECTION);
}

/**
 * Codex as an {@linkcode AgentProfile}.
 *
 * @example
 * ```ts
 * import { TmuxAgentBackend } from "../backend/backend.ts";
 * import { configFromEnv } from "../config.ts";
 * import { codexProfile } from "./codex.ts";
 * const backend = new TmuxAgentBackend(codexProfile, configFromEnv());
 * ```
 */
export const codexProfile: AgentProfile = {
  name: "tmux-codex",
  signal: (event, context) => codexSignal(event, context),
  rawNames: [
    "agent-turn-complete",
    "thread-id",
    "turn-id",
    "last-assistant-message",
    "input-messages",
  ],
  doctorSignals: {
    kind: "note",
    detail:
      "turn ends through notify (fires at a turn's end; not tested without a prompt)",
  },
  mcpRegistration: ({ command, args, tokenEnv }) => {
    const lines = [
      "[mcp_servers.aimax]",
      `command = ${JSON.stringify(command)}`,
      `args = [${args.map((a) => JSON.stringify(a)).join(", ")}]`,
      // A wait may take longer than Codex's default 60 s per tool call.
      "tool_timeout_sec = 600",
    ];
    if (tokenEnv) lines.push(`env_vars = [${JSON.stringify(tokenEnv)}]`);
    return {
      text: lines.join("\n"),
      note:
        "Add it to ~/.codex/config.toml, or for one run: codex -c 'mcp_servers.aimax.command=\"aimax\"' -c 'mcp_servers.aimax.args=[\"mcp\"]'",
    };
  },
  label: "Codex",
  exitCommands: ["/exit", "/quit"],
  shortName: "codex",
  installHint: "Install Codex: `npm install -g @openai/codex`",
  queueKey: "Tab",
  pastePlaceholder: /^\[Pasted Content \d+ chars\]$/,
  interruptKeys: ["Escape"],
  acceptTrustKeys: () => ["Enter"],
  envNames: [...COMMON_ENV, "CODEX_HOME", "OPENAI_API_KEY", "OPENAI_BASE_URL"],
  envPrefixes: ["OPENAI_", "CODEX_"],
  binEnvVar: "AIMAX_CODEX_BIN",
  config: CODEX_SECTION,
  testedRange: { oldest: "0.169.0", newest: "0.171.0" },
  versionFromScreen: (screen) =>
    screen.match(/OpenAI Codex \(v(\d+\.\d+\.\d+)\)/)?.[1],
  configuredEnvNames: (config) =>
    codexProviderEnvKeys(codexSettings(config).codexConfig),

  paths: (config) => ({
    read: [
      codexSettings(config).codexHome,
      codexSettings(config).codexConfig,
      codexSettings(config).codexStateDb,
      codexSettings(config).codexSessionsDir,
      codexSettings(config).rightcodeEnvFile,
    ],
    write: [],
  }),

  hub: (config) => codexSettings(config).codexHub,
  bin: (config) => codexSettings(config).codexBin,

  permissionArgs: (mode) => [...CODEX_PERMISSION_ARGS[mode]],
  defaultPermission: (config) =>
    codexDefaultPermission(codexSettings(config).codexConfig),
  ownedArgs: CODEX_OWNED_ARGS,
  checkRules: (rules) => void codexRulesFile(rules),

  recordTrust() {
    // Trust travels with the launch (`-c projects=…`), valid for that run
    // only: aimax never rewrites the user's config.toml.
    return Promise.resolve();
  },

  async plan(request: LaunchRequest): Promise<LaunchPlan> {
    const { config } = request;
    const argv = [codexSettings(config).codexBin];
    if (request.agentSessionId) argv.push("resume");
    argv.push(
      "-c",
      codexTrustOverride(request.cwd),
      // No detached app-server: killing the window must end the turn.
      "-c",
      "features.daemon_auto_start=false",
      `--model=${request.model ?? codexSettings(config).codexDefaultModel}`,
    );
    if (hasRules(request.rules) && !await codexSetsSqliteHome(config)) {
      // A run with rules has a home of its own: its databases (threads,
      // logs) stay in the user's, where aimax and `codex resume` find them.
      argv.push(
        "-c",
        `sqlite_home=${JSON.stringify(codexSettings(config).codexHome)}`,
      );
    }
    if (request.signals) {
      // Turn ends through `notify`, set for this run only; the user's own
      // notify program still runs (the hook calls it after recording).
      // Codex's hooks are not used: running them per run needs
      // --dangerously-bypass-hook-trust, which would also run a
      // repository's unreviewed hooks.
      const notify = [
        request.signals.hook,
        request.signals.events,
        "notify",
        ...await codexUserNotify(codexSettings(config).codexConfig),
      ];
      argv.push("-c", `notify=${JSON.stringify(notify)}`);
    }
    if (request.permissionMode) {
      argv.push(...CODEX_PERMISSION_ARGS[request.permissionMode]);
    }
    let jsonlPath: string | null = null;
    if (request.agentSessionId) {
      argv.push(request.agentSessionId);
      jsonlPath = await findCodexRollout(config, request.agentSessionId) ??
        null;
    }
    // After the thread id: a passed-through option cannot take it as its
    // value.
    argv.push(...request.agentArgs ?? []);
    const env = forwardEnv(
      [
        ...codexProfile.envNames,
        ...await codexProviderEnvKeys(codexSettings(config).codexConfig),
      ],
      codexProfile.envPrefixes,
    );
    // Codex creates ~/.codex itself, but refuses a CODEX_HOME that does not
    // exist: name it only when it is not the default.
    if (codexSettings(config).codexHome !== join(config.home, ".codex")) {
      env.CODEX_HOME = codexSettings(config).codexHome;
    }
    let command = await withCodexRules(config, request, argv);
    try {
      if ((await Deno.stat(codexSettings(config).rightcodeEnvFile)).isFile) {
        // Load the env file's variables (never printed) into the agent.
        command = [
          "sh",
          "-c",
          'set -a; . "$1"; set +a; shift; exec "$@"',
          "aimax-env",
          codexSettings(config).rightcodeEnvFile,
          ...command,
        ];
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return {
      argv: request.useProxy ? proxyArgv(config, command) : command,
      env,
      agentSessionId: request.agentSessionId,
      jsonlPath,
    };
  },

  readScreen(screen: string): PaneState {
    return codexChoices(readCodexScreen(screen));
  },

  transcriptEvents(r: Record<string, unknown>): AgentEventBody[] {
    // deno-lint-ignore no-explicit-any
    const p = r.payload as Record<string, any> | undefined;
    if (!p) return [];
    if (r.type === "event_msg") {
      switch (p.type) {
        case "task_started": {
          const turnId = p.turn_attribution?.turn_id ?? p.turn_id;
          return [{ type: "turn_started", ...(turnId ? { turnId } : {}) }];
        }
        case "task_complete": {
          const durationMs = typeof p.duration_ms === "number"
            ? p.duration_ms
            : typeof p.completed_at === "number" &&
                typeof p.started_at === "number"
            ? (p.completed_at - p.started_at) * 1000
            : undefined;
          return [{
            type: "turn_completed",
            ...(typeof p.last_agent_message === "string"
              ? { text: p.last_agent_message }
              : {}),
            ...(durationMs === undefined ? {} : { durationMs }),
            ...(p.turn_id ? { turnId: p.turn_id } : {}),
          }];
        }
        case "turn_aborted":
          return [{
            type: "turn_aborted",
            ...(p.turn_id ? { turnId: p.turn_id } : {}),
          }];
        case "item_completed": {
          const item = p.item;
          const text = contentText(item?.content);
          if (item?.type === "UserMessage") {
            return [{ type: "user_message", text }];
          }
          if (item?.type === "AgentMessage") {
            return [{ type: "assistant_message", text }];
          }
          return [];
        }
      }
      return [];
    }
    if (r.type === "response_item") {
      if (p.type === "function_call" || p.type === "custom_tool_call") {
        let input: unknown = p.arguments ?? p.input;
        try {
          if (typeof input === "string") input = JSON.parse(input);
        } catch {
          // keep the raw text
        }
        return [{
          type: "tool_call",
          name: String(p.name),
          input,
          ...(p.call_id ? { callId: p.call_id } : {}),
        }];
      }
      if (
        p.type === "function_call_output" ||
        p.type === "custom_tool_call_output"
      ) {
        const raw = typeof p.output === "string"
          ? p.output
          : JSON.stringify(p.output);
        const { output, exitCode } = execOutput(raw);
        return [{
          type: "tool_result",
          output,
          ...(exitCode !== undefined && exitCode !== 0
            ? { isError: true }
            : {}),
          ...(p.call_id ? { callId: p.call_id } : {}),
        }];
      }
    }
    return [];
  },

  summarize(r: Record<string, unknown>): string | undefined {
    // deno-lint-ignore no-explicit-any
    const p = r.payload as Record<string, any> | undefined;
    if (r.type === "event_msg" && p) {
      if (p.type === "item_completed" && p.item) {
        const item = p.item;
        if (item.type === "CommandExecution") {
          return clip(`command: ${[].concat(item.command ?? []).join(" ")}`);
        }
        return clip(`${item.type}: ${contentText(item.content)}`);
      }
      return `event: ${p.type}`;
    }
    if (r.type === "response_item" && p) {
      return clip(
        `${p.type}${p.role ? ` (${p.role})` : ""}: ${
          contentText(p.content) || (p.name ?? "")
        }`,
      );
    }
    return undefined;
  },

  promptRecord(record: unknown, text: string): PromptRecordKind | undefined {
    const got = userText(record);
    return got !== undefined && normalisePrompt(got) === normalisePrompt(text)
      ? "started"
      : undefined;
  },

  transcriptWorking(
    records: readonly unknown[],
    since: number,
  ): boolean | undefined {
    for (let i = records.length - 1; i >= 0; i--) {
      // deno-lint-ignore no-explicit-any
      const r = records[i] as any;
      if (r?.type !== "event_msg") continue;
      const type = r.payload?.type;
      if (type === "task_complete" || type === "turn_aborted") return false;
      if (type === "task_started") {
        return Date.parse(r.timestamp ?? "") >= since;
      }
    }
    return undefined;
  },

  queuedOnScreen(screen: string, text: string): boolean {
    const lines = screenLines(screen);
    const at = lines.findIndex((l) => /Queued follow-up/.test(l));
    if (at < 0) return false;
    const head = normalisePrompt(text).split("\n")[0].slice(0, 24).trim();
    return lines.slice(at + 1).some((l) => l.includes("↳") && l.includes(head));
  },

  discover: discoverCodexThread,
};
