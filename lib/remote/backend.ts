/**
 * The CLI against a remote `aimax serve`: {@linkcode RemoteBackend}
 * implements {@linkcode SessionBackend}, each operation one HTTP request to
 * the server's API (`http.ts`; streams are Server-Sent Events kept open by
 * `follow.ts`).
 *
 * @module
 */
import type { AgentProfile } from "../agents/agent.ts";
import type {
  ApproveOptions,
  CreateSessionOptions,
  CreateSessionResult,
  DenyOptions,
  DialogAnswer,
  HistoryOptions,
  MergeOptions,
  SendOptions,
  SendResult,
  SessionBackend,
  SessionDiff,
  SessionMerge,
  SessionStatus,
  StreamOptions,
  TerminateOptions,
  TerminateResult,
  ThoughtListener,
  TurnOutcome,
  WaitOptions,
} from "../backend/contract.ts";
import { validateSessionId } from "../inputs.ts";
import type { JsonlEntry } from "../jsonl/lines.ts";
import type { JsonlReadResult } from "../jsonl/reader.ts";
import type { Unsubscribe } from "../jsonl/watcher.ts";
import { get } from "../registry.ts";
import type { AgentEvent } from "../signals/events.ts";
import type { StateReading } from "../signals/session_state.ts";
import { type AimaxError, UsageError } from "../errors.ts";
import { follow } from "./follow.ts";
import { call, type CallOptions, timeoutOf } from "./http.ts";
import { REMOTE_TIMINGS, type RemoteServer } from "./server.ts";
import {
  ANSWER_SHAPE,
  CREATE_SHAPE,
  DIFF_SHAPE,
  ENTRY_SHAPE,
  EVENT_SHAPE,
  expectRows,
  expectShape,
  HISTORY_SHAPE,
  MERGE_SHAPE,
  SCREEN_SHAPE,
  SEND_SHAPE,
  type Shape,
  STATUS_SHAPE,
  TERMINATE_SHAPE,
  TURN_SHAPE,
} from "./shape.ts";

function sessionPath(sessionId: string, action = ""): string {
  const id = encodeURIComponent(validateSessionId(sessionId));
  return `/api/sessions/${id}${action ? `/${action}` : ""}`;
}

/**
 * How a remote stream reports that it ended for good, and its tries again
 * (the CLI prints them); without `onError` a failed stream just stops.
 *
 * @example
 * ```ts
 * import type { RemoteStreamOptions } from "./backend.ts";
 * const options: RemoteStreamOptions = {
 *   onError: (error) => console.error(error.message),
 * };
 * ```
 */
export interface RemoteStreamOptions extends StreamOptions {
  /** The stream ended for good (an error answer, too many failed tries). */
  onError?: (error: AimaxError) => void;
  /** One line before each new try of a broken stream. */
  onRetry?: (line: string) => void;
}

/**
 * How long an action (create, send, stop, keys) may take on the server
 * before it answers: the timeout, the server's own limits, and `extraMs`.
 */
function actionWithin(server: RemoteServer, extraMs = 0): number {
  return timeoutOf(server) + REMOTE_TIMINGS.actionMs + extraMs;
}

/**
 * Every session on the server (of `backend`, or of every backend): the rows
 * of `aimax list`.
 *
 * @example
 * ```ts ignore
 * import { listRemoteSessions } from "./backend.ts";
 * import { remoteServer } from "./server.ts";
 * const rows = await listRemoteSessions(remoteServer()!);
 * ```
 * @param server the server
 * @param options `backend` to list one backend only
 */
export async function listRemoteSessions(
  server: RemoteServer,
  options: { backend?: string } = {},
): Promise<SessionStatus[]> {
  const rows = await call<unknown>(server, "/api/sessions", {
    query: { backend: options.backend },
  });
  return expectRows<SessionStatus>(rows, STATUS_SHAPE, {
    server: server.url,
    what: "list of sessions",
  });
}

/**
 * Follows every session's events on the server (`aimax events`); sessions
 * created later join.
 *
 * @example
 * ```ts ignore
 * import { subscribeRemoteEvents } from "./backend.ts";
 * import { remoteServer } from "./server.ts";
 * const stop = await subscribeRemoteEvents(remoteServer()!, (e) => console.log(e.type));
 * await stop();
 * ```
 * @param server the server
 * @param listener receives each event (without its raw record)
 * @param options only the events of `sessionId` or of `backend`; `onError`
 *   when the stream ends for good, `onRetry` before each new try
 */
