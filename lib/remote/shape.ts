/**
 * The shapes of a remote server's answers, checked before the CLI uses
 * them: an answer of the wrong shape (a list that is not a list, a send
 * answered `[]`) is one clear error (`bad_response`, exit 1), never a
 * JavaScript TypeError and never a success.
 *
 * @module
 */
import { AimaxError } from "../errors.ts";

/**
 * What a field must hold: a JSON type, `?` when it may be missing or
 * `null`.
 *
 * @example
 * ```ts
 * import type { FieldKind } from "./shape.ts";
 * const kind: FieldKind = "string?";
 * ```
 */
export type FieldKind =
  | "string"
  | "number"
  | "boolean"
  | "array"
  | "object"
  | "any"
  | "string?"
  | "number?"
  | "boolean?"
  | "array?"
  | "object?";

/**
 * The fields an answer must have, with their kinds (other fields pass): a
 * {@linkcode FieldKind}, `{ oneOf }` (one of these strings) or `{ rowsOf }`
 * (a list of objects of that shape).
 *
 * @example
 * ```ts
 * import type { Shape } from "./shape.ts";
 * const shape: Shape = { sessionId: "string", dialog: "string?" };
 * ```
 */
export type Shape = Readonly<
  Record<
    string,
    FieldKind | { readonly oneOf: readonly string[] } | {
      readonly rowsOf: Shape;
    }
  >
>;

/** A session's status (`status`, each row of `list`). */
export const STATUS_SHAPE: Shape = {
  sessionId: "string",
  backend: "string",
  state: "string",
  stateReason: "string?",
  dialog: "string?",
  dialogInfo: "object?",
  agentSessionId: "string?",
  jsonlPath: "string?",
  cwd: "string?",
  displayName: "string?",
  startedAt: "string?",
  lastPromptAt: "string?",
  windowId: "string?",
  paneId: "string?",
  alive: "boolean?",
  working: "boolean?",
  jobGoalAccomplished: "boolean?",
  failed: "boolean?",
  orphan: "boolean?",
  worktree: "object?",
  rules: "object?",
};

/** One transcript entry (of `history`, of a stream). */
export const ENTRY_SHAPE: Shape = {
  offset: "number",
  end: "number",
  value: "any",
  error: "string?",
};

/** What a send answers. */
export const SEND_SHAPE: Shape = {
  sessionId: "string",
  delivery: "string",
  queued: "boolean?",
  resubmitted: "number?",
  duplicate: "boolean?",
};

/** How a turn ended (`wait`). */
export const TURN_SHAPE: Shape = {
  outcome: {
    oneOf: [
      "completed",
      "awaiting_input",
      "interrupted",
      "unknown",
      "timeout",
      "exited",
    ],
  },
  state: "string",
  text: "string",
  durationMs: "number",
  reason: "string?",
  source: "string?",
  empty: "boolean?",
  turnId: "string?",
};

/** What `approve` and `deny` answer. */
export const ANSWER_SHAPE: Shape = {
  sessionId: "string",
  dialogId: "string",
  purpose: "string",
  choice: "string",
  kind: "string",
  asks: "string?",
  reason: "string?",
};

/** What a stop answers. */
export const TERMINATE_SHAPE: Shape = {
  sessionId: "string",
  killed: "boolean",
  wasWorking: "boolean?",
  worktree: "object?",
};

/** What a create answers (its own fields are not all checked). */
export const CREATE_SHAPE: Shape = {
  sessionId: "string",
  agentSessionId: "string?",
  jsonlPath: "string?",
  warnings: "array?",
  worktree: "object?",
};

/** One file of a diff: its hunks are rows too. */
const FILE_DIFF_SHAPE: Shape = {
  path: "string",
  oldPath: "string?",
  status: "string",
  additions: "number",
  deletions: "number",
  binary: "boolean?",
  hunks: { rowsOf: { header: "string", lines: "array" } },
};

/** What a diff answers. */
export const DIFF_SHAPE: Shape = {
  sessionId: "string",
  branch: "string",
  path: "string",
  baseCommit: "string",
  files: { rowsOf: FILE_DIFF_SHAPE },
  additions: "number",
  deletions: "number",
  shortStat: "string",
  patchText: "string",
  truncated: "boolean",
};

/** What a merge answers. */
export const MERGE_SHAPE: Shape = {
  sessionId: "string",
  branch: "string",
  merged: "boolean",
  commit: "string",
  into: "string?",
  workCommit: "string?",
  files: "array",
};

/** A session's screen. */
export const SCREEN_SHAPE: Shape = { screen: "string" };

/** A transcript read (`history`). */
export const HISTORY_SHAPE: Shape = {
  entries: { rowsOf: ENTRY_SHAPE },
  total: "number",
  sentinel: "number",
  truncated: "boolean?",
};

