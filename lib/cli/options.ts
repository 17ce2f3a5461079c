/**
 * The options of every `aimax` command, as data: the pieces several
 * commands share and each command's whole set. The command table
 * (`lib/cli/mod.ts`) declares each command with its set, and the command's
 * run file types its `ctx.values` with the same set, without loading the
 * table (which imports the run files). Cheap on purpose: every start of
 * the CLI loads it.
 *
 * @module
 */
import type { CommandOptions } from "./command.ts";

/**
 * `-b/--backend NAME`.
 *
 * @example
 * ```ts
 * import { BACKEND_OPTION, SESSION_OPTION } from "./options.ts";
 * const options = { ...BACKEND_OPTION, ...SESSION_OPTION };
 * ```
 */
export const BACKEND_OPTION = {
  backend: { type: "string", short: "b" },
} as const satisfies CommandOptions;

/**
 * `-s/--session ID`.
 *
 * @example
 * ```ts
 * import { SESSION_OPTION } from "./options.ts";
 * console.log(SESSION_OPTION.session.short); // "s"
 * ```
 */
export const SESSION_OPTION = {
  // Repeatable (`send -s a -s b`); one-session commands take exactly one.
  session: { type: "string", short: "s", multiple: true },
} as const satisfies CommandOptions;

/**
 * `-p/--prompt TEXT` and `--prompt-file FILE` (read by `promptOf` in
 * `shared.ts`).
 *
 * @example
 * ```ts
 * import { PROMPT_OPTIONS } from "./options.ts";
 * console.log(Object.keys(PROMPT_OPTIONS)); // ["prompt", "prompt-file"]
 * ```
 */
export const PROMPT_OPTIONS = {
  prompt: { type: "string", short: "p" },
  "prompt-file": { type: "string" },
} as const satisfies CommandOptions;

/**
 * `--flag-root DIR`.
 *
 * @example
 * ```ts
 * import { FLAG_ROOT_OPTION } from "./options.ts";
 * console.log(FLAG_ROOT_OPTION["flag-root"].type); // "string"
 * ```
 */
export const FLAG_ROOT_OPTION = {
  "flag-root": { type: "string" },
} as const satisfies CommandOptions;

/**
 * `--from-sentinel N` (read by `offsetOption` in `shared.ts`).
 *
 * @example
 * ```ts
 * import { FROM_SENTINEL_OPTION } from "./options.ts";
 * console.log(FROM_SENTINEL_OPTION["from-sentinel"].type); // "string"
 * ```
 */
export const FROM_SENTINEL_OPTION = {
  "from-sentinel": { type: "string" },
} as const satisfies CommandOptions;

/**
 * `--wide`: show every cell whole (`list`, `status`, `history`, `stream`).
 *
 * @example
 * ```ts
 * import { WIDE_OPTION } from "./options.ts";
 * console.log(WIDE_OPTION.wide.type); // "boolean"
 * ```
 */
