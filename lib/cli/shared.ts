/**
 * What several commands share when they run: the required-option and
 * number checks, where the prompt comes from, which backend owns a session,
 * how wide and colourful the output may be, and how a status table is
 * printed (a transcript: `conversation.ts`).
 *
 * @module
 */
import type { SessionStatus } from "../backend/contract.ts";
import { type RemoteServer, remoteServer } from "../remote/server.ts";
import { getConfig } from "../config.ts";
import { InputError, UsageError } from "../errors.ts";
import { profileOf } from "../agents/mod.ts";
import { statusTable } from "../render/status.ts";
import { tildePath } from "../render/path.ts";
import type { CliIo } from "./command.ts";

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

/** The parsed `PROMPT_OPTIONS` (`./options.ts`). */
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

/**
 * The server the command runs against (`--server`, else `AIMAX_SERVER`,
 * with `AIMAX_SERVE_TOKEN`), or `undefined` to run locally.
 *
 * @example
 * ```ts
 * import { remoteOf } from "./shared.ts";
 * const server = remoteOf({}); // undefined unless AIMAX_SERVER is set
 * ```
 * @param values the parsed `--server` and `--server-timeout`
 */
export function remoteOf(
  values: { readonly server?: string; readonly "server-timeout"?: string },
): RemoteServer | undefined {
  return remoteServer({
    url: values.server,
    timeout: values["server-timeout"],
  });
}

/** How text output may look: its width, colour and home directory. */
export interface TextView {
  /** The terminal's width; `undefined` (not a terminal): nothing is cut. */
  readonly width?: number;
  /** `--wide`: nothing is cut. */
  readonly wide: boolean;
  /** Colour on (a terminal, and no `NO_COLOR`). */
  readonly color: boolean;
  /** The home directory, shown as `~`. */
  readonly home: string;
}

/**
 * How text output may look on `io`, with `--wide` when given.
 *
 * @example
 * ```ts
 * import { textView } from "./shared.ts";
 * const io = { out: console.log, err: console.error, stdin: () => Promise.resolve(undefined) };
 * textView(io, { wide: true }).wide; // true
 * ```
 * @param io where the output goes
 * @param values the parsed `--wide`
 */
export function textView(
  io: CliIo,
  values: { readonly wide?: boolean } = {},
): TextView {
  return {
    width: io.width?.(),
    wide: values.wide ?? false,
    color: io.color?.() ?? false,
    home: getConfig().home,
  };
}

/**
 * The short name of a backend's agent (its profile's `shortName`), or the
 * backend's name when it is not a known one.
 *
 * @example
 * ```ts
 * import { SUPPORTED_BACKENDS } from "../registry.ts";
 * import { agentName } from "./shared.ts";
 * agentName(SUPPORTED_BACKENDS[0]); // its profile's shortName
 * ```
 * @param backend the backend's name
 */
export function agentName(backend: string): string {
  try {
    return profileOf(backend).shortName;
  } catch {
    return backend;
  }
}

/**
 * `path` for people: the home directory as `~`.
 *
 * @example
 * ```ts
 * import { shortPath } from "./shared.ts";
 * shortPath("/tmp/x"); // "/tmp/x"
 * ```
 * @param path an absolute path
 */
export function shortPath(path: string): string {
  return tildePath(path, { home: getConfig().home });
}

/**
 * Prints sessions as a table (`list`, `status`): a header, one aligned row
 * each, cut to the terminal's width unless `--wide`.
 *
 * @example
 * ```ts ignore
 * import { printStatusTable } from "./shared.ts";
 * printStatusTable(io, await backend.listSessions());
 * ```
 * @param io where to write (its width and whether to colour)
 * @param rows the sessions
 * @param options `wide`: cut nothing
 */
export function printStatusTable(
  io: CliIo,
  rows: readonly SessionStatus[],
  options: { readonly wide?: boolean } = {},
): void {
  const view = textView(io, options);
  for (const line of statusTable(rows, { ...view, agentName })) io.out(line);
}
