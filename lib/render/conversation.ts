/**
 * A transcript as a conversation for people (`aimax history`, `aimax
 * stream`): the user's prompts, the assistant's text, each tool call on one
 * line with its result folded to its first line, and each turn's end with
 * its duration. It reads {@linkcode AgentEvent}s only, so both agents share
 * it; records with nothing for a person (snapshots, attachments, mode
 * changes, titles) have no events and vanish, unless `all`.
 *
 * @module
 */
import type { JsonlEntry } from "../jsonl/lines.ts";
import {
  type AgentEvent,
  type AgentEventBody,
  EventNormalizer,
  type RecordLinks,
} from "../signals/events.ts";
import { paint, terminalText } from "../terminal.ts";
import { cut, oneLine, type Style } from "./table.ts";
import { formatDuration } from "./time.ts";

/**
 * Options of {@linkcode eventLines} and {@linkcode ConversationRenderer}.
 *
 * @example
 * ```ts
 * import type { ConversationOptions } from "./conversation.ts";
 * const options: ConversationOptions = { width: 100, offsets: true };
 * ```
 */
export interface ConversationOptions {
  /** Colour on. */
  readonly color?: boolean;
  /** Prefix each line with its record's byte offset, `[1234] `. */
  readonly offsets?: boolean;
  /** The terminal's width: one-line items (tool calls, results) are cut to it. */
  readonly width?: number;
  /** Cut nothing. */
  readonly wide?: boolean;
}

/** Where one-line items are cut when the width is unknown (a pipe). */
const DEFAULT_CUT = 160;

/** Input fields that say what a tool call does, most telling first. */
const TELLING_FIELDS = [
  "command",
  "cmd",
  "file_path",
  "path",
  "pattern",
  "url",
  "query",
  "prompt",
  "description",
];

/**
 * What a tool call does, on one line: its most telling input field (a
 * command, a path, a pattern), else its input as JSON.
 *
 * @example
 * ```ts
 * import { toolInputSummary } from "./conversation.ts";
 * toolInputSummary({ command: "rm -f x", description: "clean" }); // "rm -f x"
 * ```
 * @param input the tool call's input
 */
export function toolInputSummary(input: unknown): string {
  if (typeof input === "string") return oneLine(input);
  if (input && typeof input === "object" && !Array.isArray(input)) {
    const fields = input as Record<string, unknown>;
    for (const name of TELLING_FIELDS) {
      const value = fields[name];
      if (typeof value === "string" && value.trim() !== "") {
        return oneLine(value);
      }
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
        return oneLine(value.join(" "));
      }
    }
  }
  return input === undefined ? "" : oneLine(JSON.stringify(input) ?? "");
}

/**
 * A tool call as one line for people, as `history` shows it and the page
 * labels it: `Bash: ls -la`, `Edit: src/x.ts`, or the tool's name alone.
 *
 * @example
 * ```ts
 * import { toolCallLabel } from "./conversation.ts";
 * toolCallLabel("Bash", { command: "ls -la" }); // "Bash: ls -la"
 * ```
 * @param name the tool's name
 * @param input the tool call's input
 */
export function toolCallLabel(name: string, input: unknown): string {
  const what = toolInputSummary(input);
  return `${oneLine(name)}${what ? `: ${what}` : ""}`;
}

/**
 * A tool's output folded to its first non-empty line, with how many lines
 * were folded away: `hi`, `Compiling… (+12 lines)`, `(no output)`.
 *
 * @example
 * ```ts
 * import { foldOutput } from "./conversation.ts";
 * foldOutput("a\nb\nc\n"); // "a (+2 lines)"
 * ```
 * @param output the tool's output
 */
export function foldOutput(output: string): string {
  const lines = output.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return "(no output)";
  const rest = lines.length - first - 1;
  return `${oneLine(lines[first])}${
    rest > 0 ? ` (+${rest} line${rest === 1 ? "" : "s"})` : ""
  }`;
}

function block(text: string, marker: string): string[] {
  const lines = terminalText(text.replace(/\r\n?/g, "\n").replace(/\s+$/, ""))
    .split("\n");
  return lines.map((l, i) => `${i === 0 ? marker : "  "}${l}`.trimEnd());
}

/**
 * The lines of one event: `❯ prompt`, the assistant's text (indented),
 * `  ⏺ Bash: rm -f …`, `    ⎿ first line (+12 lines)`, `  ✓ done in 4.2s`
 * and a blank line after a turn's end; none for a turn's start.
 *
 * @example
 * ```ts
 * import { eventLines } from "./conversation.ts";
 * eventLines({ type: "tool_call", name: "Bash", input: { command: "ls" } });
 * // ["  ⏺ Bash: ls"]
 * ```
 * @param event the event (`offset` is shown with `offsets`)
 * @param options colour, offsets, width
 */
