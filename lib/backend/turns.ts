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
  promptTurnEnd,
  type SessionState,
  type SignalEvent,
  signalState,
  type StateReading,
} from "../signals/state.ts";
import type { SessionRecord } from "../state.ts";
import type { PaneState } from "../agents/screen.ts";
import { type BackendContext, paneOf } from "./context.ts";
import type { PaneView } from "./pane.ts";

/** The latest signals of a session that say something about its turn. */
export interface Signals {
  /** The latest signal about the turn, and what it says. */
  last?: { signal: SignalEvent; state: SessionState };
  /** The latest turn end (`Stop`, Codex `notify`), with its answer. */
  lastEnd?: SignalEvent;
  /** Whether the events file has any signal at all (hooks work). */
  any: boolean;
  /** The end of the turn of the prompt asked about (`promptTurnEnd`). */
  promptEnd?: SignalEvent;
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
    out = summarize(signals, record, options);
    const reachesSince = options.prompt === undefined ||
      (signals[0]?.at ?? Infinity) < (options.since ?? 0);
    if (!truncated || (out.last && out.lastEnd && reachesSince)) break;
  }
  return out;
}

/** What a run of signals (oldest first) says about the turn. */
function summarize(
  signals: readonly SignalEvent[],
  record: SessionRecord,
  options: { prompt?: string; since?: number },
): Signals {
  const out: Signals = { any: signals.length > 0 };
  for (const signal of signals) {
    const state = signalState(signal, { threadId: record.agentSessionId });
    if (state === undefined) continue;
    out.last = { signal, state };
    if (state === "idle" && signal.event !== "SessionStart") {
      out.lastEnd = signal;
    }
  }
  if (options.prompt !== undefined) {
    out.promptEnd = promptTurnEnd(signals, {
      prompt: options.prompt,
      since: options.since ?? 0,
      threadId: record.agentSessionId,
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
  if (!view?.alive) return { state: "exited", reason: "the agent exited" };
  const [working, signals] = await Promise.all([
    options.working(view.state),
    options.signals ?? readSignals(ctx, record),
  ]);
  return deriveState({
    alive: true,
    pane: view.state,
    working,
    last: signals.last,
    now: Date.now(),
  });
}

/**
 * How {@linkcode waitForTurn} ended.
 *
 * - `completed`: the turn ended; `text` is its final answer;
 * - `awaiting_input`: the agent waits on a person; `text` is what it asks;
 * - `timeout`: still running when the time was up;
 * - `exited`: the agent is gone.
 *
 * @example
 * ```ts
 * import type { TurnOutcome } from "@aimax/cli";
 * const done: TurnOutcome = {
 *   outcome: "completed",
 *   state: "idle",
 *   text: "ack",
 *   durationMs: 1200,
 * };
 * ```
 */
export interface TurnOutcome {
  /** How it ended. */
  outcome: "completed" | "awaiting_input" | "timeout" | "exited";
  /** The session's state then. */
  state: SessionState;
  /** The final answer, or what the dialog asks. */
  text: string;
  /** The agent's id of the turn, when it gives one. */
  turnId?: string;
  /** How long the wait took. */
  durationMs: number;
}

/**
 * Options of {@linkcode waitForTurn}.
 *
 * @example
 * ```ts
 * import type { WaitOptions } from "@aimax/cli";
 * const options: WaitOptions = { timeoutMs: 60_000 };
 * ```
 */
export interface WaitOptions {
  /** Give up after this long (default: no limit). */
  timeoutMs?: number;
  /** Stops the wait (rejects with its reason). */
  signal?: AbortSignal;
  /**
   * A turn that ended before this time (ms since epoch) does not count: set
   * it to the moment a prompt was sent, to wait for that prompt's turn.
   */
  since?: number;
  /**
   * The prompt sent at `since`: the wait ends with that prompt's own turn,
   * not with the end of a turn it was queued behind (when the agent's
   * signals name prompts: Claude Code's hooks, Codex's notify).
   */
  prompt?: string;
}

/**
 * Waits until the session's current turn ends. Woken by every new signal;
 * the screen is read every `pollMs` for dialogs and exits.
 *
 * @param ctx the backend
 * @param record the session
 * @param options time limit, abort signal, `since`
 */
export async function waitForTurn(
  ctx: BackendContext,
  record: SessionRecord,
  options: WaitOptions = {},
): Promise<TurnOutcome> {
  const started = Date.now();
  const { events } = signalFiles(ctx.config.dataDir, {
    backend: ctx.name,
    sessionId: record.sessionId,
  });
  // Every new signal cuts the pause short (one wake per pause).
  let wake = () => {};
  const stop = await watchJsonl(events, () => wake()).catch(() => undefined);
  let idleSeen = 0;
  let endSeen = 0;
  try {
    const result = await pollUntil<TurnOutcome>(async () => {
      const took = Date.now() - started;
      const since = options.since ?? started;
      const signals = await readSignals(ctx, record, {
        prompt: options.prompt,
        since,
      });
      const { lastEnd, any, promptEnd } = signals;
      // One read of the signals per look, for the state too.
      const reading = await stateOf(ctx, record, { signals });
      // The prompt's own turn ended: done, whatever runs after it, once
      // the transcript has its answer (Claude Code's `Stop` hook can run
      // before the answer is written; a few looks at most).
      if (
        promptEnd && (
          reading.state !== "working" ||
          await answerRecorded(ctx, record, answerOf(promptEnd)) ||
          ++endSeen >= IDLE_LOOKS
        )
      ) {
        return completed(promptEnd, reading.state, took);
      }
      if (reading.state === "exited" || reading.state === "awaiting_input") {
        return {
          outcome: reading.state,
          state: reading.state,
          text: reading.dialog ?? "",
          durationMs: took,
        };
      }
      if (reading.state !== "idle") {
        idleSeen = 0;
        return undefined;
      }
      // A turn that ended after the wait (or the prompt, `since`) began.
      const fresh = lastEnd !== undefined && lastEnd.at >= since;
      // Idle with an older end, no signals, or an end that does not name
      // the prompt asked about (it may have been queued behind that turn):
      // trust it only after several looks, not in the moment between one
      // turn and the next, or a dialog answered and the turn drawn.
      const settled = () => ++idleSeen >= IDLE_LOOKS;
      if (!fresh) {
        // Waiting for that prompt's own end, and the agent signals ends.
        if (options.since !== undefined && any) return undefined;
        if (!settled()) return undefined;
      } else if (options.prompt !== undefined && !settled()) {
        return undefined;
      }
      return completed(lastEnd, "idle", took);
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
    await stop?.();
  }
}

/** A completed outcome from the turn-end signal (if any). */
function completed(
  end: SignalEvent | undefined,
  state: SessionState,
  durationMs: number,
): TurnOutcome {
  const turnId = end ? turnIdOf(end) : undefined;
  return {
    outcome: "completed",
    state,
    text: end ? answerOf(end) : "",
    ...(turnId ? { turnId } : {}),
    durationMs,
  };
}

/** Whether the transcript's last records hold this answer. */
async function answerRecorded(
  ctx: BackendContext,
  record: SessionRecord,
  answer: string,
): Promise<boolean> {
  if (!record.jsonlPath || answer.trim() === "") return false;
  const want = comparableText(answer);
  const { entries } = await readJsonl(record.jsonlPath, { limit: 50 })
    .catch(() => ({ entries: [] }));
  return entries.some(({ value }) =>
    value !== null && typeof value === "object" &&
    ctx.profile.transcriptEvents(value as Record<string, unknown>).some((e) =>
      e.type === "assistant_message" && comparableText(e.text) === want
    )
  );
}

/** Consecutive idle looks that end a wait without a fresh turn-end signal. */
const IDLE_LOOKS = 3;

/** The final answer a turn-end signal carries. */
function answerOf(signal: SignalEvent): string {
  const p = signal.payload ?? {};
  const text = p.last_assistant_message ?? p["last-assistant-message"];
  return typeof text === "string" ? text : "";
}

function turnIdOf(signal: SignalEvent): string | undefined {
  const p = signal.payload ?? {};
  const id = p["turn-id"] ?? p.turn_id ?? p.prompt_id;
  return typeof id === "string" ? id : undefined;
}
