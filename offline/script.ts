/**
 * The script language of the loopback model stand-ins: directives in the
 * latest real user prompt decide what the model answers. One parser, so
 * that every stand-in reads a prompt the same way:
 *
 * - none: `ack: <first line of the prompt, at most 80 characters>`;
 * - `[[slow N]]`: the reply streamed in small pieces over N seconds;
 * - `[[say TEXT]]`: TEXT literally (spread over N seconds with `[[slow N]]`);
 * - `[[bash CMD]]`: a call of the client's shell tool running CMD, then
 *   `tool done` once its result comes back;
 * - `[[escalate CMD]]`: like `[[bash CMD]]`, asking to run outside a
 *   sandbox (stand-ins whose client has one);
 * - `[[wait N]]`: N seconds of silence before the reply;
 * - `[[todo]]`: a todo list (stand-ins whose client has a todo tool);
 * - `[[mcp TOOL {JSON}]]` (repeatable): calls of the client's tool TOOL (or
 *   one ending in `__TOOL`) with the JSON object as arguments, one per
 *   request, then `mcp done: ` and the last call's output.
 *
 * @module
 */

/** What a prompt's directives ask of the model. */
export interface Script {
  /** `[[bash CMD]]` or `[[escalate CMD]]`: the command, trimmed. */
  shell?: { command: string; escalate: boolean };
  /** `[[slow N]]`: seconds over which the reply streams. */
  slowSeconds?: number;
  /** `[[say TEXT]]`: the literal reply. */
  say?: string;
  /** `[[wait N]]`: seconds of silence first. */
  waitSeconds?: number;
  /** `[[todo]]` was given. */
  todo: boolean;
  /** `[[mcp TOOL {JSON}]]` calls, in order. */
  mcp: [string, Record<string, unknown>][];
  /** The reply without directives: `ack: ` and the prompt's first line. */
  ack: string;
}

/**
 * Reads the directives of `prompt`.
 *
 * @example
 * ```ts
 * import { parseScript } from "./script.ts";
 * parseScript("go [[bash ls]]").shell; // { command: "ls", escalate: false }
 * ```
 * @param prompt the latest real user prompt
 */
export function parseScript(prompt: string): Script {
  const shell = /\[\[(bash|escalate) ([\s\S]*?)\]\]/.exec(prompt);
  const slow = /\[\[slow (\d+(?:\.\d+)?)\]\]/.exec(prompt);
  const wait = /\[\[wait (\d+(?:\.\d+)?)\]\]/.exec(prompt);
  const say = /\[\[say ([\s\S]*?)\]\]/.exec(prompt)?.[1];
  return {
    ...(shell
      ? {
        shell: { command: shell[2].trim(), escalate: shell[1] === "escalate" },
      }
      : {}),
    ...(slow ? { slowSeconds: Number(slow[1]) } : {}),
    ...(say !== undefined ? { say } : {}),
    ...(wait ? { waitSeconds: Number(wait[1]) } : {}),
    todo: /\[\[todo\]\]/.test(prompt),
    mcp: [...prompt.matchAll(/\[\[mcp (\S+) (\{[\s\S]*?\})\]\]/g)].map((
      m,
    ) => [m[1], JSON.parse(m[2]) as Record<string, unknown>]),
    ack: `ack: ${prompt.trim().split("\n")[0].slice(0, 80)}`,
  };
}

/**
 * The text of a scripted text reply in pieces, and over how long they
 * stream: `[[say]]` as given, `[[slow N]]` alone as `tick 1. tick 2. …
 * slow done`, otherwise the ack.
 *
 * @example
 * ```ts
 * import { parseScript, replyPieces } from "./script.ts";
 * replyPieces(parseScript("[[say hi]]")); // { pieces: ["hi"], spreadMs: 0 }
 * ```
 * @param script a parsed prompt
 */
export function replyPieces(
  script: Script,
): { pieces: string[]; spreadMs: number } {
  const seconds = script.slowSeconds ?? 0;
  const text = script.say ??
    (script.slowSeconds !== undefined
      ? Array.from(
        { length: Math.max(4, Math.ceil(seconds * 2)) },
        (_, i) => `tick ${i + 1}. `,
      ).join("") + "slow done"
      : script.ack);
  if (seconds <= 0) return { pieces: [text], spreadMs: 0 };
  const count = Math.max(1, Math.min(200, Math.ceil(seconds * 4)));
  const pieces = Array.from(
    { length: count },
    (_, i) =>
      text.slice(
        Math.floor(i * text.length / count),
        Math.floor((i + 1) * text.length / count),
      ),
  ).filter((p) => p !== "");
  return {
    pieces: pieces.length > 0 ? pieces : [text],
    spreadMs: seconds * 1000,
  };
}
