/**
 * The contract between the `aimax` entry (`cli.ts`) and its commands: what a
 * command declares ({@linkcode Command}), what it receives
 * ({@linkcode CommandContext}), and the exit codes and I/O they share.
 *
 * A new command is its run file under `lib/cli/` (the function that does
 * the work) plus its row in the table (`lib/cli/mod.ts`): a
 * {@linkcode defineCommand} of its name, help and options, whose `run`
 * imports the run file when the command runs; its help line, `--help`,
 * option parsing and shell completion follow from the row.
 *
 * @module
 */
import type { parseArgs, ParseArgsOptionsConfig } from "node:util";
// The exit codes live with the table of errors that maps codes to them.
export { EXIT } from "../errors.ts";

/**
 * Where the CLI writes; tests substitute their own.
 *
 * @example
 * ```ts
 * import { type CliIo, main } from "@aimax/cli/cli";
 * const lines: string[] = [];
 * const io: CliIo = {
 *   out: (t) => lines.push(t),
 *   err: (t) => lines.push(t),
 *   stdin: () => Promise.resolve(undefined),
 * };
 * await main(["--version"], io);
 * ```
 */
export interface CliIo {
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error. */
  err: (text: string) => void;
  /** Reads piped standard input, or `undefined` when it is a terminal. */
  stdin: () => Promise<string | undefined>;
  /** Writes raw progress text to stderr (the spinner). */
  progress?: (text: string) => void;
  /** Whether stderr is a terminal (spinner on). */
  interactive?: () => boolean;
  /** Whether stdout takes colour. */
  color?: () => boolean;
  /**
   * The width of the terminal stdout writes to, or `undefined` when it is
   * not a terminal (then nothing is cut to fit).
   */
  width?: () => number | undefined;
  /** Whether stdout is a terminal (`list --watch` redraws in place). */
  terminal?: () => boolean;
}

/**
 * A command's options, in `node:util` `parseArgs` form.
 *
 * @example
 * ```ts
 * import type { CommandOptions } from "./command.ts";
 * const options = { limit: { type: "string" } } as const satisfies CommandOptions;
 * ```
 */
export type CommandOptions = ParseArgsOptionsConfig;

/**
 * The options every command takes besides its own: `--json`, `-h/--help`,
 * `--server URL` (run against a remote `aimax serve`; also `AIMAX_SERVER`),
 * `--server-timeout SEC` (also `AIMAX_SERVER_TIMEOUT`).
 *
 * @example
 * ```ts
 * import { COMMON_OPTIONS } from "./command.ts";
 * console.log(Object.keys(COMMON_OPTIONS)); // ["json", "help", "server", "server-timeout"]
 * ```
 */
export const COMMON_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  server: { type: "string" },
  "server-timeout": { type: "string" },
} as const satisfies CommandOptions;

/**
 * The options of the program itself (not of a command): `-V/--version`.
 *
 * @example
 * ```ts
 * import { PROGRAM_OPTIONS } from "./command.ts";
 * console.log(PROGRAM_OPTIONS.version.short); // "V"
 * ```
 */
export const PROGRAM_OPTIONS = {
  version: { type: "boolean", short: "V" },
} as const satisfies CommandOptions;

/**
 * The `Options for every command` block that ends most commands' help.
 *
 * @example
 * ```ts
 * import { COMMON_HELP } from "./command.ts";
 * const help = `Usage: aimax frob -s ID\n${COMMON_HELP}`;
 * ```
 */
export const COMMON_HELP = `Options for every command:
  --json                 machine-readable output
  --server URL           run against \`aimax serve\` at URL (or AIMAX_SERVER),
                         with the token in AIMAX_SERVE_TOKEN
  --server-timeout SEC   give the server SEC s to answer, and to fall silent
                         (or AIMAX_SERVER_TIMEOUT; default 30)
  -h, --help             this help`;

/**
 * The parsed values of options `O` (strict `parseArgs`).
 *
 * @example
 * ```ts
 * import type { OptionValues } from "./command.ts";
 * const values: OptionValues<{ limit: { type: "string" } }> = { limit: "3" };
 * ```
 */
export type OptionValues<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>["values"];

