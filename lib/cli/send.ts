/**
 * `aimax send` and `aimax pause`: deliver a prompt to a running session,
 * queued behind the running turn (`send`) or after interrupting it
 * (`pause`). One file: they take the same options and print the same result.
 *
 * @module
 */
import type { SendResult, SessionStatus } from "../backend/mod.ts";
import { listRemoteSessions } from "../remote/backend.ts";
import { get, SUPPORTED_BACKENDS } from "../registry.ts";
import {
  type CliIo,
  type CommandContext,
  COMMON_HELP,
  defineCommand,
  EXIT,
} from "./command.ts";
import { UsageError } from "../errors.ts";
import { reportError } from "./errors.ts";
import { oneLine } from "../render/table.ts";
import { jsonLine } from "../terminal.ts";
import { reportTurn, secondsOption, TIMEOUT_OPTION } from "./turn.ts";
import {
  BACKEND_OPTION,
  backendFor,
  FLAG_ROOT_OPTION,
  need,
  PROMPT_OPTIONS,
  promptOf,
  remoteOf,
  SESSION_OPTION,
  VERBOSE_OPTION,
} from "./shared.ts";

const OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...PROMPT_OPTIONS,
  ...FLAG_ROOT_OPTION,
  ...TIMEOUT_OPTION,
  wait: { type: "boolean" },
  "when-ready": { type: "string" },
  key: { type: "string" },
  all: { type: "boolean" },
  ...VERBOSE_OPTION,
} as const;

/** Seconds `--when-ready` waits for a dialog to be answered when given bare. */
export const WHEN_READY_DEFAULT_SECONDS = 600;

const SEND_OPTIONS_HELP =
  `  -b, --backend NAME     (inferred from the session id when omitted)
  -s, --session ID       repeat for several sessions (each is reported)
      --all              every live session (of -b, or of every backend)
  -p, --prompt TEXT | --prompt-file FILE | piped stdin
      --flag-root DIR    new anchor of .imac/flags
      --wait             then wait for the turn to end and print its answer
                         (exit 0; 5 waits on a person; 6 --timeout;
                         7 interrupted; 8 cannot tell; 1 exited)
      --timeout SEC      with --wait: give up after SEC seconds
      --when-ready[=SEC] while a dialog is up, wait (default ${WHEN_READY_DEFAULT_SECONDS} s) for a
                         person to answer it instead of refusing with exit 5
      --key K            idempotent: the same key again within 10 minutes
                         sends nothing and reports the first send
  -v, --verbose          also how the prompt arrived (delivery, queued)`;

async function targets(
  values: CommandContext<typeof OPTIONS>["values"],
): Promise<string[]> {
  if (values.all) {
    if (values.session?.length) {
      throw new UsageError("give --all or -s, not both");
    }
    const names = values.backend ? [values.backend] : SUPPORTED_BACKENDS;
    const server = remoteOf(values);
    const rows: SessionStatus[] = [];
    if (server) {
      if (values.backend) get(values.backend); // an unknown name: exit 2
      rows.push(
        ...await listRemoteSessions(server, { backend: values.backend }),
      );
    } else {
      for (const name of names) rows.push(...await get(name).listSessions());
    }
    const ids = rows.filter((row) => !row.orphan && row.alive)
      .map((row) => row.sessionId);
    if (ids.length === 0) throw new UsageError("--all: no live sessions");
    return ids;
  }
  return values.session?.length
    ? [...values.session]
    : [need(values, "session")];
}