export const WIDE_OPTION = {
  wide: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `-v/--verbose`: the details behind a one-line report.
 *
 * @example
 * ```ts
 * import { VERBOSE_OPTION } from "./options.ts";
 * console.log(VERBOSE_OPTION.verbose.short); // "v"
 * ```
 */
export const VERBOSE_OPTION = {
  verbose: { type: "boolean", short: "v" },
} as const satisfies CommandOptions;

/**
 * `--all` (every record, also those with nothing for a person) and
 * `--offsets` (each line's byte offset) of `history` and `stream`.
 *
 * @example
 * ```ts
 * import { CONVERSATION_OPTIONS } from "./options.ts";
 * console.log(Object.keys(CONVERSATION_OPTIONS)); // ["all", "offsets", "wide"]
 * ```
 */
export const CONVERSATION_OPTIONS = {
  all: { type: "boolean" },
  offsets: { type: "boolean" },
  ...WIDE_OPTION,
} as const satisfies CommandOptions;

/**
 * `--timeout SEC` of the waiting commands (read by `secondsOption` in
 * `turn.ts`).
 *
 * @example
 * ```ts
 * import { TIMEOUT_OPTION } from "./options.ts";
 * console.log(Object.keys(TIMEOUT_OPTION)); // ["timeout"]
 * ```
 */
export const TIMEOUT_OPTION = {
  timeout: { type: "string" },
} as const satisfies CommandOptions;

/**
 * Seconds `--when-ready` waits for a dialog to be answered when given bare.
 *
 * @example
 * ```ts
 * import { WHEN_READY_DEFAULT_SECONDS } from "./options.ts";
 * console.log(`--when-ready=${WHEN_READY_DEFAULT_SECONDS}`);
 * ```
 */
export const WHEN_READY_DEFAULT_SECONDS = 600;

/**
 * `--worktree[=BRANCH]` (a bare `--worktree` reaches `create` as an empty
 * value: the default branch), `--base REF`, `--reuse-branch`, `--copy PATH`
 * (repeatable) and `--setup CMD` of `aimax create`.
 */
const WORKTREE_OPTIONS = {
  worktree: { type: "string" },
  base: { type: "string" },
  "reuse-branch": { type: "boolean" },
  copy: { type: "string", multiple: true },
  setup: { type: "string" },
} as const satisfies CommandOptions;

/**
 * `aimax create`'s options.
 *
 * @example
 * ```ts
 * import { CREATE_OPTIONS } from "./options.ts";
 * console.log(CREATE_OPTIONS.cwd.type); // "string"
 * ```
 */
export const CREATE_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  cwd: { type: "string" },
  ...PROMPT_OPTIONS,
  model: { type: "string" },
  ...FLAG_ROOT_OPTION,
  "display-name": { type: "string" },
  "agent-session-id": { type: "string" },
  "use-proxy": { type: "boolean" },
  "no-proxy": { type: "boolean" },
  "permission-mode": { type: "string" },
  "allow-bypass": { type: "boolean" },
  allow: { type: "string", multiple: true },
  deny: { type: "string", multiple: true },
  ...WORKTREE_OPTIONS,
  ...VERBOSE_OPTION,
} as const satisfies CommandOptions;

/**
 * `aimax send`'s and `aimax pause`'s options (the same for both).
 *
 * @example
 * ```ts
 * import { SEND_OPTIONS } from "./options.ts";
 * console.log(SEND_OPTIONS["when-ready"].type); // "string"
 * ```
 */
export const SEND_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...PROMPT_OPTIONS,
  ...FLAG_ROOT_OPTION,
  ...TIMEOUT_OPTION,
  wait: { type: "boolean" },
  "when-ready": { type: "string" },
  key: { type: "string" },
  all: { type: "boolean" },
  ...VERBOSE_OPTION,
} as const satisfies CommandOptions;

/**
 * `aimax stop`'s options.
 *
 * @example
 * ```ts
 * import { STOP_OPTIONS } from "./options.ts";
 * console.log(Object.keys(STOP_OPTIONS)); // ["backend", "session", "discard", "verbose"]
 * ```
 */
export const STOP_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  discard: { type: "boolean" },
  ...VERBOSE_OPTION,
} as const satisfies CommandOptions;

/**
 * `aimax diff`'s options.
 *
 * @example
 * ```ts
 * import { DIFF_OPTIONS } from "./options.ts";
 * console.log(Object.keys(DIFF_OPTIONS)); // ["backend", "session", "stat"]
 * ```
 */
export const DIFF_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  stat: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `aimax merge`'s options.
 *
 * @example
 * ```ts
 * import { MERGE_OPTIONS } from "./options.ts";
 * console.log(Object.keys(MERGE_OPTIONS)); // ["backend", "session", "squash", "message"]
 * ```
 */
export const MERGE_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  squash: { type: "boolean" },
  message: { type: "string" },
} as const satisfies CommandOptions;

/**
 * `aimax revive`'s options.
 *
 * @example
 * ```ts
 * import { REVIVE_OPTIONS } from "./options.ts";
 * console.log(Object.keys(REVIVE_OPTIONS)); // ["backend", "session", "verbose"]
 * ```
 */
export const REVIVE_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...VERBOSE_OPTION,
} as const satisfies CommandOptions;

/**
 * `aimax list`'s options.
 *
 * @example
 * ```ts
 * import { LIST_OPTIONS } from "./options.ts";
 * console.log(LIST_OPTIONS.watch.type); // "boolean"
 * ```
 */
export const LIST_OPTIONS = {
  ...BACKEND_OPTION,
  ...WIDE_OPTION,
  watch: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `aimax status`'s options.
 *
 * @example
 * ```ts
 * import { STATUS_OPTIONS } from "./options.ts";
 * console.log(Object.keys(STATUS_OPTIONS)); // ["backend", "session", "wide"]
 * ```
 */
export const STATUS_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...WIDE_OPTION,
} as const satisfies CommandOptions;

