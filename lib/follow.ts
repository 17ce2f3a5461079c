/**
 * Every session's events, live, in one process: each session's transcript
 * read as {@linkcode AgentEvent}s (one shared tail per file), and its state
 * changes (`state` events, plus `awaiting_input` with what the agent asks)
 * from its signals, pane and screen. Sessions created later join; stopped
 * ones end with a last `state` event.
 *
 * Cost: a signal or a turn record checks its session at once (one tmux
 * call); every `checkMs` one `list-panes -a` per tmux server sees dead
 * panes, and one chained capture reads the screens of the sessions whose
 * state can change unannounced (starting, working, awaiting input). Idle
 * sessions cost nothing between checks, however many there are.
 *
 * @module
 */
import { getConfig } from "./config.ts";
import { watchJsonl } from "./jsonl/watcher.ts";
import { endOfCompleteLines } from "./jsonl/start.ts";
import { get, SUPPORTED_BACKENDS } from "./registry.ts";
import { type AgentEvent, EventNormalizer } from "./signals/events.ts";
import { signalFiles } from "./signals/files.ts";
import type { DialogInfo, SessionState } from "./signals/session_state.ts";
import { sessionKey, type SessionRecord, StateStore } from "./state.ts";
import { TmuxAgentBackend } from "./backend/mod.ts";

/**
 * Options of {@linkcode subscribeEvents}.
 *
 * @example
 * ```ts
 * import type { SubscribeOptions } from "@aimax/cli";
 * const options: SubscribeOptions = { sessionId: "demo-1", checkMs: 500 };
 * ```
 */
export interface SubscribeOptions {
  /** Only this session (of any backend, or of `backend`). */
  sessionId?: string;
  /** Only this backend. */
  backend?: string;
  /** How often states are checked and new sessions looked for (default 1 s). */
  checkMs?: number;
}

interface Followed {
  record: SessionRecord;
  state: SessionState | null;
  stops: (() => Promise<void>)[];
  transcript: boolean;
  /** The id of the dialog last reported. */
  dialogId?: string;
}

/**
 * States that can change with no signal and no transcript record (a dialog
 * drawn, a start-up finished): their screens are read at every check. An
 * idle session is not looked at again until a signal or a transcript record
 * says its turn moved, or its pane dies (seen in the pane list).
 */
const WATCHED_STATES: ReadonlySet<SessionState | null> = new Set([
  null,
  "starting",
  "working",
  "awaiting_input",
]);

/**
 * Follows every session (or one) live and hands each event to `listener`.
 *
 * @example
 * ```ts
 * import { subscribeEvents } from "@aimax/cli";
 * const stop = await subscribeEvents((event) => {
 *   if (event.type === "state") console.log(event.sessionId, event.from, "→", event.to);
 * });
 * await stop();
 * ```
 * @param listener receives every event
 * @param options one session or backend; the check interval
 * @returns a function that stops following
 */