export function eventLines(
  event: AgentEventBody & { offset?: number },
  options: ConversationOptions = {},
): string[] {
  const color = options.color ?? false;
  const one = (text: string, indent: number, style?: Style) => {
    const max = options.wide ? Infinity : (options.width ?? DEFAULT_CUT);
    const line = cut(
      terminalText(text),
      max - indent - offsetWidth(event, options),
    );
    return " ".repeat(indent) + (style ? paint(line, style, color) : line);
  };
  let lines: string[];
  switch (event.type) {
    case "user_message":
      lines = block(event.text, "❯ ").map((l) => paint(l, "bold", color));
      break;
    case "assistant_message":
      lines = block(event.text, "  ");
      break;
    case "tool_call":
      lines = [one(`⏺ ${toolCallLabel(event.name, event.input)}`, 2)];
      break;
    case "tool_result":
      lines = [
        event.isError
          ? one(`⎿ error: ${foldOutput(event.output)}`, 4, "red")
          : one(`⎿ ${foldOutput(event.output)}`, 4, "dim"),
      ];
      break;
    case "turn_started":
      return [];
    case "turn_completed":
      lines = [
        one(
          `✓ done${
            event.durationMs === undefined
              ? ""
              : ` in ${formatDuration(event.durationMs)}`
          }`,
          2,
          "dim",
        ),
        "",
      ];
      break;
    case "turn_aborted":
      lines = [one("✗ interrupted", 2, "yellow"), ""];
      break;
    case "awaiting_input":
      lines = [one(`? waits on a person: ${oneLine(event.text)}`, 2, "red")];
      break;
    case "state":
      lines = [
        one(
          oneLine(`· ${event.from ?? "-"} → ${event.to} (${event.reason})`),
          2,
          "dim",
        ),
      ];
      break;
    case "error":
      lines = [one(`✗ error: ${oneLine(event.message)}`, 2, "red")];
      break;
  }
  return withOffset(lines, event.offset, options);
}

function offsetWidth(
  event: { offset?: number },
  options: ConversationOptions,
): number {
  return options.offsets && event.offset !== undefined
    ? `[${event.offset}] `.length
    : 0;
}

function withOffset(
  lines: string[],
  offset: number | undefined,
  options: ConversationOptions,
): string[] {
  if (!options.offsets || offset === undefined) return lines;
  const prefix = paint(`[${offset}] `, "dim", options.color ?? false);
  return lines.map((l) => l === "" ? "" : prefix + l);
}

/**
 * Options of {@linkcode ConversationRenderer}.
 *
 * @example
 * ```ts
 * import type { ConversationRendererOptions } from "./conversation.ts";
 * const options: ConversationRendererOptions = { all: true, fallback: (e) => `[${e.offset}]` };
 * ```
 */
export interface ConversationRendererOptions extends ConversationOptions {
  /** Show records without events too, as `fallback` prints them. */
  readonly all?: boolean;
  /** A record without events (or a malformed line) as one line. */
  readonly fallback?: (entry: JsonlEntry) => string;
  /** How records link to the ones they follow (the profile's `recordLinks`). */
  readonly links?: (record: Record<string, unknown>) => RecordLinks;
}

/**
 * Renders a transcript, record by record, as a conversation (history at
 * once, or a live stream): the profile's record reader makes events, and
 * {@linkcode eventLines} prints them.
 *
 * @example
 * ```ts
 * import { ConversationRenderer } from "./conversation.ts";
 * const renderer = new ConversationRenderer(
 *   (r) => r.type === "user" ? [{ type: "user_message", text: String(r.text) }] : [],
 *   { width: 80 },
 * );
 * renderer.lines({ offset: 0, end: 30, value: { type: "user", text: "hello" } });
 * // ["❯ hello"]
 * ```
 */
export class ConversationRenderer {
  readonly #normalizer: EventNormalizer;
  readonly #options: ConversationRendererOptions;

  /**
   * Creates a renderer.
   *
   * @param read the agent profile's record reader (`transcriptEvents`)
   * @param options colour, offsets, width, `all` and its fallback
   */
  constructor(
    read: (record: Record<string, unknown>) => AgentEventBody[],
    options: ConversationRendererOptions = {},
  ) {
    this.#normalizer = new EventNormalizer(read, {
      sessionId: "",
      backend: "",
      links: options.links,
    });
    this.#options = options;
  }

  /**
   * The lines of one transcript entry (none for a record without events,
   * or whose events print nothing, unless `all`).
   *
   * @param entry the entry
   */
  lines(entry: JsonlEntry): string[] {
    const events: AgentEvent[] = entry.error
      ? []
      : this.#normalizer.events(entry.value, entry.offset);
    const lines = events.flatMap((e) => eventLines(e, this.#options));
    if (lines.length > 0 || !this.#options.all) return lines;
    if (this.#normalizer.lastHeld) return []; // printed with its parent
    const fallback = this.#options.fallback?.(entry) ?? `[${entry.offset}]`;
    const max = this.#options.wide
      ? Infinity
      : (this.#options.width ?? DEFAULT_CUT);
    return [
      paint(cut(oneLine(fallback), max), "dim", this.#options.color ?? false),
    ];
  }
  /**
   * The lines of records still waiting for the record they follow: call it
   * at the end of a finite read (`history`).
   */
  flush(): string[] {
    return this.#normalizer.flush().flatMap((e) =>
      eventLines(e, this.#options)
    );
  }
}
