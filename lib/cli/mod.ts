/**
 * The table of `aimax` commands, in help order, and what is derived from it:
 * the main help and the options any command accepts. To add a command, write
 * `lib/cli/<name>.ts` (see {@linkcode Command}) and add it to
 * {@linkcode COMMANDS}.
 *
 * @module
 */
import { SUPPORTED_BACKENDS } from "../registry.ts";
import { VERSION } from "../version.ts";
import {
  type Command,
  type CommandOptions,
  COMMON_OPTIONS,
  PROGRAM_OPTIONS,
} from "./command.ts";
import { completion } from "./completion.ts";
import { config } from "./config.ts";
import { create } from "./create.ts";
import { history } from "./history.ts";
import { list } from "./list.ts";
import { pause, send } from "./send.ts";
import { status } from "./status.ts";
import { stop } from "./stop.ts";
import { stream } from "./stream.ts";
import { wait } from "./wait.ts";
import { events } from "./events.ts";
import { doctor } from "./doctor.ts";
import { attach, keys, screen } from "./screen.ts";
import { serve } from "./serve.ts";

/**
 * Every command, in the order the main help lists them.
 *
 * @example
 * ```ts
 * import { COMMANDS } from "./mod.ts";
 * console.log(COMMANDS.map((c) => c.name).join(" "));
 * ```
 */
export const COMMANDS: readonly Command[] = [
  create,
  send,
  pause,
  stop,
  list,
  status,
  history,
  stream,
  wait,
  events,
  screen,
  keys,
  attach,
  doctor,
  serve,
  config,
  completion,
];

/**
 * The text of `aimax --help`: one line per command of `commands`.
 *
 * @example
 * ```ts
 * import { COMMANDS, mainHelp } from "./mod.ts";
 * console.log(mainHelp(COMMANDS));
 * ```
 * @param commands the table
 */
export function mainHelp(commands: readonly Command[]): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(8)}  ${c.summary}`);
  return `aimax ${VERSION}: drive Claude Code and Codex TUIs through tmux.

Usage: aimax <command> [options]

Commands:
${lines.join("\n")}

Backends: ${SUPPORTED_BACKENDS.join(", ")}
Run \`aimax <command> --help\` for a command's options; \`aimax --version\`.
Remote: with --server URL or AIMAX_SERVER (and AIMAX_SERVE_TOKEN) the session
commands run against that \`aimax serve\` instead of local tmux.
Exit codes: 0 ok, 1 failure, 2 bad usage or input, 3 no such session,
4 tmux or agent missing, 5 the agent waits on a person (a dialog; nothing sent),
6 a wait ran out of time.`;
}

function sameOption(
  a: CommandOptions[string],
  b: CommandOptions[string],
): boolean {
  return a.type === b.type && a.short === b.short &&
    (a.multiple ?? false) === (b.multiple ?? false) &&
    JSON.stringify(a.default) === JSON.stringify(b.default);
}

/**
 * Every option any of `commands` takes, with {@linkcode COMMON_OPTIONS} and
 * {@linkcode PROGRAM_OPTIONS}: what `aimax` accepts before it knows the
 * command. Throws when two commands declare one option differently (a
 * programming error: `-b` must mean the same everywhere).
 *
 * @example
 * ```ts
 * import { allOptions, COMMANDS } from "./mod.ts";
 * console.log(Object.keys(allOptions(COMMANDS)));
 * ```
 * @param commands the table
 */
export function allOptions(commands: readonly Command[]): CommandOptions {
  const all: CommandOptions = { ...PROGRAM_OPTIONS, ...COMMON_OPTIONS };
  const shorts = new Map<string, string>(
    Object.entries(all).flatMap(([name, o]) =>
      o.short ? [[o.short, name]] : []
    ),
  );
  for (const command of commands) {
    for (const [name, option] of Object.entries(command.options)) {
      const known = all[name];
      if (known && !sameOption(known, option)) {
        throw new Error(
          `aimax ${command.name}: --${name} differs from another command's`,
        );
      }
      const owner = option.short ? shorts.get(option.short) : undefined;
      if (option.short && owner !== undefined && owner !== name) {
        throw new Error(
          `aimax ${command.name}: -${option.short} is already --${owner}`,
        );
      }
      all[name] = option;
      if (option.short) shorts.set(option.short, name);
    }
  }
  return all;
}