export async function subscribeEvents(
  listener: (event: AgentEvent) => void,
  options: SubscribeOptions = {},
): Promise<() => Promise<void>> {
  const config = getConfig();
  const store = new StateStore(config.dataDir);
  const followed = new Map<string, Followed>();
  const checkMs = options.checkMs ?? 1_000;
  let closed = false;
  let running: Promise<void> = Promise.resolve();

  const emit = (record: SessionRecord, body: Record<string, unknown>) =>
    listener({
      ...body,
      sessionId: record.sessionId,
      backend: record.backend,
      at: new Date().toISOString(),
    } as AgentEvent);

  function update(
    item: Followed,
    reading: {
      state: SessionState;
      reason: string;
      dialog?: string;
      dialogInfo?: DialogInfo;
    },
  ): void {
    // The next dialog while one was up (another id) is asked anew.
    const nextDialog = reading.state === "awaiting_input" &&
      reading.dialogInfo !== undefined &&
      reading.dialogInfo.id !== item.dialogId;
    if (reading.state === item.state && !nextDialog) return;
    if (reading.state !== item.state) {
      emit(item.record, {
        type: "state",
        from: item.state,
        to: reading.state,
        reason: reading.reason,
      });
    }
    if (reading.state === "awaiting_input") {
      emit(item.record, {
        type: "awaiting_input",
        text: reading.dialog ?? "",
        ...(reading.dialogInfo ? { dialogInfo: reading.dialogInfo } : {}),
      });
    }
    item.state = reading.state;
    item.dialogId = reading.dialogInfo?.id;
  }

  /** One session now (a signal or a turn record woke it): one tmux call. */
  async function checkState(item: Followed): Promise<void> {
    const backend = get(item.record.backend);
    update(
      item,
      await backend.getState(item.record.sessionId).catch(
        () => ({ state: "exited" as const, reason: "gone" }),
      ),
    );
  }

  /** Every session at once: one tmux call per server, whatever their number. */
  async function checkAll(): Promise<void> {
    const items = [...followed.values()];
    const readings = await TmuxAgentBackend.readStates(
      items.map((item) => ({
        backend: get(item.record.backend),
        record: item.record,
      })),
      {
        look: (record) =>
          WATCHED_STATES.has(
            followed.get(sessionKey(record.backend, record.sessionId))?.state ??
              null,
          ),
      },
    );
    items.forEach((item, i) => {
      const reading = readings[i];
      if (reading) update(item, reading);
    });
  }

  async function startTranscript(item: Followed): Promise<void> {
    const path = item.record.jsonlPath;
    if (item.transcript || !path) return;
    item.transcript = true;
    const profile = get(item.record.backend).profile;
    const normalizer = new EventNormalizer((r) => profile.transcriptEvents(r), {
      sessionId: item.record.sessionId,
      backend: item.record.backend,
      links: profile.recordLinks,
    });
    const from = await endOfCompleteLines(path);
    item.stops.push(
      await watchJsonl(path, (entry) => {
        const events = normalizer.events(entry.value, entry.offset);
        for (const event of events) listener(event);
        // The transcript says a turn started: the session works, even if
        // the turn is over before a look at it (a short turn would
        // otherwise go by as idle → idle, unreported).
        if (
          events.some((e) => e.type === "turn_started") &&
          (item.state === "idle" || item.state === "starting")
        ) {
          update(item, {
            state: "working",
            reason: "the transcript shows a turn starting",
          });
        }
        // A turn starting or ending in the transcript: check the state now
        // (some agents signal only turn ends).
        if (events.some((e) => e.type.startsWith("turn_"))) {
          running = running.then(() => checkState(item)).catch(() => {});
        }
      }, { fromOffset: from }),
    );
  }

  async function startSignals(item: Followed): Promise<void> {
    const { events } = signalFiles(config.dataDir, {
      backend: item.record.backend,
      sessionId: item.record.sessionId,
    });
    // A new signal: check the state now, not at the next tick.
    item.stops.push(
      await watchJsonl(events, () => {
        running = running.then(() => checkState(item)).catch(() => {});
      }),
    );
  }

  async function tick(): Promise<void> {
    const records = (await store.list().catch(() => [])).filter((r) =>
      (!options.backend || r.backend === options.backend) &&
      (!options.sessionId || r.sessionId === options.sessionId) &&
      SUPPORTED_BACKENDS.includes(r.backend)
    );
    const live = new Set(
      records.map((r) => sessionKey(r.backend, r.sessionId)),
    );
    for (const [key, item] of followed) {
      if (live.has(key)) continue;
      if (item.state !== "exited") {
        emit(item.record, {
          type: "state",
          from: item.state,
          to: "exited",
          reason: "stopped",
        });
      }
      for (const stop of item.stops) await stop();
      followed.delete(key);
    }
    for (const record of records) {
      const key = sessionKey(record.backend, record.sessionId);
      let item = followed.get(key);
      if (!item) {
        item = { record, state: null, stops: [], transcript: false };
        followed.set(key, item);
        await startSignals(item);
      }
      item.record = record;
      await startTranscript(item);
    }
    await checkAll().catch(() => {});
  }

  await tick();
  const timer = setInterval(() => {
    running = running.then(() => closed ? undefined : tick()).catch(() => {});
  }, checkMs);
  return async () => {
    closed = true;
    clearInterval(timer);
    await running;
    for (const item of followed.values()) {
      for (const stop of item.stops) await stop();
    }
    followed.clear();
  };
}
