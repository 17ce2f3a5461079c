/**
 * What several commands share: option definitions, the required-option and
 * number checks, where the prompt comes from, which backend owns a session,
 * and how a status or a transcript entry is printed.
 *
 * @module
 */
import type { SessionStatus, TmuxAgentBackend } from "../backend/mod.ts";
import { getConfig } from "../config.ts";
import { AimaxError, InputError } from "../errors.ts";
import { summarizeRecord } from "../format.ts";
import { validateSessionId } from "../inputs.ts";
import type { JsonlEntry } from "../jsonl/lines.ts";
import { get } from "../registry.ts";
import { StateStore } from "../state.ts";
import { paint } from "../terminal.ts";
import { type CliIo, type CommandOptions, UsageError } from "./command.ts";

/**
 * `-b/--backend NAME`.
 *
 * @example
 * ```ts
 * import { BACKEND_OPTION, SESSION_OPTION } from "./shared.ts";
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
 * import { SESSION_OPTION } from "./shared.ts";
 * console.log(SESSION_OPTION.session.short); // "s"
 * ```
 */
export const SESSION_OPTION = {
  // Repeatable (`send -s a -s b`); one-session commands take exactly one.
  session: { type: "string", short: "s", multiple: true },
} as const satisfies CommandOptions;

/**
 * `-p/--prompt TEXT` and `--prompt-file FILE` (read by {@linkcode promptOf}).
 *
 * @example
 * ```ts
 * import { PROMPT_OPTIONS } from "./shared.ts";
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
 * import { FLAG_ROOT_OPTION } from "./shared.ts";
 * console.log(FLAG_ROOT_OPTION["flag-root"].type); // "string"
 * ```
 */
export const FLAG_ROOT_OPTION = {
  "flag-root": { type: "string" },
} as const satisfies CommandOptions;

/**
 * `--from-sentinel N` (read by {@linkcode offsetOption}).
 *
 * @example
 * ```ts
 * import { FROM_SENTINEL_OPTION } from "./shared.ts";
 * console.log(FROM_SENTINEL_OPTION["from-sentinel"].type); // "string"
 * ```
 */
export const FROM_SENTINEL_OPTION = {
  "from-sentinel": { type: "string" },
} as const satisfies CommandOptions;

/**
 * The value of a required string option, or a usage error naming it.
 *
 * @example
 * ```ts
 * import { need } from "./shared.ts";
 * const id = need({ session: "demo" }, "session"); // "demo"
 * ```
 * @param values the parsed options
 * @param name the option's long name
 */
export function need<V extends object>(
  values: V,
  name: keyof V & string,
): string {
  let value: unknown = values[name];
  if (Array.isArray(value)) {
    if (value.length > 1) {
      throw new UsageError(`give one --${name} (this command takes one)`);
    }
    value = value[0];
  }
  if (typeof value !== "string" || value === "") {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

/**
 * A whole-number option (`--from-sentinel`, `--limit`), or `undefined` when
 * it was not given.
 *
 * @example
 * ```ts
 * import { offsetOption } from "./shared.ts";
 * offsetOption({ limit: "20" }, "limit"); // 20
 * ```
 * @param values the parsed options
 * @param name the option's long name
 */
export function offsetOption<N extends string>(
  values: { readonly [K in N]?: string },
  name: N,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new UsageError(`--${name} takes a whole number, got "${raw}"`);
  }
  return Number(raw);
}

/** The parsed {@linkcode PROMPT_OPTIONS}. */
export interface PromptValues {
  /** `-p/--prompt`. */
  readonly prompt?: string;
  /** `--prompt-file`. */
  readonly "prompt-file"?: string;
}

/**
 * The prompt: `-p`, else `--prompt-file`, else piped stdin.
 *
 * @example
 * ```ts
 * import { promptOf } from "./shared.ts";
 * const io = { out: console.log, err: console.error, stdin: () => Promise.resolve(undefined) };
 * await promptOf({ prompt: "hi" }, io); // "hi"
 * ```
 * @param values the parsed options
 * @param io where piped stdin comes from
 */
export async function promptOf(
  values: PromptValues,
  io: CliIo,
): Promise<string> {
  if (values.prompt !== undefined && values["prompt-file"] !== undefined) {
    throw new UsageError("give --prompt or --prompt-file, not both");
  }
  if (values.prompt !== undefined) return values.prompt;
  if (values["prompt-file"] !== undefined) {
    try {
      return await Deno.readTextFile(values["prompt-file"]);
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) throw error;
      throw new InputError(
        `cannot read --prompt-file ${values["prompt-file"]}: ${
          error instanceof Error ? error.message : error
        }`,
      );
    }
  }
  const piped = await io.stdin();
  if (piped !== undefined) return piped;
  throw new UsageError(
    "a prompt is required: -p TEXT, --prompt-file FILE or stdin",
  );
}

/** A backend with the CLI's `status` (every registered backend has it). */
export type CliBackend = TmuxAgentBackend;

/**
 * The backend `-b` names, else the one backend that owns `--session`.
 *
 * @example
 * ```ts ignore
 * import { backendFor } from "./shared.ts";
 * const backend = await backendFor({ session: "demo" });
 * ```
 * @param values the parsed `backend` and `session` options
 */
export async function backendFor(
  values: {
    readonly backend?: string;
    readonly session?: string | readonly string[];
  },
): Promise<CliBackend> {
  if (values.backend) return get(values.backend);
  // A malformed id is bad input (exit 2), not an unknown session (exit 3).
  const sessionId = validateSessionId(
    Array.isArray(values.session) ? values.session[0] : values.session,
  );
  const store = new StateStore(getConfig().dataDir);
  const owners = (await store.list()).filter((r) => r.sessionId === sessionId)
    .map((r) => r.backend);
  if (owners.length === 1) return get(owners[0]);
  if (owners.length === 0) {
    throw new AimaxError(
      "session_not_found",
      `no session named "${sessionId}" (see \`aimax list\`)`,
    );
  }
  throw new UsageError(
    `session "${sessionId}" exists in ${owners.join(" and ")}: pass -b`,
  );
}

/**
 * Prints one session's status line (`list`, `status`).
 *
 * @example
 * ```ts ignore
 * import { printStatus } from "./shared.ts";
 * printStatus(io, await backend.status("demo"));
 * ```
 * @param io where to write (and whether to colour)
 * @param s the status
 */
export function printStatus(io: CliIo, s: SessionStatus): void {
  const color = io.color?.() ?? false;
  const state = s.orphan
    ? paint("orphan window (not in the state file)", "red", color)
    : !s.alive
    ? paint("dead", "red", color)
    : s.working
    ? paint("working", "yellow", color)
    : paint("idle", "green", color);
  io.out(
    `${s.sessionId}  ${s.backend}  ${state}  job:${
      s.failed ? "failed" : s.jobGoalAccomplished ? "done" : "running"
    }${s.displayName ? `  "${s.displayName}"` : ""}${
      s.cwd ? `  ${s.cwd}` : ""
    }`,
  );
}

/**
 * One transcript entry as a text line (`history`, `stream`).
 *
 * @example
 * ```ts
 * import { entryLine } from "./shared.ts";
 * entryLine({ offset: 0, end: 9, value: undefined, error: "bad" });
 * // "[0] (malformed line: bad)"
 * ```
 * @param entry the entry
 */
export function entryLine(entry: JsonlEntry): string {
  return entry.error
    ? `[${entry.offset}] (malformed line: ${entry.error})`
    : `[${entry.offset}] ${summarizeRecord(entry.value)}`;
}
