/**
 * Turns: a session's state read from its signals, pane and screen, and
 * waiting for the current turn to end (completed, waiting on a person,
 * exited, or out of time) with the turn's final answer.
 *
 * @module
 */
import { readJsonl } from "../jsonl/reader.ts";
import { watchJsonl } from "../jsonl/watcher.ts";
import { pollUntil } from "../poll.ts";
import { signalFiles } from "../signals/files.ts";
import {
  comparableText,
  deriveState,
  type HeardSignal,
  promptTurnEnd,
  type SessionState,
  type SignalEvent,
  signalState,
  type StateReading,
} from "../signals/session_state.ts";
import type { SessionRecord } from "../state.ts";
import type { PaneState } from "../signals/screen.ts";
import { dialogInfoOf } from "./dialogs.ts";
import { type BackendContext, paneOf } from "./context.ts";
import type { TurnOutcome, WaitOptions } from "./contract.ts";
import type { PaneView } from "./pane.ts";
import {
  type TranscriptTurn,
  TranscriptTurnReader,
} from "./transcript_turn.ts";

/** The latest signals of a session that say something about its turn. */
export interface Signals {
  /** The latest signal about the turn, and what it says. */
  last?: { signal: SignalEvent; state: SessionState };
  /** The latest turn end, with its answer. */
  lastEnd?: HeardSignal;
  /** Whether the events file has any signal at all (hooks work). */
  any: boolean;
  /** The end of the turn of the prompt asked about (`promptTurnEnd`). */
  promptEnd?: HeardSignal;
}

/**
 * Reads the session's events file from its end: the last 16 lines, and the
 * last 256 only when those do not hold the latest turn signal and turn end
 * (and, for a prompt, everything since it was sent). Hook payloads can be
 * large (a tool's input and output), and a turn wait reads this often.
 *
 * @param ctx the backend
 * @param record the session
 * @param options a prompt and when it was sent: also find its turn's end
 */
export async function readSignals(
  ctx: BackendContext,
  record: SessionRecord,
  options: { prompt?: string; since?: number } = {},
): Promise<Signals> {
  const { events } = signalFiles(ctx.config.dataDir, {
    backend: ctx.name,
    sessionId: record.sessionId,
  });
  let out: Signals = { any: false };
  for (const limit of [16, 256]) {
    const { entries, truncated } = await readJsonl(events, { limit });
    const signals = entries.map((e) => e.value).filter(isSignal);
    out = summarize(ctx, signals, record, options);
    const reachesSince = options.prompt === undefined ||
      (signals[0]?.at ?? Infinity) < (options.since ?? 0);
    if (!truncated || (out.last && out.lastEnd && reachesSince)) break;
  }
  return out;
}

/** What a run of signals (oldest first) says about the turn. */
function summarize(
  ctx: BackendContext,
  signals: readonly SignalEvent[],
  record: SessionRecord,
  options: { prompt?: string; since?: number },
): Signals {
  const out: Signals = { any: signals.length > 0 };
  const heard: HeardSignal[] = [];
  for (const raw of signals) {
    // The agent's profile says what its signal means; one about no turn of
    // this session (e.g. another conversation's) means nothing.
    const said = ctx.profile.signal(raw, {
      agentSessionId: record.agentSessionId,
    });
    if (said === undefined) continue;
    heard.push({ raw, said });
    out.last = { signal: raw, state: signalState(said) };
    if (said.kind === "turn_ended") out.lastEnd = { raw, said };
  }
  if (options.prompt !== undefined) {
    out.promptEnd = promptTurnEnd(heard, {
      prompt: options.prompt,
      since: options.since ?? 0,
    });
  }
  return out;
}

function isSignal(value: unknown): value is SignalEvent {
  const v = value as SignalEvent | null;
  return typeof v?.event === "string" && typeof v.at === "number";
}

/**
 * The session's state now.
 *
 * @param ctx the backend
 * @param record the session
 * @param options `signals`: its signals, when just read
 */
export async function stateOf(
  ctx: BackendContext,
  record: SessionRecord,
  options: { signals?: Signals } = {},
): Promise<StateReading> {
  const pane = paneOf(ctx, record);
  return await stateFrom(ctx, record, {
    view: await pane.view().catch(() => undefined),
    working: (state) => pane.working(state),
    signals: options.signals,
  });
}

/**
 * The state of a session whose agent no longer runs: `exited`, with how to
 * start it again when its conversation is known.
 *
 * @param record the session
 */
export function exitedReading(
  record: Pick<SessionRecord, "sessionId" | "agentSessionId">,
): StateReading {
  return {
    state: "exited",
    reason: record.agentSessionId
      ? `the agent exited (\`aimax revive -s ${record.sessionId}\` resumes it)`
      : "the agent exited",
  };
}

/**
 * The state from a look at the pane already taken (one `view()`, or a batch
 * for `list`): no further tmux call.
 *
 * @param ctx the backend
 * @param record the session
 * @param options the look, how to tell a running turn from it, and the
 * session's signals when just read (else they are read here)
 */
export async function stateFrom(
  ctx: BackendContext,
  record: SessionRecord,
  options: {
    view: PaneView | undefined;
    working: (state: PaneState) => Promise<boolean>;
    signals?: Signals;
  },
): Promise<StateReading> {
  const { view } = options;
  if (!view?.alive) return exitedReading(record);
  const [working, signals] = await Promise.all([
    options.working(view.state),
    options.signals ?? readSignals(ctx, record),
  ]);
  const reading = deriveState({
    alive: true,
    pane: view.state,
    working,
    last: signals.last,
    now: Date.now(),
  });
  const dialogInfo = await dialogInfoOf(ctx, record.sessionId, view.state);
  return reading.state === "awaiting_input" && dialogInfo
    ? { ...reading, dialogInfo }
    : reading;
}

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
