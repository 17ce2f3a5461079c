/**
 * Turns: a session's state read from its signals, pane and screen (waiting
 * for a turn to end is `turn_wait.ts`, so that what only reads a state
 * loads no watcher).
 *
 * @module
 */
import { readJsonl } from "../jsonl/reader.ts";
import { signalFiles } from "../signals/files.ts";
import {
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
import type { PaneView } from "./pane.ts";

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
