/**
 * The `aimax` command line: argv → one library call → text or `--json`.
 *
 * ```sh
 * aimax create -b tmux-claude-code -s demo --cwd /tmp/sandbox -p 'Make hello.py'
 * aimax send -s demo -p 'Also add a README.'
 * aimax stream -s demo
 * aimax stop -s demo
 * ```
 *
 * @module
 */
// Types only: `node:util` itself is imported when a command runs (its first
// import starts Deno's Node layer, which `--version` and `--help` skip).
import type { parseArgs } from "node:util";
import { VERSION } from "./lib/version.ts";
import { colorEnabled, jsonLine } from "./lib/terminal.ts";
import {
  type CliIo,
  type Command,
  type CommandContext,
  COMMON_OPTIONS,
  EXIT,
} from "./lib/cli/command.ts";
import { UsageError } from "./lib/errors.ts";
import { allOptions, COMMANDS, mainHelp } from "./lib/cli/mod.ts";
import { reportError } from "./lib/cli/errors.ts";
import { remoteRequested } from "./lib/remote/server.ts";
import { WHEN_READY_DEFAULT_SECONDS } from "./lib/cli/options.ts";

export { type CliIo, EXIT };

const encoder = new TextEncoder();

function writeAll(stream: typeof Deno.stdout, text: string): void {
  const bytes = encoder.encode(text);
  try {
    let written = 0;
    while (written < bytes.length) {
      written += stream.writeSync(bytes.subarray(written));
    }
  } catch (error) {
    // A reader that went away (`aimax list | head -1`) is not an error.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

const defaultIo: CliIo = {
  out: (text) => writeAll(Deno.stdout, text + "\n"),
  err: (text) => writeAll(Deno.stderr, text + "\n"),
  progress: (text) => writeAll(Deno.stderr, text),
  interactive: () => Deno.stderr.isTerminal(),
  color: () => colorEnabled(Deno.stdout),
  width: () => {
    if (!Deno.stdout.isTerminal()) return undefined;
    try {
      return Deno.consoleSize().columns || undefined;
    } catch {
      return undefined;
    }
  },
  terminal: () => Deno.stdout.isTerminal(),
  stdin: async () => {
    if (Deno.stdin.isTerminal()) return undefined;
    return await new Response(Deno.stdin.readable).text();
  },
};

/** Every option of every command: finds the command wherever options sit. */
const ANY_OPTION = allOptions(COMMANDS);

type Parsed = ReturnType<
  typeof parseArgs<{
    options: typeof ANY_OPTION;
    allowPositionals: true;
    strict: true;
    tokens: true;
  }>
>;

/** The options {@linkcode simpleArgs} reads, by how they are written. */
const SIMPLE_OPTIONS = new Map([
  ["--version", "version"],
  ["-V", "version"],
  ["--help", "help"],
  ["-h", "help"],
  ["--json", "json"],
]);

/**
 * `argv` read without `node:util` when it is only words and the boolean
 * options `--version`, `-V`, `--help`, `-h` and `--json` (what
 * `aimax --version`, `aimax --help` and `aimax <command> --help` are made
 * of): then `parseArgs` would find the same values and positionals, and
 * leaving `node:util` unloaded saves Deno's Node layer (about a fifth of a
 * bare Deno start). `undefined` for any other argument (`--`, `-`, another
 * option): {@linkcode parseAll} reads that `argv`.
 */
function simpleArgs(
  argv: readonly string[],
): Pick<Parsed, "values" | "positionals"> | undefined {
  const values: Record<string, boolean> = {};
  const positionals: string[] = [];
  for (const arg of argv) {
    const name = SIMPLE_OPTIONS.get(arg);
    if (name !== undefined) values[name] = true;
    else if (arg !== "" && !arg.startsWith("-")) positionals.push(arg);
    else return undefined;
  }
  return { values, positionals };
}

/**
 * `argv` parsed with every command's options at once, so that the command
 * is found wherever the options sit (`aimax -b tmux-codex list`) and an
 * option no command knows is refused first.
 */
async function parseAll(argv: string[]): Promise<Parsed> {
  const { parseArgs } = await import("node:util");
  return parseArgs({
    args: argv,
    options: ANY_OPTION,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
}

/** `argv` as {@linkcode run} read it: by {@linkcode simpleArgs}, or in full. */
type FirstReading = Pick<Parsed, "values" | "positionals"> | Parsed;

/**
 * `argv` parsed again with only `command`'s options and the common ones
 * (`tokens`: from the first, full reading); an option of another command is
 * a usage error that names the command.
 */
async function parseFor(
  command: Command,
  read: { argv: string[]; tokens: Parsed["tokens"] },
): Promise<Pick<Parsed, "values" | "positionals"> & { rest: string[] }> {
  const { argv, tokens } = read;
  const { parseArgs } = await import("node:util");
  const options = { ...COMMON_OPTIONS, ...command.options };
  for (const token of tokens) {
    if (token.kind === "option" && !Object.hasOwn(options, token.name)) {
      throw new UsageError(
        `${token.rawName} is not an option of \`aimax ${command.name}\` (see \`aimax ${command.name} --help\`)`,
      );
    }
  }
  const { values, positionals } = parseArgs({
    args: argv,
    options,
    allowPositionals: true,
    strict: true,
  });
  // After `--`: arguments for the agent, taken by `create` only.
  const end = tokens.find((t) => t.kind === "option-terminator");
  const rest = end ? argv.slice(end.index + 1) : [];
  if (end && !command.passthrough) {
    throw new UsageError(
      `\`aimax ${command.name}\` takes no arguments after "--" (\`aimax create … -- ARGS\` passes them to the agent)`,
    );
  }
  return { values, positionals, rest };
}

/**
 * The context `command` runs with. An `argv` that {@linkcode simpleArgs}
 * read (words and `--json` only, as in `aimax list --json`) is taken as
 * read: every command takes `--json`, so `parseArgs` would find the same,
 * and `node:util` stays unloaded; any other is parsed by
 * {@linkcode parseFor}.
 */
async function contextOf(
  command: Command,
  options: { argv: string[]; first: FirstReading; io: CliIo },
): Promise<CommandContext> {
  const { argv, first, io } = options;
  const { values, positionals, rest } = "tokens" in first
    ? await parseFor(command, { argv, tokens: first.tokens })
    : { ...first, rest: [] };
  const args = positionals.slice(1, positionals.length - rest.length);
  checkPositionals(command, args);
  const json = values.json === true;
  return {
    values,
    args,
    rest,
    io,
    json,
    emit: (data, text) => json ? io.out(jsonLine(data)) : text(),
    commands: COMMANDS,
  };
}

/**
 * Refuses a word after the command's name that it does not take (exit 2):
 * `aimax list extra` is a mistake to say, not to ignore.
 */
function checkPositionals(command: Command, args: readonly string[]): void {
  const allowed = command.positionals === "many"
    ? Infinity
    : command.positionals === "one"
    ? 1
    : 0;
  if (args.length <= allowed) return;
  const word = args[allowed];
  const shown = word.length > 80 ? `${word.slice(0, 77)}...` : word;
  const hint = command.positionalsHint ? `: ${command.positionalsHint}` : "";
  throw new UsageError(
    `"${shown}" is not an argument of ${command.name}${hint} (see \`aimax ${command.name} --help\`)`,
  );
}

/** Whether `arg` is an option that takes the next argument as its value. */
function takesValue(arg: string | undefined): boolean {
  if (!arg?.startsWith("-") || arg.includes("=")) return false;
  const option = arg.startsWith("--")
    ? ANY_OPTION[arg.slice(2)]
    : Object.values(ANY_OPTION).find((o) => o.short === arg.slice(1));
  return option?.type === "string";
}

/** The options whose value may be left out, and what a bare one means. */
const OPTIONAL_VALUES = new Map([
  ["--when-ready", String(WHEN_READY_DEFAULT_SECONDS)],
  // Empty: the default branch (`create` reads it so).
  ["--worktree", ""],
]);

/**
 * A bare `--when-ready` or `--worktree` means its default: `parseArgs` has
 * no options with an optional value.
 */
function withOptionalValues(argv: string[]): string[] {
  const end = argv.indexOf("--");
  return argv.map((arg, i) =>
    OPTIONAL_VALUES.has(arg) && (end < 0 || i < end) &&
      !takesValue(argv[i - 1])
      ? `${arg}=${OPTIONAL_VALUES.get(arg)}`
      : arg
  );
}

async function run(args: string[], io: CliIo): Promise<number> {
  const argv = withOptionalValues(args);
  const first: FirstReading = simpleArgs(argv) ?? await parseAll(argv);
  const { values, positionals } = first;
  const [name] = positionals;
  if (values.version) {
    io.out(values.json ? JSON.stringify({ version: VERSION }) : VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!name || (values.help && !command)) {
    io.out(mainHelp(COMMANDS));
    return name || values.help ? EXIT.ok : EXIT.usage;
  }
  if (!command) throw new UsageError(`unknown command "${name}"`);
  if (values.help) {
    io.out(command.help);
    return EXIT.ok;
  }
  if (
    command.localOnly && remoteRequested(
      typeof values.server === "string" ? values.server : undefined,
    )
  ) {
    throw new UsageError(
      `\`aimax ${command.name}\` works on this host only: run it without --server / AIMAX_SERVER${
        command.name === "attach"
          ? " (remotely, use `aimax screen` and `aimax keys`)"
          : ""
      }`,
    );
  }
  const context = await contextOf(command, { argv, first, io });
  // A data dir left readable by others is made private when first used;
  // said once, on stderr.
  const { setPrivacyNotice } = await import("./lib/private.ts");
  setPrivacyNotice((line) => io.err(`aimax: warning: ${line}`));
  return await command.run(context);
}

/**
 * Runs the CLI with `argv` (without the program name) and returns the exit
 * code. Errors become one line on stderr (and a JSON object on stdout with
 * `--json`).
 *
 * @example
 * ```ts
 * import { main } from "@aimax/cli/cli";
 * const code = await main(["--version"]);
 * ```
 * @param argv the arguments
 * @param io where to write (default: the process's stdout/stderr/stdin)
 */
export async function main(
  argv: string[],
  io: CliIo = defaultIo,
): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    const report = reportError(error);
    for (const line of report.lines) io.err(line);
    if (argv.includes("--json")) io.out(jsonLine(report.json));
    return report.code;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
