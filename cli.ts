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
import { parseArgs } from "node:util";
import type { AgentBackend, SessionStatus } from "./lib/backend/mod.ts";
import { describeConfig, getConfig } from "./lib/config.ts";
import { permissionFlags } from "./lib/permissions.ts";
import {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  InputError,
} from "./lib/errors.ts";
import { summarizeRecord } from "./lib/format.ts";
import { validateSessionId } from "./lib/inputs.ts";
import { get, SUPPORTED_BACKENDS } from "./lib/registry.ts";
import { StateStore } from "./lib/state.ts";
import { VERSION } from "./lib/version.ts";
import { colorEnabled, paint, Spinner } from "./lib/terminal.ts";
import { completionScript } from "./lib/completion.ts";

/**
 * Exit codes of the CLI.
 *
 * @example
 * ```ts
 * import { EXIT, main } from "@aimax/cli/cli";
 * const code = await main(["status", "-s", "demo"]);
 * if (code === EXIT.notFound) console.log("no such session");
 * ```
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The operation failed (tmux, the agent, the state file). */
  failure: 1,
  /** Bad usage or bad input; nothing was changed. */
  usage: 2,
  /** No such session. */
  notFound: 3,
  /** tmux or the agent is not installed. */
  preflight: 4,
  /** The agent waits on a person (a permission dialog, a question); nothing was sent. */
  awaitingInput: 5,
} as const;

const COMMON_HELP = `Options for every command:
  --json                 machine-readable output
  -h, --help             this help`;

const HELP: Record<string, string> = {
  main: `aimax ${VERSION}: drive Claude Code and Codex TUIs through tmux.

Usage: aimax <command> [options]

Commands:
  create    start a session and submit its first prompt
  send      send a prompt; queued if the agent is working
  pause     interrupt the running turn, then send a prompt
  stop      end a session (kill its window, archive it)
  list      every session with its status
  status    one session's status
  history   the transcript so far and its sentinel
  stream    follow the transcript live (Ctrl-C to stop)
  config    config show | config permissions: settings; the scoped Deno flags
  completion  completion bash|zsh: a shell completion script

Backends: ${SUPPORTED_BACKENDS.join(", ")}
Run \`aimax <command> --help\` for a command's options; \`aimax --version\`.
Exit codes: 0 ok, 1 failure, 2 bad usage or input, 3 no such session,
4 tmux or agent missing, 5 the agent waits on a person (a dialog; nothing sent).`,
  create:
    `Usage: aimax create -b BACKEND -s ID --cwd DIR (-p TEXT | --prompt-file F | stdin)

  -b, --backend NAME     ${SUPPORTED_BACKENDS.join(" | ")}
  -s, --session ID       session id (A-Z a-z 0-9 _ -, up to 64)
      --cwd DIR          working directory (absolute, existing)
  -p, --prompt TEXT      first prompt (or --prompt-file FILE, or piped stdin)
      --model NAME       forwarded as --model to the agent
      --flag-root DIR    anchor of .imac/flags (default: cwd)
      --display-name T   free-form label
      --agent-session-id ID  resume this Claude uuid / Codex thread
      --use-proxy | --no-proxy   force proxychains on or off
${COMMON_HELP}`,
  send:
    `Usage: aimax send [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Sends without interrupting: queued while the agent works. Refuses (exit 5,
with the dialog's text) while the agent shows a dialog such as a permission
request: nothing is typed into it. "unconfirmed" on success means the prompt
left the input box but is not in the transcript yet (not a failure).
  -b, --backend NAME     (inferred from the session id when omitted)
  -s, --session ID
  -p, --prompt TEXT | --prompt-file FILE | piped stdin
      --flag-root DIR    new anchor of .imac/flags
${COMMON_HELP}`,
  pause:
    `Usage: aimax pause [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Interrupts the running turn (Escape), waits for it to stop, then sends.
Follow-ups queued with \`send\` before it, which the interrupt took back, are
sent again after it, in order. Refuses (exit 5) while a dialog is up.
${COMMON_HELP}`,
  stop: `Usage: aimax stop [-b BACKEND] -s ID

Kills the session's window and moves it to the archive.
${COMMON_HELP}`,
  list: `Usage: aimax list [-b BACKEND]

Every session (of one backend, or all) with alive/working/flag status.
${COMMON_HELP}`,
  status: `Usage: aimax status [-b BACKEND] -s ID
${COMMON_HELP}`,
  history:
    `Usage: aimax history [-b BACKEND] -s ID [--limit N] [--from-sentinel N]

Prints the transcript; the sentinel is the byte offset to stream from.
${COMMON_HELP}`,
  stream: `Usage: aimax stream [-b BACKEND] -s ID [--from-sentinel N]

Follows the transcript live until Ctrl-C. With --from-sentinel, resumes
exactly after a history read: nothing repeated, nothing missed.
With --json, one JSON entry ({offset, end, value}) per line.
${COMMON_HELP}`,
  completion: `Usage: aimax completion bash|zsh

Prints a completion script: eval "$(aimax completion bash)" in ~/.bashrc,
or eval "$(aimax completion zsh)" in ~/.zshrc.`,
  config: `Usage: aimax config show
       aimax config permissions [--work-dir DIR ...]

show: every active setting, its value and the environment variable that sets it.
permissions: the narrowest \`deno run\` permission flags for this config,
  given the working directories your sessions use.
${COMMON_HELP}`,
};

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
}

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
  stdin: async () => {
    if (Deno.stdin.isTerminal()) return undefined;
    return await new Response(Deno.stdin.readable).text();
  },
};