export async function subscribeRemoteEvents(
  server: RemoteServer,
  listener: (event: AgentEvent) => void,
  options: {
    sessionId?: string;
    backend?: string;
    onError?: RemoteStreamOptions["onError"];
    onRetry?: RemoteStreamOptions["onRetry"];
  } = {},
): Promise<Unsubscribe> {
  return await follow(server, "/api/events", {
    resume: false,
    onError: options.onError,
    onRetry: options.onRetry,
    onMessage: (data) => {
      const event = expectShape<AgentEvent>(data, EVENT_SHAPE, {
        server: server.url,
        what: "event",
      });
      if (options.sessionId && event.sessionId !== options.sessionId) return;
      if (options.backend && event.backend !== options.backend) return;
      listener(event);
    },
  });
}

/**
 * The backend of session `sessionId` on the server: `backend` when given,
 * else the one the server reports for the session (no such session: exit
 * 3, as locally).
 *
 * @example
 * ```ts ignore
 * import { remoteBackendOf } from "./backend.ts";
 * import { remoteServer } from "./server.ts";
 * const backend = await remoteBackendOf(remoteServer()!, { sessionId: "demo" });
 * console.log((await backend.status("demo")).state);
 * ```
 * @param server the server
 * @param options the session id and the `-b` backend
 */
export async function remoteBackendOf(
  server: RemoteServer,
  options: { sessionId?: string; backend?: string },
): Promise<RemoteBackend> {
  if (options.backend) return new RemoteBackend(server, options.backend);
  const sessionId = validateSessionId(options.sessionId);
  const status = expectShape<SessionStatus>(
    await call<unknown>(server, sessionPath(sessionId)),
    STATUS_SHAPE,
    { server: server.url, what: "status" },
  );
  return new RemoteBackend(server, status.backend);
}

/**
 * One backend of a remote `aimax serve`: the {@linkcode SessionBackend}
 * interface over HTTP. Operations that need the session's host refuse
 * (`attachCommand`, `transcriptOf`).
 *
 * @example
 * ```ts ignore
 * import { RemoteBackend } from "./backend.ts";
 * const backend = new RemoteBackend(
 *   { url: "http://127.0.0.1:7878", token: "secret" },
 *   "tmux-agent",
 * );
 * console.log(await backend.listSessions());
 * ```
 */
export class RemoteBackend implements SessionBackend {
  /** The server. */
  readonly server: RemoteServer;
  /** The backend's name (`tmux-<agent>`). */
  readonly name: string;
  /** The agent's profile (labels, how its transcript reads). */
  readonly profile: AgentProfile;

  /**
   * A client of `backend` on `server`.
   *
   * @param server the server
   * @param backend the backend's name (unknown: exit 2)
   */
  constructor(server: RemoteServer, backend: string) {
    this.server = server;
    this.profile = get(backend).profile;
    this.name = backend;
  }

