/**
 * Waiting for the current turn of a session to end (completed, waiting on
 * a person, exited, or out of time) with the turn's final answer: the
 * session's signals and transcript watched, its state read again on each
 * change ({@linkcode stateOf}).
 *
 * @module
 */
import { watchJsonl } from "../jsonl/watcher.ts";
import { pollUntil } from "../poll.ts";
import { signalFiles } from "../signals/files.ts";
import {
  comparableText,
  type HeardSignal,
  type SessionState,
} from "../signals/session_state.ts";
import type { SessionRecord } from "../state.ts";
import type { BackendContext } from "./context.ts";
import type { TurnOutcome, WaitOptions } from "./contract.ts";
import {
  type TranscriptTurn,
  TranscriptTurnReader,
} from "./transcript_turn.ts";
import { readSignals, type Signals, stateOf } from "./turns.ts";

/**
 * Waits until the session's current turn ends (with a prompt: that
 * prompt's own turn). The transcript decides what the turn said and
 * whether it ended; the agent's signals (hooks, notify) wake the wait
 * sooner and may deliver the answer first when the transcript agrees; the
 * screen shows dialogs, exits and a running turn. Woken by every new signal
 * and transcript line; the screen is read every `turnPollMs`.
 *
 * @param ctx the backend
 * @param record the session
 * @param options time limit, abort signal, `since`, `prompt`
 */
export async function waitForTurn(
  ctx: BackendContext,
  record: SessionRecord,
  options: WaitOptions = {},
): Promise<TurnOutcome> {
  const started = Date.now();
  const since = options.since ?? started;
  const { events } = signalFiles(ctx.config.dataDir, {
    backend: ctx.name,
    sessionId: record.sessionId,
  });
  // Every new signal or transcript line cuts the pause short.
  let wake = () => {};
  const stops: (() => Promise<void>)[] = [];
  const watch = async (path: string) => {
    const stop = await watchJsonl(path, () => wake()).catch(() => undefined);
    if (stop) stops.push(stop);
  };
  await watch(events);
  let reader: TranscriptTurnReader | undefined;
  let idleSeen = 0;
  let idleSince: number | undefined;
  try {
    const result = await pollUntil<TurnOutcome>(async () => {
      const took = Date.now() - started;
      if (!reader) {
        // Some agents name their transcript only after the first prompt.
        const path = record.jsonlPath ??
          (await ctx.store.get(ctx.name, record.sessionId))?.jsonlPath;
        if (path) {
          reader = new TranscriptTurnReader(ctx.profile, {
            path,
            prompt: options.prompt,
            since,
          });
          await watch(path);
        }
      }
      const signals = await readSignals(ctx, record, {
        prompt: options.prompt,
        since,
      });
      // One read of the signals per look, for the state too.
      const reading = await stateOf(ctx, record, { signals });
      const turn = await reader?.read();
      const forPrompt = options.prompt !== undefined;
      const idle = reading.state === "idle";
      if (turn?.end === "completed") {
        // The prompt's own turn ended: done, whatever runs after it. The
        // latest turn: done unless a newer one already runs on screen, or
        // it ended before the wait and the screen has not settled.
        const fresh = (turn.endedAt ?? 0) >= since;
        if (
          forPrompt ||
          (reading.state !== "working" &&
            (fresh || !idle || ++idleSeen >= IDLE_LOOKS))
        ) {
          return completed(turn, { state: reading.state, took });
        }
        return undefined;
      }
      if (
        turn?.end === "aborted" && (forPrompt || reading.state !== "working")
      ) {
        return {
          outcome: "interrupted",
          state: reading.state,
          text: turn.text,
          reason: "the turn was interrupted before it ended",
          durationMs: took,
        };
      }
      // A turn-end signal whose answer the transcript already holds: the
      // hook told first, the transcript agrees (its end record follows).
      const end = forPrompt ? signals.promptEnd : freshEnd(signals, since);
      if (
        end && turn?.hasText &&
        comparableText(answerOf(end)) === comparableText(turn.text)
      ) {
        return completed(turn, {
          state: reading.state,
          took,
          source: "hook",
          turnId: turnIdOf(end),
        });
      }
      if (reading.state === "exited" || reading.state === "awaiting_input") {
        return {
          outcome: reading.state,
          state: reading.state,
          text: reading.dialog ?? "",
          durationMs: took,
        };
      }
      if (!idle) {
        idleSeen = 0;
        idleSince = undefined;
        return undefined;
      }
      // Idle on screen, but the transcript shows no end of the turn: give
      // it a moment to catch up, then say that aimax cannot tell.
      idleSince ??= Date.now();
      if (
        ++idleSeen < IDLE_LOOKS ||
        Date.now() - idleSince < ctx.timings.transcriptGraceMs
      ) {
        return undefined;
      }
      return {
        outcome: "unknown",
        state: reading.state,
        text: "",
        reason: unknownReason({ reader, turn, forPrompt }),
        durationMs: took,
      };
    }, {
      timeoutMs: options.timeoutMs ?? Number.MAX_SAFE_INTEGER,
      intervalMs: ctx.timings.turnPollMs,
      signal: options.signal,
      wake: () => new Promise<void>((r) => wake = r),
    });
    if (!result.timedOut) return result.value;
    const reading = await stateOf(ctx, record).catch(() => undefined);
    return {
      outcome: "timeout",
      state: reading?.state ?? "working",
      text: "",
      durationMs: Date.now() - started,
    };
  } finally {
    for (const stop of stops) await stop();
  }
}

/** A completed outcome from the transcript's turn. */
function completed(
  turn: TranscriptTurn,
  options: {
    state: SessionState;
    took: number;
    source?: "transcript" | "hook";
    turnId?: string;
  },
): TurnOutcome {
  const turnId = turn.turnId ?? options.turnId;
  return {
    outcome: "completed",
    state: options.state,
    text: turn.text,
    source: options.source ?? "transcript",
    ...(turn.hasText ? {} : { empty: true }),
    ...(turnId ? { turnId } : {}),
    durationMs: options.took,
  };
}

/** Why the end of a turn cannot be told, in one line. */
function unknownReason(input: {
  reader: TranscriptTurnReader | undefined;
  turn: TranscriptTurn | undefined;
  forPrompt: boolean;
}): string {
  if (!input.reader) {
    return "the session is idle, but its transcript is not known yet, so its answer cannot be read";
  }
  if (!input.turn) {
    return input.forPrompt
      ? `the session is idle, but the prompt is not in its transcript (${input.reader.path})`
      : `the session is idle and its transcript holds no turn yet (${input.reader.path})`;
  }
  return `the session is idle, but its transcript records no end of the turn (interrupted before any answer?) (${input.reader.path})`;
}

/** The latest turn-end signal, when it came at or after `since`. */
function freshEnd(signals: Signals, since: number): HeardSignal | undefined {
  const end = signals.lastEnd;
  return end && end.raw.at >= since ? end : undefined;
}

/** Consecutive idle looks before an idle screen is believed. */
const IDLE_LOOKS = 3;

/** The final answer a turn-end signal carries. */
function answerOf(heard: HeardSignal): string {
  return heard.said.kind === "turn_ended" ? heard.said.answer ?? "" : "";
}

function turnIdOf(heard: HeardSignal): string | undefined {
  return heard.said.kind === "turn_ended" ? heard.said.turnId : undefined;
}
