/**
 * The one gate for caller input: session ids, working directories, model
 * names, labels and prompts are checked here before anything is created.
 *
 * @module
 */
import { isAbsolute } from "./path.ts";
import { InputError } from "./errors.ts";

const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const AGENT_SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const MODEL = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/;

/**
 * The largest prompt accepted, in UTF-8 bytes (after sanitising).
 *
 * @example
 * ```ts
 * import { MAX_PROMPT_BYTES, sanitizePrompt } from "./inputs.ts";
 * const text = "x".repeat(MAX_PROMPT_BYTES); // the largest prompt accepted
 * sanitizePrompt(text);
 * ```
 */
export const MAX_PROMPT_BYTES = 256 * 1024;

/** The longest display name kept, in characters. */
export const MAX_DISPLAY_NAME = 200;

function show(value: unknown): string {
  const text = JSON.stringify(String(value));
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/**
 * Checks a session id: 1–64 characters of ASCII letters, digits, `_` and
 * `-`, starting with a letter or digit. Such an id cannot leave a directory,
 * break a tmux target or be read as a flag or shell code.
 *
 * @example
 * ```ts
 * import { validateSessionId } from "./inputs.ts";
 * validateSessionId("demo-1"); // ok
 * ```
 * @param id the candidate
 * @returns the id unchanged
 * @throws {InputError} when the id is unsafe
 */
export function validateSessionId(id: unknown): string {
  if (typeof id !== "string" || !SESSION_ID.test(id)) {
    throw new InputError(
      `invalid session id ${
        show(id)
      }: use 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit`,
    );
  }
  return id;
}

/**
 * Checks an agent-side session id (the agent's own id of a conversation).
 *
 * @param id the candidate
 * @returns the id unchanged
 * @throws {InputError} when it holds anything but letters, digits, `_` and `-`
 */
export function validateAgentSessionId(id: unknown): string {
  if (typeof id !== "string" || !AGENT_SESSION_ID.test(id)) {
    throw new InputError(
      `invalid agent session id ${
        show(id)
      }: expected a uuid or thread id (letters, digits, - and _)`,
    );
  }
  return id;
}

/**
 * Checks a model name; it may not start with `-` nor hold spaces or shell
 * characters.
 *
 * @param model the candidate
 * @returns the model unchanged
 * @throws {InputError} when it is unsafe
 */
export function validateModel(model: unknown): string {
  if (typeof model !== "string" || !MODEL.test(model)) {
    throw new InputError(
      `invalid model ${
        show(model)
      }: use letters, digits and . _ : / @ + -, not starting with -`,
    );
  }
  return model;
}

/**
 * Cleans a display name: control characters removed, at most
 * {@linkcode MAX_DISPLAY_NAME} characters. It is only ever stored, never
 * passed to tmux or a shell.
 *
 * @param name the candidate
 * @returns the cleaned label
 * @throws {InputError} when it is not a string
 */
export function cleanDisplayName(name: unknown): string {
  if (typeof name !== "string") {
    throw new InputError(`invalid display name ${show(name)}: expected text`);
  }
  // deno-lint-ignore no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim();
  if (cleaned.length > MAX_DISPLAY_NAME) {
    throw new InputError(
      `display name too long (${cleaned.length} characters, at most ${MAX_DISPLAY_NAME})`,
    );
  }
  return cleaned;
}

/**
 * Checks a working directory: absolute, existing, a directory, readable.
 *
 * @param cwd the candidate
 * @returns its canonical path (symlinks resolved), as the agents see it
 * @throws {InputError} when it is unusable
 */
export async function validateCwd(cwd: unknown): Promise<string> {
  if (typeof cwd !== "string" || cwd === "") {
    throw new InputError("cwd is required (an absolute path to a directory)");
  }
  if (!isAbsolute(cwd)) {
    throw new InputError(`cwd must be an absolute path, got ${show(cwd)}`);
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(cwd);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InputError(`cwd ${cwd} does not exist`);
    }
    throw new InputError(`cwd ${cwd} cannot be read: ${String(error)}`);
  }
  if (!info.isDirectory) {
    throw new InputError(`cwd ${cwd} is not a directory`);
  }
  try {
    for await (const _ of Deno.readDir(cwd)) break;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    throw new InputError(`cwd ${cwd} is not readable: ${String(error)}`);
  }
  return await Deno.realPath(cwd);
}

/**
 * Makes a prompt safe to paste: removes ESC and every other control
 * character except newline and tab (so no prompt can end a bracketed paste
 * or type keys of its own), turns CR and CRLF into newlines, replaces
 * unpaired surrogates (invalid UTF-8 decoded leniently) with U+FFFD.
 *
 * @example
 * ```ts
 * import { sanitizePrompt } from "./inputs.ts";
 * sanitizePrompt("hi\x1b[201~\rthere"); // "hi[201~\nthere"
 * ```
 * @param prompt the raw prompt
 * @returns the text that will be pasted
 * @throws {InputError} when it is empty after cleaning or larger than {@linkcode MAX_PROMPT_BYTES}
 */
export function sanitizePrompt(prompt: unknown): string {
  if (typeof prompt !== "string") {
    throw new InputError("prompt is required (text)");
  }
  const cleaned = prompt
    .toWellFormed()
    .replace(/\r\n?/g, "\n")
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
  if (cleaned.trim() === "") {
    throw new InputError("prompt is empty");
  }
  const bytes = new TextEncoder().encode(cleaned).length;
  if (bytes > MAX_PROMPT_BYTES) {
    throw new InputError(
      `prompt too large (${bytes} bytes, at most ${MAX_PROMPT_BYTES}); put the text in a file in the session's cwd and ask the agent to read it`,
    );
  }
  return cleaned;
}

/**
 * Checks an anchor for the flag files: an absolute path.
 *
 * @example
 * ```ts
 * import { validateFlagRoot } from "./inputs.ts";
 * validateFlagRoot("/srv/app"); // "/srv/app"
 * ```
 * @param flagRoot the candidate
 * @returns it unchanged
 * @throws {InputError} when it is not an absolute path
 */
export function validateFlagRoot(flagRoot: string): string {
  if (typeof flagRoot !== "string" || !isAbsolute(flagRoot)) {
    throw new InputError(`flagRoot must be an absolute path, got ${flagRoot}`);
  }
  return flagRoot;
}
