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
import { type CliIo, type CommandContext, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import { reportError } from "./errors.ts";
import { oneLine } from "../render/table.ts";
import { jsonLine } from "../terminal.ts";
import type { SEND_OPTIONS } from "./options.ts";
import { reportTurn, secondsOption } from "./turn.ts";
import { backendFor } from "./backend_for.ts";
import { need, promptOf, remoteOf } from "./shared.ts";

async function targets(
  values: CommandContext<typeof SEND_OPTIONS>["values"],
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
  ctx: CommandContext<typeof SEND_OPTIONS>,
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
 * Runs `aimax send [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)`:
 * the prompt is queued behind the running turn.
 *
 * @example
 * ```ts ignore
 * import { send } from "./send.ts";
 * const code = await send(ctx);
 * ```
 * @param ctx the parsed command line
 */
export function send(
  ctx: CommandContext<typeof SEND_OPTIONS>,
): Promise<number> {
  return deliver(ctx, false);
}

/**
 * Runs `aimax pause [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)`:
 * the running turn is interrupted, then the prompt is sent.
 *
 * @example
 * ```ts ignore
 * import { pause } from "./send.ts";
 * const code = await pause(ctx);
 * ```
 * @param ctx the parsed command line
 */
export function pause(
  ctx: CommandContext<typeof SEND_OPTIONS>,
): Promise<number> {
  return deliver(ctx, true);
}
