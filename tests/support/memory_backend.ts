/**
 * A {@linkcode SessionBackend} held in memory, for tests of a way in (the
 * MCP tools) that must see what reached the backend without tmux or an
 * agent: it records every call, its turns end when the test says so, and
 * it answers with aimax's own errors (unknown session, a dialog). What a
 * real backend does is tested against real TUIs elsewhere.
 *
 * @module
 */
import type { AgentProfile } from "../../lib/agents/agent.ts";
import { PROFILES } from "../../lib/agents/mod.ts";
import type {
  CreateSessionOptions,
  CreateSessionResult,
  MergeOptions,
  SendOptions,
  SendResult,
  SessionBackend,
  SessionDiff,
  SessionMerge,
  SessionStatus,
  TerminateOptions,
  TerminateResult,
  TurnOutcome,
  WaitOptions,
} from "../../lib/backend/contract.ts";
import {
  AimaxError,
  AwaitingInputError,
  SessionExistsError,
  SessionNotFoundError,
} from "../../lib/errors.ts";
import { validateSessionId } from "../../lib/inputs.ts";
import type { JsonlEntry } from "../../lib/jsonl/lines.ts";
import type { JsonlReadResult } from "../../lib/jsonl/reader.ts";
import type { SessionState } from "../../lib/signals/session_state.ts";

/** One session of a {@linkcode MemoryBackend}. */
export interface MemorySession {
  /** Its options at creation. */
  options: CreateSessionOptions;
  /** Its state. */
  state: SessionState;
  /** The dialog it shows when `state` is `awaiting_input`. */
  dialog?: string;
  /** Its transcript records (Claude Code's shape). */
  records: Record<string, unknown>[];
  /** Keys pressed in it. */
  keys: string[][];
  /** Ends the running wait, if any. */
  finish?: (turn: TurnOutcome) => void;
}

/** One call a {@linkcode MemoryBackend} received. */
export interface MemoryCall {
  /** The operation. */
  op: string;
  /** Its arguments. */
  args: unknown[];
}

function user(text: string) {
  return { type: "user", message: { role: "user", content: text } };
}

function assistant(text: string) {
  return {
    type: "assistant",
    message: { role: "assistant", content: [{ type: "text", text }] },
  };
}

/**
 * A backend in memory: sessions, their turns and dialogs as a
 * test sets them.
 */
export class MemoryBackend implements SessionBackend {
  /** The backend's name. */
  readonly name: string;
  /** The agent's real profile (its transcript reader renders the history). */
  readonly profile: AgentProfile;
  /** The sessions, by id. */
  readonly sessions = new Map<string, MemorySession>();
  /** Every call, in order. */
  readonly calls: MemoryCall[] = [];
  /** The signal of the last `waitForTurn`. */
  lastWaitSignal?: AbortSignal;

  /** @param name the backend's name */
  constructor(name = "tmux-claude-code") {
    this.name = name;
    this.profile = PROFILES[name];
  }