/**
 * One event (of `events`, of `stream --events`): its common fields, and
 * those of its type (an unknown type passes with the common ones).
 */
export const EVENT_SHAPE: Shape = {
  type: "string",
  sessionId: "string?",
  backend: "string?",
  offset: "number?",
};

/** The fields of each event type. */
const EVENT_TYPE_SHAPES: Readonly<Record<string, Shape>> = {
  user_message: { text: "string" },
  assistant_message: { text: "string" },
  tool_call: { name: "string" },
  tool_result: { output: "string", isError: "boolean?" },
  turn_completed: { text: "string?", durationMs: "number?" },
  awaiting_input: { text: "string" },
  state: { from: "string?", to: "string", reason: "string" },
  error: { message: "string" },
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Why `value` does not fit `shape`, or `undefined` when it does. */
function misfit(value: unknown, shape: Shape): string | undefined {
  const kind = kindOf(value);
  if (kind !== "object") return `${kind} where an object was expected`;
  const fields = value as Record<string, unknown>;
  for (const [name, want] of Object.entries(shape)) {
    const has = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (typeof want === "object" && "oneOf" in want) {
      if (typeof has !== "string" || !want.oneOf.includes(has)) {
        return `"${name}" is ${
          JSON.stringify(has ?? null).slice(0, 40)
        }, not one of ${want.oneOf.join(", ")}`;
      }
      continue;
    }
    if (typeof want === "object") {
      const wrong = Array.isArray(has)
        ? rowsMisfit(has, want.rowsOf)
        : `${kindOf(has)} where a list was expected`;
      if (wrong !== undefined) return `"${name}": ${wrong}`;
      continue;
    }
    const optional = want.endsWith("?");
    const type = optional ? want.slice(0, -1) : want;
    if (type === "any") continue;
    if ((has === undefined || has === null) && optional) continue;
    if (kindOf(has) !== type) {
      return `"${name}" is ${
        has === undefined ? "missing" : kindOf(has)
      }, not ${type}`;
    }
  }
  return undefined;
}

/**
 * `value` as `T` when it has `shape`, else a `bad_response` error that
 * names the server, what it answered and what is wrong.
 *
 * @example
 * ```ts
 * import { expectShape, SCREEN_SHAPE } from "./shape.ts";
 * const { screen } = expectShape<{ screen: string }>({ screen: "hi" }, SCREEN_SHAPE, {
 *   server: "http://127.0.0.1:7878",
 *   what: "screen",
 * });
 * ```
 * @param value the parsed answer
 * @param shape the fields it must have
 * @param options `server` (its URL) and `what` the answer is, for the error
 */
export function expectShape<T>(
  value: unknown,
  shape: Shape,
  options: { server: string; what: string },
): T {
  let wrong = misfit(value, shape);
  if (wrong === undefined && shape === EVENT_SHAPE) {
    const type = (value as { type: string }).type;
    if (Object.hasOwn(EVENT_TYPE_SHAPES, type)) {
      wrong = misfit(value, EVENT_TYPE_SHAPES[type]);
    }
  }
  if (wrong !== undefined) throw badShape(options, wrong);
  return value as T;
}

/**
 * `value` as a list of `T` when it is a list of objects with `shape`, else
 * a `bad_response` error.
 *
 * @example
 * ```ts
 * import { expectRows, STATUS_SHAPE } from "./shape.ts";
 * expectRows([], STATUS_SHAPE, { server: "http://127.0.0.1:7878", what: "list of sessions" }); // []
 * ```
 * @param value the parsed answer
 * @param shape the fields each row must have
 * @param options `server` (its URL) and `what` the answer is, for the error
 */
export function expectRows<T>(
  value: unknown,
  shape: Shape,
  options: { server: string; what: string },
): T[] {
  const wrong = Array.isArray(value)
    ? rowsMisfit(value, shape)
    : `${kindOf(value)} where a list was expected`;
  if (wrong !== undefined) throw badShape(options, wrong);
  return value as T[];
}

function rowsMisfit(rows: unknown[], shape: Shape): string | undefined {
  for (const [i, row] of rows.entries()) {
    const wrong = misfit(row, shape);
    if (wrong !== undefined) return `item ${i}: ${wrong}`;
  }
  return undefined;
}

function badShape(
  options: { server: string; what: string },
  wrong: string,
): AimaxError {
  return new AimaxError(
    "bad_response",
    `the server at ${options.server} answered ${
      /^[aeiou]/.test(options.what) ? "an" : "a"
    } ${options.what} of the wrong shape (${wrong}); is it an aimax server of this version?`,
  );
}