/**
 * What a command's `run` receives.
 *
 * @example
 * ```ts
 * import type { CommandContext } from "./command.ts";
 * function hello(ctx: CommandContext) {
 *   ctx.emit({ hello: ctx.args[0] }, () => ctx.io.out(`hello ${ctx.args[0]}`));
 * }
 * ```
 */
export interface CommandContext<O extends CommandOptions = CommandOptions> {
  /** The parsed options: the command's own and {@linkcode COMMON_OPTIONS}. */
  readonly values: OptionValues<typeof COMMON_OPTIONS & O>;
  /** The positional arguments after the command's name (`config show` → `["show"]`). */
  readonly args: readonly string[];
  /**
   * The arguments after `--`, as given (only for a command with
   * {@linkcode Command.passthrough}; others refuse them).
   */
  readonly rest: readonly string[];
  /** Where to write and read. */
  readonly io: CliIo;
  /** Whether `--json` was given. */
  readonly json: boolean;
  /**
   * Writes `data` as one JSON line with `--json`, else calls `text` (which
   * prints the human form).
   */
  emit(data: unknown, text: () => void): void;
  /** The whole command table, in help order (for `completion`). */
  readonly commands: readonly Command[];
}

/**
 * One `aimax` command: its name, its help, its options and what it does.
 *
 * @example
 * ```ts
 * import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
 * export const hello = defineCommand({
 *   name: "hello",
 *   summary: "greet someone",
 *   help: `Usage: aimax hello [--name N]\n${COMMON_HELP}`,
 *   options: { name: { type: "string" } },
 *   run(ctx) {
 *     const name = ctx.values.name ?? "world";
 *     ctx.emit({ name }, () => ctx.io.out(`hello ${name}`));
 *     return Promise.resolve(EXIT.ok);
 *   },
 * });
 * ```
 */
export interface Command<O extends CommandOptions = CommandOptions> {
  /** The word after `aimax`. */
  readonly name: string;
  /** One line for the main help's command list. */
  readonly summary: string;
  /** The full text of `aimax <name> --help` (starts with `Usage: aimax <name>`). */
  readonly help: string;
  /**
   * The command's own options; {@linkcode COMMON_OPTIONS} are added. Any
   * other option is refused (exit 2). An option several commands share must
   * be declared the same way by each.
   */
  readonly options: O;
  /**
   * The command works on this host only (`attach`, `doctor`, `serve`): it
   * is refused (exit 2) with `--server` or `AIMAX_SERVER`.
   */
  readonly localOnly?: boolean;
  /**
   * The command takes arguments after `--` (`create` passes them to the
   * agent); any other command refuses them (exit 2).
   */
  readonly passthrough?: boolean;
  /**
   * The words the command takes after its name, besides options: none
   * (left out: a word there is refused, exit 2, never ignored), `one`
   * (`config show`, `completion bash`: a second word is refused), or `many`
   * (`keys Enter Escape`). The command checks what the words say.
   */
  readonly positionals?: "one" | "many";
  /**
   * Said after a word the command does not take (`create`: where a branch
   * and the agent's arguments go).
   */
  readonly positionalsHint?: string;
  /** Fixed words the command takes after its name (`show`, `permissions`), for completion. */
  readonly words?: readonly string[];
  /**
   * Does the work and returns the exit code. Errors it throws become one
   * line on stderr and an exit code (see `cli.ts`). In the table, it
   * imports the command's run file and calls it, so that no command's code
   * loads before it runs.
   */
  run(ctx: CommandContext<O>): Promise<number>;
}

/**
 * Declares a command, typing `run`'s `ctx.values` from `options`.
 *
 * @example
 * ```ts
 * import { defineCommand, EXIT } from "./command.ts";
 * const ping = defineCommand({
 *   name: "ping",
 *   summary: "print pong",
 *   help: "Usage: aimax ping",
 *   options: {},
 *   run: (ctx) => Promise.resolve((ctx.io.out("pong"), EXIT.ok)),
 * });
 * ```
 * @param command the command
 * @returns the same command
 */
export function defineCommand<const O extends CommandOptions>(
  command: Command<O>,
): Command<O> {
  return command;
}