async function deliver(
  ctx: CommandContext<typeof OPTIONS>,
  interrupt: boolean,
): Promise<number> {
  const { values, io, emit } = ctx;
  const sessions = await targets(values);
  const prompt = await promptOf(values, io);
  const whenReady = values["when-ready"] === undefined
    ? undefined
    : (secondsOption(values, "when-ready") ?? 0);
  const timeoutMs = secondsOption(values, "timeout");
  if (values.wait && sessions.length > 1) {
    throw new UsageError("--wait takes one session");
  }
  if (timeoutMs !== undefined && !values.wait) {
    throw new UsageError("--timeout goes with --wait");
  }
  const sendTo = async (sessionId: string) => {
    const backend = await backendFor({ ...values, session: sessionId });
    const since = Date.now();
    const options = {
      sessionId,
      prompt,
      flagRoot: values["flag-root"],
      idempotencyKey: values.key,
      whenReadyMs: whenReady,
    };
    const result = interrupt
      ? await backend.pauseCurrentAndResumeFromSession(options)
      : await backend.noPauseCurrentAndQueueQueryAtSession(options);
    return { backend, since, result };
  };
  if (sessions.length === 1) {
    const { backend, since, result } = await sendTo(sessions[0]);
    if (values.wait) {
      const turn = await backend.waitForTurn(result.sessionId, {
        timeoutMs,
        since,
        prompt,
      });
      return reportTurn(io, {
        turn,
        sessionId: result.sessionId,
        json: ctx.json,
      });
    }
    emit(
      { ...result, sent: true },
      () => printSent(io, result, values.verbose),
    );
    return EXIT.ok;
  }
  // Several sessions: each is tried and reported; the first failure's exit
  // code is the command's.
  let code: number = EXIT.ok;
  const rows: unknown[] = [];
  for (const sessionId of sessions) {
    try {
      const { result } = await sendTo(sessionId);
      rows.push({ ...result, sent: true });
      if (!ctx.json) printSent(io, result, values.verbose);
    } catch (error) {
      const report = reportError(error);
      if (code === EXIT.ok) code = report.code;
      rows.push({ sessionId, sent: false, ...report.json });
      if (!ctx.json) { for (const line of report.lines) io.err(line); }
    }
  }
  if (ctx.json) io.out(jsonLine(rows));
  return code;
}

function printSent(io: CliIo, result: SendResult, verbose?: boolean): void {
  io.out(
    `sent to ${oneLine(result.sessionId)}${
      result.duplicate
        ? " (already sent with this --key: nothing sent now)"
        : ""
    }${result.queued ? " (queued behind the running turn)" : ""}${
      result.resubmitted > 0
        ? ` (then ${result.resubmitted} queued follow-up${
          result.resubmitted === 1 ? "" : "s"
        } again)`
        : ""
    }`,
  );
  if (verbose) {
    io.out(
      `  delivery: ${oneLine(result.delivery)}; queued: ${
        result.queued ? "yes" : "no"
      }; resubmitted: ${result.resubmitted}`,
    );
  }
  if (result.delivery === "unconfirmed") {
    io.err(
      "aimax: unconfirmed: the prompt left the input box but is not in the transcript yet; running.flag is kept",
    );
  }
}

/**
 * `aimax send [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)`.
 *
 * @example
 * ```ts
 * import { send } from "./send.ts";
 * console.log(send.help);
 * ```
 */
export const send = defineCommand({
  name: "send",
  summary: "send a prompt; queued if the agent is working",
  help:
    `Usage: aimax send [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Sends without interrupting: queued while the agent works. Refuses (exit 5,
with the dialog's text) while the agent shows a dialog such as a permission
request: nothing is typed into it. "unconfirmed" on success means the prompt
left the input box but is not in the transcript yet (not a failure).
${SEND_OPTIONS_HELP}
${COMMON_HELP}`,
  options: OPTIONS,
  run: (ctx) => deliver(ctx, false),
});

/**
 * `aimax pause [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)`.
 *
 * @example
 * ```ts
 * import { pause } from "./send.ts";
 * console.log(pause.help);
 * ```
 */
export const pause = defineCommand({
  name: "pause",
  summary: "interrupt the running turn, then send a prompt",
  help:
    `Usage: aimax pause [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Interrupts the running turn (Escape), waits for it to stop, then sends.
Follow-ups queued with \`send\` before it, which the interrupt took back, are
sent again after it, in order. Refuses (exit 5) while a dialog is up.
${SEND_OPTIONS_HELP}
${COMMON_HELP}`,
  options: OPTIONS,
  run: (ctx) => deliver(ctx, true),
});