/**
 * `aimax history`'s options.
 *
 * @example
 * ```ts
 * import { HISTORY_OPTIONS } from "./options.ts";
 * console.log(HISTORY_OPTIONS.limit.type); // "string"
 * ```
 */
export const HISTORY_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...FROM_SENTINEL_OPTION,
  ...CONVERSATION_OPTIONS,
  limit: { type: "string" },
} as const satisfies CommandOptions;

/**
 * `aimax stream`'s options.
 *
 * @example
 * ```ts
 * import { STREAM_OPTIONS } from "./options.ts";
 * console.log(STREAM_OPTIONS.events.type); // "boolean"
 * ```
 */
export const STREAM_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...FROM_SENTINEL_OPTION,
  ...CONVERSATION_OPTIONS,
  events: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `aimax wait`'s options.
 *
 * @example
 * ```ts
 * import { WAIT_OPTIONS } from "./options.ts";
 * console.log(Object.keys(WAIT_OPTIONS)); // ["backend", "session", "timeout"]
 * ```
 */
export const WAIT_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...TIMEOUT_OPTION,
} as const satisfies CommandOptions;

/**
 * The options of the commands that name one session and nothing else
 * (`events`, which takes it optionally, `screen`, `keys`, `attach`).
 *
 * @example
 * ```ts
 * import { ONE_SESSION_OPTIONS } from "./options.ts";
 * console.log(Object.keys(ONE_SESSION_OPTIONS)); // ["backend", "session"]
 * ```
 */
export const ONE_SESSION_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
} as const satisfies CommandOptions;

/**
 * `aimax approve`'s options.
 *
 * @example
 * ```ts
 * import { APPROVE_OPTIONS } from "./options.ts";
 * console.log(APPROVE_OPTIONS.always.type); // "boolean"
 * ```
 */
export const APPROVE_OPTIONS = {
  ...ONE_SESSION_OPTIONS,
  dialog: { type: "string" },
  always: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `aimax deny`'s options.
 *
 * @example
 * ```ts
 * import { DENY_OPTIONS } from "./options.ts";
 * console.log(DENY_OPTIONS.reason.type); // "string"
 * ```
 */
export const DENY_OPTIONS = {
  ...ONE_SESSION_OPTIONS,
  dialog: { type: "string" },
  reason: { type: "string" },
} as const satisfies CommandOptions;

/**
 * `aimax notify`'s options.
 *
 * @example
 * ```ts
 * import { NOTIFY_OPTIONS } from "./options.ts";
 * console.log(NOTIFY_OPTIONS.webhook.multiple); // true
 * ```
 */
export const NOTIFY_OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  on: { type: "string" },
  exec: { type: "string", multiple: true },
  webhook: { type: "string", multiple: true },
  desktop: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `aimax doctor`'s options.
 *
 * @example
 * ```ts
 * import { DOCTOR_OPTIONS } from "./options.ts";
 * console.log(DOCTOR_OPTIONS.quick.type); // "boolean"
 * ```
 */
export const DOCTOR_OPTIONS = {
  ...BACKEND_OPTION,
  quick: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `aimax serve`'s options.
 *
 * @example
 * ```ts
 * import { SERVE_OPTIONS } from "./options.ts";
 * console.log(Object.keys(SERVE_OPTIONS)); // ["host", "port"]
 * ```
 */
export const SERVE_OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
} as const satisfies CommandOptions;

/**
 * `aimax config`'s options.
 *
 * @example
 * ```ts
 * import { CONFIG_OPTIONS } from "./options.ts";
 * console.log(CONFIG_OPTIONS["work-dir"].multiple); // true
 * ```
 */
export const CONFIG_OPTIONS = {
  "work-dir": { type: "string", multiple: true },
  serve: { type: "string" },
  worktrees: { type: "boolean" },
} as const satisfies CommandOptions;

/**
 * `aimax mcp`'s options.
 *
 * @example
 * ```ts
 * import { MCP_OPTIONS } from "./options.ts";
 * console.log(Object.keys(MCP_OPTIONS)); // ["all-sessions", "print-config"]
 * ```
 */
export const MCP_OPTIONS = {
  "all-sessions": { type: "boolean" },
  "print-config": { type: "string" },
} as const satisfies CommandOptions;