const OPTIONS = {
  backend: { type: "string", short: "b" },
  session: { type: "string", short: "s" },
  cwd: { type: "string" },
  prompt: { type: "string", short: "p" },
  "prompt-file": { type: "string" },
  model: { type: "string" },
  "flag-root": { type: "string" },
  "display-name": { type: "string" },
  "agent-session-id": { type: "string" },
  "use-proxy": { type: "boolean" },
  "no-proxy": { type: "boolean" },
  "from-sentinel": { type: "string" },
  limit: { type: "string" },
  "work-dir": { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>[
  "values"
];

class UsageError extends AimaxError {
  constructor(message: string) {
    super("usage", message);
  }
}

function need(values: Values, name: keyof Values): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

function offsetOption(values: Values, name: "from-sentinel" | "limit") {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new UsageError(`--${name} takes a whole number, got "${raw}"`);
  }
  return Number(raw);
}

async function promptOf(values: Values, io: CliIo): Promise<string> {
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

async function backendFor(values: Values): Promise<
  AgentBackend & {
    status(id: string): Promise<SessionStatus>;
  }
> {
  if (values.backend) return get(values.backend);
  // A malformed id is bad input (exit 2), not an unknown session (exit 3).
  const sessionId = validateSessionId(values.session);
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

function printStatus(io: CliIo, s: SessionStatus): void {
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

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.version) {
    io.out(values.json ? JSON.stringify({ version: VERSION }) : VERSION);
    return EXIT.ok;
  }
  if (!command || (values.help && !HELP[command])) {
    io.out(HELP.main);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  if (!HELP[command]) throw new UsageError(`unknown command "${command}"`);
  if (values.help) {
    io.out(HELP[command]);
    return EXIT.ok;
  }
  const json = values.json === true;
  const emit = (data: unknown, text: () => void) =>
    json ? io.out(JSON.stringify(data)) : text();

  switch (command) {
    case "create": {
      const backend = get(need(values, "backend"));
      if (values["use-proxy"] && values["no-proxy"]) {
        throw new UsageError("give --use-proxy or --no-proxy, not both");
      }
      const spinner = new Spinner(
        io.progress ?? (() => {}),
        !json && (io.interactive?.() ?? false),
      );
      spinner.start(`starting ${backend.profile.label} session`);
      const result = await backend.createNewSession({
        onProgress: (step) => spinner.update(step),
        sessionId: need(values, "session"),
        cwd: need(values, "cwd"),
        initialPrompt: await promptOf(values, io),
        flagRoot: values["flag-root"],
        model: values.model,
        displayName: values["display-name"],
        agentSessionId: values["agent-session-id"],
        useProxy: values["use-proxy"]
          ? true
          : values["no-proxy"]
          ? false
          : undefined,
      }).finally(() => spinner.stop());
      emit(result, () =>
        io.out(
          `created ${result.sessionId} (agent session ${result.agentSessionId}; transcript ${result.jsonlPath})`,
        ));
      return EXIT.ok;
    }
    case "send":
    case "pause": {
      need(values, "session");
      const backend = await backendFor(values);
      const options = {
        sessionId: values.session!,
        prompt: await promptOf(values, io),
        flagRoot: values["flag-root"],
      };
      const result = command === "send"
        ? await backend.noPauseCurrentAndQueueQueryAtSession(options)
        : await backend.pauseCurrentAndResumeFromSession(options);
      emit({ ...result, sent: true }, () => {
        io.out(
          `sent to ${result.sessionId}${
            result.queued ? " (queued behind the running turn)" : ""
          }${
            result.resubmitted > 0
              ? ` (then ${result.resubmitted} queued follow-up${
                result.resubmitted === 1 ? "" : "s"
              } again)`
              : ""
          }`,
        );
        if (result.delivery === "unconfirmed") {
          io.err(
            "aimax: unconfirmed: the prompt left the input box but is not in the transcript yet; running.flag is kept",
          );
        }
      });
      return EXIT.ok;
    }
    case "stop": {
      need(values, "session");
      const backend = await backendFor(values);
      const result = await backend.terminateSession(values.session!);
      emit(result, () =>
        io.out(
          `stopped ${result.sessionId}${
            result.killed ? "" : " (window was already gone)"
          }${result.wasWorking ? " (a turn was running)" : ""}`,
        ));
      return EXIT.ok;
    }
    case "list": {
      const names = values.backend ? [values.backend] : SUPPORTED_BACKENDS;
      const rows: SessionStatus[] = [];
      for (const name of names) rows.push(...await get(name).listSessions());
      emit(rows, () => {
        if (rows.length === 0) io.out("no sessions");
        for (const row of rows) printStatus(io, row);
      });
      return EXIT.ok;
    }
    case "status": {
      need(values, "session");
      const backend = await backendFor(values);
      const status = await backend.status(values.session!);
      emit(status, () => {
        printStatus(io, status);
        io.out(`  agent session: ${status.agentSessionId ?? "-"}`);
        io.out(`  transcript:    ${status.jsonlPath ?? "-"}`);
        io.out(`  window/pane:   ${status.windowId} ${status.paneId}`);
      });
      return EXIT.ok;
    }
    case "history": {
      need(values, "session");
      const backend = await backendFor(values);
      const history = await backend.getHistory(values.session!, {
        fromOffset: offsetOption(values, "from-sentinel"),
        limit: offsetOption(values, "limit"),
      });
      emit(history, () => {
        for (const entry of history.entries) {
          io.out(
            entry.error
              ? `[${entry.offset}] (malformed line: ${entry.error})`
              : `[${entry.offset}] ${summarizeRecord(entry.value)}`,
          );
        }
        io.out(
          `-- ${history.entries.length} of ${history.total} entries; sentinel ${history.sentinel}`,
        );
      });
      return EXIT.ok;
    }
    case "stream": {
      need(values, "session");
      const backend = await backendFor(values);
      const stop = await backend.getAgentRawThoughtStream(
        values.session!,
        (_raw, entry) =>
          json ? io.out(JSON.stringify(entry)) : io.out(
            entry.error
              ? `[${entry.offset}] (malformed line: ${entry.error})`
              : `[${entry.offset}] ${summarizeRecord(entry.value)}`,
          ),
        { fromOffset: offsetOption(values, "from-sentinel") },
      );
      if (!json) io.err("streaming; Ctrl-C to stop");
      await waitForSignal();
      await stop();
      return EXIT.ok;
    }
    case "completion": {
      const shell = rest[0];
      if (shell !== "bash" && shell !== "zsh") {
        throw new UsageError("usage: aimax completion bash|zsh");
      }
      io.out(completionScript(shell, SUPPORTED_BACKENDS));
      return EXIT.ok;
    }
    case "config": {
      if (rest[0] === "permissions") {
        const flags = await permissionFlags(getConfig(), {
          workDirs: values["work-dir"] ?? [],
        });
        emit({ flags }, () => io.out(flags.join("\n")));
        return EXIT.ok;
      }
      if (rest[0] !== "show") {
        throw new UsageError(
          "usage: aimax config show | aimax config permissions",
        );
      }
      const rows = describeConfig(getConfig());
      emit(
        {
          config: getConfig(),
          env: Object.fromEntries(rows.map((r) => [r.env, r.key])),
          rows,
        },
        () => {
          for (const row of rows) {
            io.out(
              `${row.key.padEnd(18)} ${
                String(row.value).padEnd(50)
              } ${row.env}${row.envValue !== undefined ? " (set)" : ""}`,
            );
          }
        },
      );
      return EXIT.ok;
    }
  }
  throw new UsageError(`unknown command "${command}"`);
}

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof InputError) {
    return EXIT.usage;
  }
  if (error instanceof AimaxError) {
    if (error.code === "session_not_found") return EXIT.notFound;
    if (error.code === "preflight_failed") return EXIT.preflight;
    if (error instanceof AwaitingInputError) return EXIT.awaitingInput;
    return EXIT.failure;
  }
  if (error instanceof TypeError && "code" in error) return EXIT.usage;
  return EXIT.failure;
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
    const code = exitCodeOf(error);
    let message = error instanceof Error ? error.message : String(error);
    if (error instanceof Deno.errors.NotCapable) {
      message += " (see README: Permissions)";
    }
    const [first, ...more] = message.split("\n");
    io.err(`aimax: ${first}`);
    const screen = error instanceof AgentScreenError ||
        error instanceof AwaitingInputError
      ? error.screen
      : undefined;
    if (screen !== undefined && more.length > 0) io.err(more.join("\n"));
    if (argv.includes("--json")) {
      io.out(JSON.stringify({
        error: {
          code: error instanceof AimaxError ? error.code : "error",
          message: screen === undefined ? message : first,
          ...(error instanceof AwaitingInputError
            ? { dialog: error.dialog }
            : {}),
          ...(screen === undefined ? {} : { screen }),
        },
      }));
    }
    return code;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
