/**
 * Terminal niceties for the CLI: colour that respects `NO_COLOR` and a
 * spinner on stderr, both only when the stream is a terminal; and the one
 * sanitiser every text from a server or an agent passes through before it
 * is printed to a terminal ({@linkcode terminalText}).
 *
 * @module
 */

/**
 * `text` (from a server or an agent) made safe to print to a terminal:
 * every control character but newline and tab becomes a visible `?`, so
 * no escape or control sequence reaches the terminal (`ESC]52;…` does not
 * write the clipboard, `ESC[2J` does not clear the screen, a lone CR does
 * not overwrite a line); CRLF becomes a newline. C0 (but `\n` and `\t`),
 * DEL and C1 (`\x80`-`\x9f`, whose CSI and OSC some terminals obey) are
 * replaced. The CLI's own colour is added after, never passed through it.
 *
 * @example
 * ```ts
 * import { terminalText } from "./terminal.ts";
 * terminalText("ok\x1b]52;c;aGk=\x07\r\n\tdone"); // "ok?]52;c;aGk=?\n\tdone"
 * ```
 * @param text any text
 */
export function terminalText(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(CONTROLS, "?");
}

/**
 * `value` as one line of JSON that is also safe on a terminal: DEL, the C1
 * range and the line separators are written as `\u` escapes (JSON already
 * escapes C0), so the line parses to the same value and `--json` output
 * printed to a terminal carries no control character either.
 *
 * @example
 * ```ts
 * import { jsonLine } from "./terminal.ts";
 * jsonLine({ text: "a\x9b2Jb" }); // '{"text":"a\\u009b2Jb"}'
 * ```
 * @param value any JSON value
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const JSON_UNSAFE = /[\x7f-\x9f\u2028\u2029]/g;

/** C0 but newline and tab, DEL, C1. */
// deno-lint-ignore no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Whether to colour output written to a stream.
 *
 * @example
 * ```ts
 * import { colorEnabled } from "./terminal.ts";
 * const color = colorEnabled(Deno.stdout);
 * ```
 * @param stream something that knows whether it is a terminal
 */
export function colorEnabled(stream: { isTerminal(): boolean }): boolean {
  let noColor: string | undefined;
  try {
    noColor = Deno.env.get("NO_COLOR");
  } catch {
    noColor = undefined;
  }
  return (noColor === undefined || noColor === "") && stream.isTerminal();
}

const CODES = {
  red: 31,
  green: 32,
  yellow: 33,
  cyan: 36,
  dim: 2,
  bold: 1,
} as const;

/**
 * Wraps `text` in an ANSI colour when `enabled`.
 *
 * @example
 * ```ts
 * import { paint } from "./terminal.ts";
 * console.log(paint("ok", "green", false)); // "ok"
 * ```
 * @param text the text
 * @param color one of red, green, yellow, cyan, dim, bold
 * @param enabled whether to colour at all
 */
export function paint(
  text: string,
  color: keyof typeof CODES,
  enabled: boolean,
): string {
  return enabled ? `\x1b[${CODES[color]}m${text}\x1b[0m` : text;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * A one-line spinner; a no-op when disabled (not a terminal, `--json`).
 *
 * @example
 * ```ts
 * import { Spinner } from "./terminal.ts";
 * const spinner = new Spinner((s) => console.error(s), false);
 * spinner.start("starting");
 * spinner.stop();
 * ```
 */
export class Spinner {
  readonly #write: (text: string) => void;
  readonly #enabled: boolean;
  #text = "";
  #frame = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #started = 0;

  /**
   * Creates a spinner.
   *
   * @param write writes raw text (no newline) to the terminal
   * @param enabled whether to draw at all
   */
  constructor(write: (text: string) => void, enabled: boolean) {
    this.#write = write;
    this.#enabled = enabled;
  }

  #draw(): void {
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(1);
    this.#write(
      `\r\x1b[2K${
        FRAMES[this.#frame++ % FRAMES.length]
      } ${this.#text} (${seconds}s)`,
    );
  }

  /**
   * Starts drawing `text`.
   *
   * @param text what is happening
   */
  start(text: string): void {
    if (!this.#enabled) return;
    this.#text = text;
    this.#started = Date.now();
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), 80);
  }

  /**
   * Changes the text.
   *
   * @param text what is happening now
   */
  update(text: string): void {
    this.#text = text;
    if (this.#enabled && this.#timer !== undefined) this.#draw();
  }

  /** Stops and clears the line. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#enabled) this.#write("\r\x1b[2K");
  }
}