  #session(sessionId: string): MemorySession {
    validateSessionId(sessionId);
    const session = this.sessions.get(sessionId);
    if (!session) throw new SessionNotFoundError(this.name, sessionId);
    return session;
  }

  /**
   * Adds a session as if someone else (a person) had created it.
   *
   * @param sessionId its id
   * @param state its state
   */
  seed(sessionId: string, state: SessionState = "idle"): MemorySession {
    const session: MemorySession = {
      options: { sessionId, cwd: "/work", initialPrompt: "seeded" },
      state,
      records: [user("seeded"), assistant("seeded answer")],
      keys: [],
    };
    this.sessions.set(sessionId, session);
    return session;
  }

  /**
   * Ends the running turn of `sessionId` with `text` as its answer.
   *
   * @param sessionId the session
   * @param text the answer
   */
  complete(sessionId: string, text: string): void {
    const session = this.#session(sessionId);
    session.records.push(assistant(text));
    session.state = "idle";
    session.finish?.({
      outcome: "completed",
      state: "idle",
      text,
      source: "transcript",
      durationMs: 1,
    });
  }

  createNewSession(
    options: CreateSessionOptions,
  ): Promise<CreateSessionResult> {
    this.calls.push({ op: "createNewSession", args: [options] });
    validateSessionId(options.sessionId);
    if (this.sessions.has(options.sessionId)) {
      return Promise.reject(
        new SessionExistsError(this.name, options.sessionId),
      );
    }
    this.sessions.set(options.sessionId, {
      options,
      state: "working",
      records: [user(options.initialPrompt)],
      keys: [],
    });
    return Promise.resolve({
      sessionId: options.sessionId,
      agentSessionId: "agent-1",
      jsonlPath: "/tmp/t.jsonl",
      startedAt: new Date(0).toISOString(),
    });
  }

  #send(op: string, options: SendOptions): Promise<SendResult> {
    this.calls.push({ op, args: [options] });
    const session = this.#session(options.sessionId);
    if (session.state === "awaiting_input") {
      return Promise.reject(
        new AwaitingInputError(
          `session "${options.sessionId}" waits on a person; nothing was sent`,
          session.dialog ?? "",
          session.dialog ?? "",
        ),
      );
    }
    const queued = session.state === "working";
    session.records.push(user(options.prompt));
    session.state = "working";
    return Promise.resolve({
      sessionId: options.sessionId,
      delivery: "confirmed",
      queued,
      resubmitted: 0,
    });
  }

  noPauseCurrentAndQueueQueryAtSession(
    options: SendOptions,
  ): Promise<SendResult> {
    return this.#send("noPauseCurrentAndQueueQueryAtSession", options);
  }

  pauseCurrentAndResumeFromSession(options: SendOptions): Promise<SendResult> {
    return this.#send("pauseCurrentAndResumeFromSession", options);
  }

  terminateSession(
    sessionId: string,
    options?: TerminateOptions,
  ): Promise<TerminateResult> {
    this.calls.push({ op: "terminateSession", args: [sessionId, options] });
    const session = this.#session(sessionId);
    this.sessions.delete(sessionId);
    return Promise.resolve({
      sessionId,
      killed: true,
      wasWorking: session.state === "working",
    });
  }

  async isAlive(sessionId: string): Promise<boolean> {
    return (await this.status(sessionId)).alive;
  }

  async isWorking(sessionId: string): Promise<boolean> {
    return (await this.status(sessionId)).working;
  }

  isJobGoalAccomplished(_sessionId: string): Promise<boolean> {
    return Promise.resolve(true);
  }

  isFailed(_sessionId: string): Promise<boolean> {
    return Promise.resolve(false);
  }

  listSessions(): Promise<SessionStatus[]> {
    this.calls.push({ op: "listSessions", args: [] });
    return Promise.all([...this.sessions.keys()].map((id) => this.status(id)));
  }

  getHistory(
    sessionId: string,
    options: { limit?: number } = {},
  ): Promise<JsonlReadResult> {
    this.calls.push({ op: "getHistory", args: [sessionId, options] });
    const session = this.#session(sessionId);
    let offset = 0;
    const all: JsonlEntry[] = session.records.map((value) => {
      const size = JSON.stringify(value).length + 1;
      const entry = { offset, end: offset + size, value };
      offset += size;
      return entry;
    });
    const limit = options.limit ?? all.length;
    const entries = all.slice(Math.max(0, all.length - limit));
    return Promise.resolve({
      entries,
      total: all.length,
      truncated: entries.length < all.length,
      sentinel: offset,
    });
  }

  getAgentRawThoughtStream(): Promise<() => Promise<void>> {
    return Promise.reject(new AimaxError("error", "not in memory"));
  }

  getState(sessionId: string) {
    const session = this.#session(sessionId);
    return Promise.resolve({
      state: session.state,
      reason: "in memory",
      ...(session.dialog ? { dialog: session.dialog } : {}),
    });
  }

  /**
   * Ends at once when the session is not working; else when the test calls
   * {@linkcode MemoryBackend.complete}, when `timeoutMs` passes, or when
   * `signal` aborts (rejecting with its reason).
   */
  waitForTurn(
    sessionId: string,
    options: WaitOptions = {},
  ): Promise<TurnOutcome> {
    this.calls.push({ op: "waitForTurn", args: [sessionId, options] });
    this.lastWaitSignal = options.signal;
    const session = this.#session(sessionId);
    if (session.state === "awaiting_input") {
      return Promise.resolve({
        outcome: "awaiting_input",
        state: "awaiting_input",
        text: session.dialog ?? "",
        durationMs: 0,
      });
    }
    if (session.state !== "working") {
      const last = [...session.records].reverse().find((r) =>
        r.type === "assistant"
      ) as ReturnType<typeof assistant> | undefined;
      return Promise.resolve({
        outcome: "completed",
        state: "idle",
        text: last?.message.content[0].text ?? "",
        durationMs: 0,
      });
    }
    return new Promise((resolve, reject) => {
      const timer = options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
          session.finish = undefined;
          resolve({
            outcome: "timeout",
            state: "working",
            text: "",
            durationMs: options.timeoutMs!,
          });
        }, options.timeoutMs);
      options.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        session.finish = undefined;
        reject(options.signal!.reason);
      }, { once: true });
      session.finish = (turn) => {
        clearTimeout(timer);
        session.finish = undefined;
        resolve(turn);
      };
    });
  }

  screen(sessionId: string): Promise<string> {
    const session = this.#session(sessionId);
    return Promise.resolve(
      session.dialog ? `╭─\n│ ${session.dialog}\n╰─` : "> ",
    );
  }

  sendKeys(sessionId: string, keys: readonly string[]): Promise<void> {
    this.calls.push({ op: "sendKeys", args: [sessionId, keys] });
    this.#session(sessionId).keys.push([...keys]);
    return Promise.resolve();
  }

  attachCommand(): Promise<string[]> {
    return Promise.reject(new AimaxError("error", "not in memory"));
  }

  status(sessionId: string): Promise<SessionStatus> {
    const session = this.#session(sessionId);
    return Promise.resolve({
      sessionId,
      backend: this.name,
      agentSessionId: null,
      jsonlPath: null,
      cwd: session.options.cwd,
      flagRoot: null,
      model: null,
      permission: null,
      agentArgs: [],
      displayName: null,
      startedAt: null,
      lastPromptAt: null,
      windowId: "@1",
      paneId: "%1",
      state: session.state,
      stateReason: "in memory",
      ...(session.dialog ? { dialog: session.dialog } : {}),
      alive: session.state !== "exited",
      working: session.state === "working" ||
        session.state === "awaiting_input",
      jobGoalAccomplished: true,
      failed: false,
      orphan: false,
    });
  }

  transcriptOf(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  getEventStream(): Promise<() => Promise<void>> {
    return Promise.reject(new AimaxError("error", "not in memory"));
  }

  diff(sessionId: string): Promise<SessionDiff> {
    this.calls.push({ op: "diff", args: [sessionId] });
    this.#session(sessionId);
    return Promise.resolve({
      sessionId,
      branch: `aimax/${sessionId}`,
      path: `/wt/${sessionId}`,
      baseCommit: "0123abcd",
      files: [{
        path: "a.txt",
        status: "modified",
        additions: 1,
        deletions: 1,
        binary: false,
        hunks: [{ header: "@@ -1 +1 @@", lines: ["-old", "+new"] }],
      }],
      additions: 1,
      deletions: 1,
      shortStat: "+1 −1, 1 file",
      patchText: "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n",
      truncated: false,
    });
  }

  merge(sessionId: string, options?: MergeOptions): Promise<SessionMerge> {
    this.calls.push({ op: "merge", args: [sessionId, options] });
    this.#session(sessionId);
    return Promise.resolve({
      sessionId,
      branch: `aimax/${sessionId}`,
      merged: true,
      commit: "feedface0123456789",
      into: "main",
      workCommit: undefined,
      files: ["a.txt"],
    });
  }

  revive(): Promise<never> {
    return Promise.reject(new AimaxError("error", "not in memory"));
  }

  approve(): Promise<never> {
    return Promise.reject(new AimaxError("error", "not in memory"));
  }

  deny(): Promise<never> {
    return Promise.reject(new AimaxError("error", "not in memory"));
  }
}