  #call<T>(path: string, options: CallOptions = {}): Promise<T> {
    return call<T>(this.server, path, {
      ...options,
      query: { backend: this.name, ...options.query },
    });
  }

  /** The answer at `path`, checked to have `shape` (`what` names it). */
  async #fetch<T>(
    path: string,
    options: CallOptions & { shape: Shape; what: string },
  ): Promise<T> {
    const { shape, what, ...rest } = options;
    return expectShape<T>(await this.#call<unknown>(path, rest), shape, {
      server: this.server.url,
      what,
    });
  }

  /** What a request about `sessionId` that waits by design may take. */
  #waiting(sessionId: string, answerWithinMs: number): CallOptions {
    return {
      answerWithinMs,
      alivePath: `${sessionPath(sessionId)}?backend=${
        encodeURIComponent(this.name)
      }`,
    };
  }

  /**
   * Starts a session on the server and submits its first prompt (the
   * progress callbacks are not called).
   *
   * @param options what to start; `cwd` is a directory of the server's host
   */
  async createNewSession(
    options: CreateSessionOptions,
  ): Promise<CreateSessionResult> {
    const answer = await call<unknown>(this.server, "/api/sessions", {
      method: "POST",
      body: {
        backend: this.name,
        sessionId: options.sessionId,
        cwd: options.cwd,
        prompt: options.initialPrompt,
        model: options.model,
        agentSessionId: options.agentSessionId,
        displayName: options.displayName,
        flagRoot: options.flagRoot,
        useProxy: options.useProxy,
        permissionMode: options.permissionMode,
        allowBypass: options.allowBypass,
        agentArgs: options.agentArgs,
        allow: options.allow,
        deny: options.deny,
        worktree: options.worktree,
      },
      answerWithinMs: actionWithin(this.server),
      alivePath: `/api/sessions?backend=${encodeURIComponent(this.name)}`,
    });
    const { warnings, ...result } = expectShape<
      CreateSessionResult & { warnings?: unknown[] }
    >(answer, CREATE_SHAPE, { server: this.server.url, what: "create" });
    for (const warning of warnings ?? []) {
      options.onWarning?.(String(warning));
    }
    return result;
  }

  async #send(options: SendOptions, mode: string): Promise<SendResult> {
    const { sent: _sent, ...result } = await this.#fetch<
      SendResult & { sent?: boolean }
    >(
      sessionPath(options.sessionId, "send"),
      {
        shape: SEND_SHAPE,
        what: "send",
        ...this.#waiting(
          options.sessionId,
          actionWithin(this.server, options.whenReadyMs),
        ),
        method: "POST",
        body: {
          prompt: options.prompt,
          mode,
          key: options.idempotencyKey,
          whenReady: options.whenReadyMs === undefined
            ? undefined
            : options.whenReadyMs / 1000,
          flagRoot: options.flagRoot,
        },
      },
    );
    return result;
  }

  /**
   * Sends a prompt without interrupting: queued if a turn runs.
   *
   * @param options session and prompt
   */
  async noPauseCurrentAndQueueQueryAtSession(
    options: SendOptions,
  ): Promise<SendResult> {
    return await this.#send(options, "queue");
  }

  /**
   * Interrupts the running turn (if any), then sends the prompt.
   *
   * @param options session and prompt
   */
  async pauseCurrentAndResumeFromSession(
    options: SendOptions,
  ): Promise<SendResult> {
    return await this.#send(options, "interrupt");
  }

  /**
   * Kills the session's window and archives it.
   *
   * @param sessionId session id
   */
  async terminateSession(
    sessionId: string,
    options: TerminateOptions = {},
  ): Promise<TerminateResult> {
    const path = sessionPath(sessionId) + (options.discard ? "?discard=1" : "");
    return await this.#fetch<TerminateResult>(path, {
      shape: TERMINATE_SHAPE,
      what: "stop",
      ...this.#waiting(sessionId, actionWithin(this.server)),
      method: "DELETE",
    });
  }

  /**
   * The session's changes against its worktree's base.
   *
   * @param sessionId a session created with a worktree
   */
  async diff(sessionId: string): Promise<SessionDiff> {
    return await this.#fetch<SessionDiff>(sessionPath(sessionId, "diff"), {
      shape: DIFF_SHAPE,
      what: "diff",
    });
  }

  /**
   * Merges the session's worktree into the main tree's branch.
   *
   * @param sessionId a session created with a worktree
   * @param options `squash`, `message`
   */
  async merge(
    sessionId: string,
    options: MergeOptions = {},
  ): Promise<SessionMerge> {
    return await this.#fetch<SessionMerge>(sessionPath(sessionId, "merge"), {
      shape: MERGE_SHAPE,
      what: "merge",
      ...this.#waiting(sessionId, actionWithin(this.server)),
      method: "POST",
      body: { squash: options.squash, message: options.message },
    });
  }

  /**
   * Approves the dialog the session shows (on the server).
   *
   * @param sessionId session id
   * @param options `dialog`, `always`, `signal`
   */
  async approve(
    sessionId: string,
    options: ApproveOptions = {},
  ): Promise<DialogAnswer> {
    return await this.#fetch<DialogAnswer>(sessionPath(sessionId, "approve"), {
      shape: ANSWER_SHAPE,
      what: "approve",
      ...this.#waiting(sessionId, actionWithin(this.server)),
      method: "POST",
      body: { dialog: options.dialog, always: options.always },
    });
  }

  /**
   * Denies the dialog the session shows (on the server).
   *
   * @param sessionId session id
   * @param options `dialog`, `reason`, `signal`
   */
  async deny(
    sessionId: string,
    options: DenyOptions = {},
  ): Promise<DialogAnswer> {
    return await this.#fetch<DialogAnswer>(sessionPath(sessionId, "deny"), {
      shape: ANSWER_SHAPE,
      what: "deny",
      ...this.#waiting(sessionId, actionWithin(this.server)),
      method: "POST",
      body: { dialog: options.dialog, reason: options.reason },
    });
  }

  /**
   * Starts a session whose agent no longer runs again, on its conversation.
   *
   * @param sessionId session id
   * @param options where warnings go
   */
  async revive(
    sessionId: string,
    options: Pick<CreateSessionOptions, "onProgress" | "onWarning"> = {},
  ): Promise<CreateSessionResult> {
    const { warnings, ...result } = await this.#fetch<
      CreateSessionResult & { warnings?: unknown[] }
    >(sessionPath(sessionId, "revive"), {
      shape: CREATE_SHAPE,
      what: "revive",
      ...this.#waiting(sessionId, actionWithin(this.server)),
      method: "POST",
      body: {},
    });
    for (const warning of warnings ?? []) {
      options.onWarning?.(String(warning));
    }
    return result;
  }

  /**
   * The status of one session.
   *
   * @param sessionId session id
   */
  async status(sessionId: string): Promise<SessionStatus> {
    return await this.#fetch<SessionStatus>(sessionPath(sessionId), {
      shape: STATUS_SHAPE,
      what: "status",
    });
  }

  /**
   * Whether the agent process runs (from the session's status).
   *
   * @param sessionId session id
   */
  async isAlive(sessionId: string): Promise<boolean> {
    return (await this.status(sessionId)).alive === true;
  }

  /**
   * Whether a turn is running (from the session's status).
   *
   * @param sessionId session id
   */
  async isWorking(sessionId: string): Promise<boolean> {
    return (await this.status(sessionId)).working === true;
  }

  /**
   * Whether `running.flag` is gone (from the session's status).
   *
   * @param sessionId session id
   */
  async isJobGoalAccomplished(sessionId: string): Promise<boolean> {
    return (await this.status(sessionId)).jobGoalAccomplished === true;
  }

  /**
   * Whether `failed.flag` is present (from the session's status).
   *
   * @param sessionId session id
   */
  async isFailed(sessionId: string): Promise<boolean> {
    return (await this.status(sessionId)).failed === true;
  }

  /** Every session of this backend on the server. */
  async listSessions(): Promise<SessionStatus[]> {
    return await listRemoteSessions(this.server, { backend: this.name });
  }

  /**
   * The session's state now and why.
   *
   * @param sessionId session id
   */
  async getState(sessionId: string): Promise<StateReading> {
    const status = await this.status(sessionId);
    return {
      state: status.state,
      reason: status.stateReason,
      ...(status.dialog ? { dialog: status.dialog } : {}),
      ...(status.dialogInfo ? { dialogInfo: status.dialogInfo } : {}),
    };
  }

  /**
   * Waits until the session's current turn ends (on the server).
   *
   * @param sessionId session id
   * @param options `timeoutMs`, `signal`, `since` (this host's clock: sent
   *   as an age, so the two clocks need not agree)
   */
  async waitForTurn(
    sessionId: string,
    options: WaitOptions = {},
  ): Promise<TurnOutcome> {
    const { sessionId: _id, ...turn } = await this.#fetch<
      TurnOutcome & { sessionId: string }
    >(sessionPath(sessionId, "wait"), {
      shape: TURN_SHAPE,
      what: "wait",
      // The request lives as long as the wait, plus a margin; without a
      // --timeout, as long as the server still answers a check.
      ...this.#waiting(
        sessionId,
        options.timeoutMs === undefined
          ? Infinity
          : options.timeoutMs + REMOTE_TIMINGS.waitMarginMs,
      ),
      method: "POST",
      body: {
        timeout: options.timeoutMs === undefined
          ? undefined
          : options.timeoutMs / 1000,
        sinceAgo: options.since === undefined
          ? undefined
          : Math.max(0, Date.now() - options.since) / 1000,
        prompt: options.prompt,
      },
      signal: options.signal,
    });
    return turn;
  }

  /**
   * The session's screen as a person would see it.
   *
   * @param sessionId session id
   */
  async screen(sessionId: string): Promise<string> {
    const answer = await this.#fetch<{ screen: string }>(
      sessionPath(sessionId, "screen"),
      { shape: SCREEN_SHAPE, what: "screen" },
    );
    return answer.screen;
  }

  /**
   * Presses tmux keys in the session's pane.
   *
   * @param sessionId session id
   * @param keys tmux key names, pressed in order
   */
  async sendKeys(sessionId: string, keys: readonly string[]): Promise<void> {
    await this.#call(sessionPath(sessionId, "keys"), {
      ...this.#waiting(sessionId, actionWithin(this.server)),
      method: "POST",
      body: { keys },
    });
  }

  /**
   * Refused: a remote session's window is on the server's host.
   *
   * @param _sessionId session id
   */
  attachCommand(_sessionId: string): Promise<string[]> {
    return Promise.reject(
      new UsageError(
        "attach runs on the server's host (ssh there); here use `aimax screen` and `aimax keys`",
      ),
    );
  }

  /**
   * Refused: a remote session's transcript is a file on the server's host
   * (read it with {@linkcode RemoteBackend.getHistory} and the streams).
   *
   * @param _sessionId session id
   */
  transcriptOf(_sessionId: string): Promise<string | undefined> {
    return Promise.reject(
      new UsageError(
        "the transcript is a file on the server's host; here use `aimax history` and `aimax stream`",
      ),
    );
  }

  /**
   * The transcript so far.
   *
   * @param sessionId session id
   * @param options `fromOffset`, `limit`
   */
  async getHistory(
    sessionId: string,
    options: HistoryOptions = {},
  ): Promise<JsonlReadResult> {
    return await this.#fetch<JsonlReadResult>(
      sessionPath(sessionId, "history"),
      {
        shape: HISTORY_SHAPE,
        what: "history",
        query: { from: options.fromOffset, limit: options.limit },
      },
    );
  }

  /**
   * Follows the transcript live (SSE), from `fromOffset` or new entries.
   *
   * @param sessionId session id
   * @param listener receives each record and its entry
   * @param options `fromOffset` to resume from a sentinel; `onError` when
   *   the stream ends for good, `onRetry` before each new try
   * @returns a function that stops it
   */
  async getAgentRawThoughtStream(
    sessionId: string,
    listener: ThoughtListener,
    options: RemoteStreamOptions = {},
  ): Promise<Unsubscribe> {
    return await follow(this.server, sessionPath(sessionId, "stream"), {
      query: { backend: this.name, from: options.fromOffset },
      resume: true,
      onError: options.onError,
      onRetry: options.onRetry,
      onMessage: (data) => {
        const entry = expectShape<JsonlEntry>(data, ENTRY_SHAPE, {
          server: this.server.url,
          what: "stream entry",
        });
        listener(entry.value, entry);
      },
    });
  }

  /**
   * Follows the transcript live as events (SSE).
   *
   * @param sessionId session id
   * @param listener receives each event
   * @param options `fromOffset` to resume from a sentinel; `onError` when
   *   the stream ends for good, `onRetry` before each new try
   * @returns a function that stops it
   */
  async getEventStream(
    sessionId: string,
    listener: (event: AgentEvent) => void,
    options: RemoteStreamOptions = {},
  ): Promise<Unsubscribe> {
    return await follow(this.server, sessionPath(sessionId, "stream"), {
      query: { backend: this.name, from: options.fromOffset, events: 1 },
      resume: true,
      onError: options.onError,
      onRetry: options.onRetry,
      onMessage: (data) => {
        const { end: _end, ...event } = expectShape<
          AgentEvent & { end?: number }
        >(data, EVENT_SHAPE, { server: this.server.url, what: "event" });
        listener(event as AgentEvent);
      },
    });
  }
}
