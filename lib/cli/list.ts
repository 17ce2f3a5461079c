/**
 * `aimax list`: every session with its status, as a table; `--watch`
 * redraws it every second until Ctrl-C.
 *
 * @module
 */
import type { SessionStatus } from "../backend/mod.ts";
import { statusTable } from "../render/status.ts";
import { profileOf } from "../agents/mod.ts";
import { listAllSessions } from "../listing.ts";
import { type CliIo, type CommandContext, EXIT } from "./command.ts";
import { jsonLine } from "../terminal.ts";
import type { LIST_OPTIONS } from "./options.ts";
import { agentName, printStatusTable, remoteOf, textView } from "./shared.ts";

/**
 * Every session: one tmux call in all, whatever their number; one request
 * to the server in remote mode.
 */
async function sessions(
  options: { backend?: string; server?: string; "server-timeout"?: string },
): Promise<SessionStatus[]> {
  const { backend } = options;
  if (backend) profileOf(backend); // an unknown name: exit 2
  const server = remoteOf(options);
  if (server) {
    // The remote client is loaded in remote mode only.
    const { listRemoteSessions } = await import("../remote/backend.ts");
    return await listRemoteSessions(server, { backend });
  }
  return await listAllSessions({ backend });
}

/** Cursor home; each line cleared to its end; the rest of the screen cleared. */
function frame(lines: readonly string[]): string {
  return `\x1b[H${lines.map((l) => `${l}\x1b[K`).join("\n")}\x1b[J`;
}

/**
 * Redraws the table every second until Ctrl-C: in place on a terminal (no
 * clearing first, so no flicker), else one table per second, a blank line
 * between.
 */
async function watch(
  io: CliIo,
  options: {
    backend?: string;
    server?: string;
    "server-timeout"?: string;
    wide?: boolean;
    json: boolean;
  },
): Promise<number> {
  // Loaded for --watch only: `events.ts` brings the event model with it.
  const { waitForSignal } = await import("./events.ts");
  const signal = waitForSignal();
  let stopped = false;
  signal.then(() => stopped = true);
  const terminal = !options.json && (io.terminal?.() ?? false);
  let first = true;
  try {
    while (!stopped) {
      const rows = await sessions(options);
      const lines = rows.length === 0
        ? ["no sessions"]
        : statusTable(rows, { ...textView(io, options), agentName });
      if (options.json) io.out(jsonLine(rows));
      else if (terminal) {
        // The first frame hides the cursor and clears once; later frames
        // only overwrite (no blank screen between: no flicker).
        io.out((first ? "\x1b[?25l\x1b[2J" : "") + frame(lines));
      } else {
        if (!first) io.out("");
        for (const line of lines) io.out(line);
      }
      first = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        signal,
        new Promise((resolve) => timer = setTimeout(resolve, 1000)),
      ]);
      clearTimeout(timer);
    }
  } finally {
    if (terminal && !first) io.out("\x1b[?25h");
  }
  return EXIT.ok;
}

/**
 * Runs `aimax list [-b BACKEND] [--wide] [--watch]`.
 *
 * @example
 * ```ts ignore
 * import { list } from "./list.ts";
 * const code = await list(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function list(
  { values, io, json, emit }: CommandContext<typeof LIST_OPTIONS>,
): Promise<number> {
  if (values.backend) profileOf(values.backend); // an unknown name: exit 2
  if (values.watch) {
    return await watch(io, {
      backend: values.backend,
      server: values.server,
      "server-timeout": values["server-timeout"],
      wide: values.wide,
      json,
    });
  }
  const rows = await sessions(values);
  emit(rows, () => {
    if (rows.length === 0) io.out("no sessions");
    else printStatusTable(io, rows, { wide: values.wide });
  });
  return EXIT.ok;
}
