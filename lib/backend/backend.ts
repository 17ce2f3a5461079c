/**
 * `TmuxAgentBackend`: the {@linkcode SessionBackend} contract over tmux for
 * one agent profile. It only routes: the prompt's way in is `submit.ts`
 * (through the pane driver, `pane.ts`), a session's life is
 * `lifecycle.ts`, what it reports is `status.ts`, and the transcript's way
 * out is the JSONL reader and tail.
 *
 * @module
 */
import type { AgentProfile } from "../agents/agent.ts";
import type { TmuxAgentsConfig } from "../config.ts";
import { AimaxError, InputError } from "../errors.ts";
import { isJobDone, isJobFailed } from "../flags.ts";
import {
  sanitizePrompt,
  validateFlagRoot,
  validateSessionId,
} from "../inputs.ts";
import { type JsonlReadResult, readJsonl } from "../jsonl/reader.ts";
import { type Unsubscribe, watchJsonl } from "../jsonl/watcher.ts";
import { pollUntil } from "../poll.ts";
import type { SessionRecord } from "../state.ts";
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
} from "./contract.ts";
import { type AgentEvent, EventNormalizer } from "../signals/events.ts";
import type { StateReading } from "../signals/session_state.ts";
import {
  type BackendContext,
  backendContext,
  paneOf,
  recordOf,
  tmuxOf,
} from "./context.ts";
import { answerDialog, dialogInfoOf, forgetDialog } from "./dialogs.ts";
import { SentKeys } from "./idempotency.ts";
import {
  createSession,
  reviveSession,
  terminateSession,
  worktreeRecordOf,
} from "./lifecycle.ts";
import { sessionDiff, sessionMerge } from "./worktree.ts";
import { sessionDead } from "./pane.ts";
import { listSessions, readStates, statusOf } from "./status.ts";
import { refuseExitCommand, submit, type SubmitMode } from "./submit.ts";
import type { BackendTimings } from "./timings.ts";
import { stateOf } from "./turns.ts";
import { waitForTurn } from "./turn_wait.ts";

/** A tmux key name or one printable character. */
const KEY_NAME =
  /^(?:[!-~]|(?:[CMS]-){1,3}[!-~]|(?:[CMS]-){0,3}(?:Enter|Escape|Tab|BTab|BSpace|Space|Up|Down|Left|Right|Home|End|PageUp|PageDown|PPage|NPage|DC|IC|F[1-9]|F1[0-2]))$/;

/**
 * The most keys one `sendKeys` call (the `keys` command, `POST …/keys`)
 * presses. tmux takes time quadratic in the length of one command line
 * (40,000 keys held a session for minutes); a person answering a dialog
 * needs a handful.
 */
export const MAX_KEYS = 64;

/** The most characters of all the key names of one `sendKeys` call together. */
export const MAX_KEYS_CHARS = 1024;

/** At most `max` characters of `text` for an error message. */
function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Checks a list of keys to press: 1 to {@linkcode MAX_KEYS} tmux key names
 * (`Enter`, `Escape`, `Tab`, `Up`, `C-c`, `F5`, …) or single printable
 * characters, {@linkcode MAX_KEYS_CHARS} characters in all. The one check
 * of keys: the library, the CLI and the server all go through it. The
 * error names the first bad key (clipped), never the whole list.
 *
 * @example
 * ```ts
 * import { validateKeys } from "./backend.ts";
 * validateKeys(["Escape", "y"]); // fine
 * try {
 *   validateKeys(Array(100).fill("Enter"));
 * } catch (error) {
 *   console.log((error as Error).message); // 100 keys: at most 64 …
 * }
 * ```
 * @param keys what to press, in order
 * @returns the keys, as given
 * @throws {InputError} for an empty, too long or malformed list
 */
export function validateKeys(keys: readonly unknown[]): readonly string[] {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new InputError("no keys given");
  }
  if (keys.length > MAX_KEYS) {
    throw new InputError(
      `${keys.length} keys: at most ${MAX_KEYS} at once (send text with send; press more keys in several calls)`,
    );
  }
  let chars = 0;
  for (const key of keys) {
    if (typeof key !== "string") {
      throw new InputError("a key must be a string (a tmux key name)");
    }
    chars += key.length;
    if (chars > MAX_KEYS_CHARS) {
      throw new InputError(
        `the keys are longer than ${MAX_KEYS_CHARS} characters in all`,
      );
    }
    if (!KEY_NAME.test(key)) {
      throw new InputError(
        `"${
          clip(key)
        }" is not a tmux key name (e.g. Enter, Escape, Tab, Up, C-c, y)`,
      );
    }
  }
  return keys as readonly string[];
}

/** Keys that move a dialog's selection without answering it. */
const MOVES: ReadonlySet<string> = new Set([
  "Up",
  "Down",
  "Left",
  "Right",
  "Tab",
  "BTab",
]);

/** A dialog id as `--dialog` takes it (the shape `approve` names one by). */
const DIALOG_ID = /^[0-9a-f]{8}\.[0-9a-z]{1,12}$/;

/**
 * Checks a dialog id given to `approve` or `deny`.
 *
 * @param id the id, if given
 * @throws {InputError} for one that is not a dialog id
 */
function dialogIdOption(id: unknown): string | undefined {
  if (id === undefined) return undefined;
  if (typeof id !== "string" || !DIALOG_ID.test(id)) {
    throw new InputError(
      `"${
        clip(String(id))
      }" is not a dialog id (e.g. 3f9a1c0e.mi4x2k1a, as status shows it)`,
    );
  }
  return id;
}

/**
 * The tmux implementation of {@linkcode SessionBackend} for one agent profile.
 * `get(name)` returns the one of each backend name.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, TmuxAgentBackend } from "@aimax/cli";
 * const backend = get(SUPPORTED_BACKENDS[0]);
 * console.log(backend instanceof TmuxAgentBackend); // true
 * console.log(await backend.listSessions());
 * ```
 */
export class TmuxAgentBackend implements SessionBackend {
  /**
   * The agent this backend drives (the engine's, not the public API's).
   *
   * @internal
   */
  readonly profile: AgentProfile;
  /** The config snapshot taken at construction. */
  readonly config: TmuxAgentsConfig;
  /** Time limits. */
  readonly timings: BackendTimings;
  readonly #ctx: BackendContext;

  /**
   * Creates an instance (the engine's: `get(name)` builds the backends of
   * the public API).
   *
   * @param profile the agent
   * @param config config snapshot
   * @param options time limits
   * @internal
   */
  constructor(
    profile: AgentProfile,
    config: TmuxAgentsConfig,
    options: { timings?: Partial<BackendTimings> } = {},
  ) {
    this.#ctx = backendContext(profile, config, options);
    this.profile = profile;
    this.config = this.#ctx.config;
    this.timings = this.#ctx.timings;
  }

  /** Backend name. */
  get name(): string {
    return this.profile.name;
  }

  /** {@inheritDoc AgentBackend.createNewSession} */
  async createNewSession(
    options: CreateSessionOptions,
  ): Promise<CreateSessionResult> {
    return await createSession(this.#ctx, options);
  }

  async #send(options: SendOptions, mode: SubmitMode): Promise<SendResult> {
    const sessionId = validateSessionId(options?.sessionId);
    const text = sanitizePrompt(options.prompt);
    refuseExitCommand(this.#ctx.profile, text);
    if (options.flagRoot !== undefined) validateFlagRoot(options.flagRoot);
    const ctx = this.#ctx;
    const key = options.idempotencyKey;
    if (key !== undefined && (typeof key !== "string" || key === "")) {
      throw new InputError("an idempotency key must be a non-empty string");
    }
    if (options.whenReadyMs) {
      // Outside the session's lock, so a person's `keys` can answer the
      // dialog meanwhile; a dialog still up at the end is refused below.
      const pane = paneOf(ctx, await recordOf(ctx, sessionId));
      await pollUntil(async () => {
        if (!(await pane.alive())) return true;
        const { state } = await pane.view();
        // A dialog seen here is published like any other look's.
        await dialogInfoOf(ctx, sessionId, state);
        return state.kind !== "dialog";
      }, {
        timeoutMs: options.whenReadyMs,
        intervalMs: ctx.timings.turnPollMs,
      });
    }
    return await ctx.store.withSessionLock(ctx.name, sessionId, async () => {
      const record = await recordOf(ctx, sessionId);
      const sent = new SentKeys(ctx.config.dataDir, {
        backend: ctx.name,
        sessionId,
        windowMs: options.idempotencyWindowMs,
      });
      const earlier = key === undefined ? undefined : await sent.recall(key);
      if (earlier) return { ...earlier, duplicate: true };
      if (options.flagRoot) record.flagRoot = options.flagRoot;
      const result = await submit(ctx, record, { text, mode });
      const out: SendResult = {
        sessionId,
        delivery: result.delivery,
        queued: result.queued,
        resubmitted: result.resubmitted,
      };
      if (key !== undefined) await sent.remember(key, out);
      return out;
    });
  }

  /** {@inheritDoc AgentBackend.noPauseCurrentAndQueueQueryAtSession} */
  async noPauseCurrentAndQueueQueryAtSession(
    options: SendOptions,
  ): Promise<SendResult> {
    return await this.#send(options, "queue");
  }

  /** {@inheritDoc AgentBackend.pauseCurrentAndResumeFromSession} */
  async pauseCurrentAndResumeFromSession(
    options: SendOptions,
  ): Promise<SendResult> {
    return await this.#send(options, "interrupt");
  }

  /** {@inheritDoc SessionBackend.terminateSession} */
  async terminateSession(
    sessionId: string,
    options: TerminateOptions = {},
  ): Promise<TerminateResult> {
    return await terminateSession(this.#ctx, sessionId, options);
  }

  /** {@inheritDoc SessionBackend.diff} */
  async diff(sessionId: string): Promise<SessionDiff> {
    return await sessionDiff(
      this.#ctx,
      await worktreeRecordOf(this.#ctx, sessionId),
    );
  }

  /** {@inheritDoc SessionBackend.merge} */
  async merge(
    sessionId: string,
    options: MergeOptions = {},
  ): Promise<SessionMerge> {
    const record = await worktreeRecordOf(this.#ctx, sessionId);
    // One merge of a worktree at a time, and not while a send types.
    return await this.#ctx.store.withSessionLock(
      this.#ctx.name,
      sessionId,
      async () => await sessionMerge(this.#ctx, record, options),
    );
  }

  /** {@inheritDoc SessionBackend.revive} */
  async revive(
    sessionId: string,
    options: Pick<CreateSessionOptions, "onProgress" | "onWarning"> = {},
  ): Promise<CreateSessionResult> {
    return await reviveSession(this.#ctx, sessionId, options);
  }

  /** {@inheritDoc AgentBackend.isAlive} */
  async isAlive(sessionId: string): Promise<boolean> {
    const record = await recordOf(this.#ctx, sessionId);
    return await paneOf(this.#ctx, record).alive();
  }

  /** {@inheritDoc AgentBackend.isWorking} */
  async isWorking(sessionId: string): Promise<boolean> {
    const { state } = await this.getState(sessionId);
    return state === "working" || state === "awaiting_input";
  }

  /**
   * The session's state now (`starting`, `idle`, `working`,
   * `awaiting_input`, `exited`) and why; `dialog` is what the agent asks
   * when it waits on a person.
   *
   * @param sessionId session id
   */
  async getState(sessionId: string): Promise<StateReading> {
    return await stateOf(this.#ctx, await recordOf(this.#ctx, sessionId));
  }

  /**
   * Waits until the session's current turn ends: `completed` with the final
   * answer, `awaiting_input` with what the agent asks, `exited`, or
   * `timeout`. An idle session's wait ends at once with its last answer.
   *
   * @param sessionId session id
   * @param options `timeoutMs`, `signal`, `since`
   */
  async waitForTurn(
    sessionId: string,
    options: WaitOptions = {},
  ): Promise<TurnOutcome> {
    return await waitForTurn(
      this.#ctx,
      await recordOf(this.#ctx, sessionId),
      options,
    );
  }

  /**
   * The session's screen as a person would see it (the pane's visible text).
   *
   * @param sessionId session id
   */
  async screen(sessionId: string): Promise<string> {
    const pane = paneOf(this.#ctx, await recordOf(this.#ctx, sessionId));
    if (!(await pane.info())) {
      throw sessionDead(this.#ctx.profile, sessionId, {
        message: `session "${sessionId}" has no window any more`,
      });
    }
    return await pane.screen();
  }

  /**
   * The tmux command that puts a person's terminal on the session's window:
   * `attach-session` from outside tmux, `switch-client` from inside (when
   * `insideTmux`). Run it with the terminal's stdin/stdout; detach with the
   * tmux prefix key, then `d`.
   *
   * @param sessionId session id
   * @param options `insideTmux`: the caller runs inside a tmux client
   * @returns the program and its arguments
   */
  async attachCommand(
    sessionId: string,
    options: { insideTmux?: boolean } = {},
  ): Promise<string[]> {
    const record = await recordOf(this.#ctx, sessionId);
    const pane = paneOf(this.#ctx, record);
    if (!(await pane.info())) {
      throw sessionDead(this.#ctx.profile, sessionId, {
        message: `session "${sessionId}" has no window any more`,
      });
    }
    const tmux = tmuxOf(this.#ctx, record.tmuxSocket);
    return [
      tmux.bin,
      ...tmux.serverArgs,
      ...(options.insideTmux
        ? ["switch-client", "-t", record.windowId]
        : ["attach-session", "-t", record.windowId]),
    ];
  }

  /**
   * Presses tmux keys in the session's pane on a person's behalf (e.g.
   * `Enter` or `y` to approve a dialog, `Escape` to deny it). Only key names
   * (`Enter`, `Escape`, `Tab`, `Up`, `C-c`, `F5`, …) and single characters
   * are taken; text goes through the send methods. At a dialog, resolves
   * once the agent took the keys (the dialog closed or changed), up to
   * `keysTakenMs`, so that a turn wait right after does not read the dialog
   * they answered. At most {@linkcode MAX_KEYS} keys and
   * {@linkcode MAX_KEYS_CHARS} characters per call ({@linkcode validateKeys}).
   *
   * The session's lock is held for one look, one tmux call (each killed
   * past `tmuxCallMs`) and the `keysTakenMs` wait; when `signal` aborts
   * (a client went away) nothing more is pressed or waited for.
   *
   * @param sessionId session id
   * @param keys tmux key names, pressed in order
   * @param options `signal`: stops the call
   * @throws {InputError} for keys {@linkcode validateKeys} refuses
   */
  async sendKeys(
    sessionId: string,
    keys: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    validateSessionId(sessionId);
    validateKeys(keys);
    const ctx = this.#ctx;
    const { signal } = options;
    await ctx.store.withSessionLock(ctx.name, sessionId, async () => {
      // The caller may have gone while the lock was busy.
      signal?.throwIfAborted();
      const pane = paneOf(ctx, await recordOf(ctx, sessionId));
      const first = await pane.view();
      if (!first.alive) {
        throw sessionDead(ctx.profile, sessionId, {
          message:
            `${ctx.profile.label} in session "${sessionId}" is not running`,
        });
      }
      // The dialog the keys may answer was seen: published if it is new.
      await dialogInfoOf(ctx, sessionId, first.state);
      await pane.press(keys, first, { signal });
      // Keys that may have answered a dialog (any but moves of its
      // selection): whatever is up next gets a new id, even with the same
      // text, so an `approve --dialog` meant for this one never lands on it.
      if (
        first.state.kind === "dialog" && keys.some((k) => !MOVES.has(k))
      ) {
        await forgetDialog(ctx, sessionId);
      }
    });
  }

  /**
   * Approves the dialog the session shows, under the session's lock: reads
   * it, checks it is the one named (`dialog`; without it, the one up now),
   * presses the keys of the agent's "yes" choice (`always`: its "yes, and
   * don't ask again" one) and waits until it closed.
   *
   * @param sessionId session id
   * @param options `dialog`, `always`, `signal`
   * @throws {AimaxError} `dialog_changed` (with the screen; nothing
   *   pressed) when another dialog or none is up
   */
  async approve(
    sessionId: string,
    options: ApproveOptions = {},
  ): Promise<DialogAnswer> {
    validateSessionId(sessionId);
    const dialog = dialogIdOption(options.dialog);
    const ctx = this.#ctx;
    return await ctx.store.withSessionLock(
      ctx.name,
      sessionId,
      async () =>
        await answerDialog(ctx, await recordOf(ctx, sessionId), {
          kind: options.always ? "always" : "yes",
          dialog,
          signal: options.signal,
        }),
    );
  }

  /**
   * Denies the dialog the session shows, as {@linkcode approve} approves
   * it, with the agent's "no" choice; then `reason`, if given, is sent as
   * the next prompt (what to do instead), under the same lock.
   *
   * @param sessionId session id
   * @param options `dialog`, `reason`, `signal`
   * @throws {AimaxError} `dialog_changed` (with the screen; nothing
   *   pressed) when another dialog or none is up
   */
  async deny(
    sessionId: string,
    options: DenyOptions = {},
  ): Promise<DialogAnswer> {
    validateSessionId(sessionId);
    const dialog = dialogIdOption(options.dialog);
    const reason = options.reason === undefined
      ? undefined
      : sanitizePrompt(options.reason);
    const ctx = this.#ctx;
    if (reason !== undefined) refuseExitCommand(ctx.profile, reason);
    return await ctx.store.withSessionLock(ctx.name, sessionId, async () => {
      const record = await recordOf(ctx, sessionId);
      const answer = await answerDialog(ctx, record, {
        kind: "no",
        dialog,
        signal: options.signal,
      });
      if (reason === undefined) return answer;
      await submit(ctx, record, { text: reason, mode: "queue" });
      return { ...answer, reason };
    });
  }

  /** {@inheritDoc AgentBackend.isJobGoalAccomplished} */
  async isJobGoalAccomplished(sessionId: string): Promise<boolean> {
    const record = await recordOf(this.#ctx, sessionId);
    return await isJobDone(record.flagRoot, record.sessionId);
  }

  /** {@inheritDoc AgentBackend.isFailed} */
  async isFailed(sessionId: string): Promise<boolean> {
    const record = await recordOf(this.#ctx, sessionId);
    return await isJobFailed(record.flagRoot, record.sessionId);
  }

  /**
   * The status of one session.
   *
   * @param sessionId session id
   */
  async status(sessionId: string): Promise<SessionStatus> {
    return await statusOf(this.#ctx, await recordOf(this.#ctx, sessionId));
  }

  /** {@inheritDoc AgentBackend.listSessions} */
  async listSessions(): Promise<SessionStatus[]> {
    return await listSessions([this.#ctx]);
  }

  /**
   * Every session of several backends with one tmux call per server
   * (`list-panes -a` chained with the captures), whatever their number.
   *
   * @example
   * ```ts
   * import { get, SUPPORTED_BACKENDS, TmuxAgentBackend } from "@aimax/cli";
   * const rows = await TmuxAgentBackend.listAll(SUPPORTED_BACKENDS.map((name) => get(name)));
   * ```
   * @param backends the backends to list
   */
  static async listAll(
    backends: readonly TmuxAgentBackend[],
  ): Promise<SessionStatus[]> {
    return await listSessions(backends.map((backend) => backend.#ctx));
  }

  /**
   * The states of many sessions at once, for followers (`aimax events`):
   * one `list-panes -a` per tmux server and one chained capture of the
   * screens `look` picks, whatever their number. A gone or dead pane is
   * `exited`; a live session not looked at is `undefined`.
   *
   * @example
   * ```ts ignore
   * import {
   *   get,
   *   type SessionRecord,
   *   SUPPORTED_BACKENDS,
   *   TmuxAgentBackend,
   * } from "@aimax/cli";
   * declare const records: SessionRecord[]; // as read from the state file
   * const backend = get(SUPPORTED_BACKENDS[0]);
   * const states = await TmuxAgentBackend.readStates(
   *   records.map((record) => ({ backend, record })),
   *   { look: () => true },
   * );
   * ```
   * @param sessions the sessions (records as read from the state file),
   * each with its backend
   * @param options `look`: whose screens to read
   */
  static async readStates(
    sessions: readonly { backend: TmuxAgentBackend; record: SessionRecord }[],
    options: { look: (record: SessionRecord) => boolean },
  ): Promise<(StateReading | undefined)[]> {
    return await readStates(
      sessions.map(({ backend, record }) => ({ ctx: backend.#ctx, record })),
      options.look,
    );
  }

  /**
   * The path of session `sessionId`'s transcript, or `undefined` while it
   * has none yet.
   *
   * @example
   * ```ts
   * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
   * const path = await get(SUPPORTED_BACKENDS[0]).transcriptOf("demo-1");
   * ```
   * @param sessionId session id
   * @throws {AimaxError} `session_not_found` for an unknown session
   */
  async transcriptOf(sessionId: string): Promise<string | undefined> {
    return (await recordOf(this.#ctx, sessionId)).jsonlPath ?? undefined;
  }

  /** {@inheritDoc AgentBackend.getHistory} */
  async getHistory(
    sessionId: string,
    options: HistoryOptions = {},
  ): Promise<JsonlReadResult> {
    const record = await recordOf(this.#ctx, sessionId);
    if (!record.jsonlPath) {
      return {
        entries: [],
        total: 0,
        truncated: false,
        sentinel: options.fromOffset ?? 0,
      };
    }
    return await readJsonl(record.jsonlPath, options);
  }

  /**
   * Follows the transcript live as {@linkcode AgentEvent}s (the one event
   * model of both agents) instead of raw records.
   *
   * @param sessionId session id
   * @param listener receives each event
   * @param options `fromOffset` to resume from a sentinel
   * @returns a function that stops it
   */
  async getEventStream(
    sessionId: string,
    listener: (event: AgentEvent) => void,
    options: StreamOptions = {},
  ): Promise<Unsubscribe> {
    const normalizer = new EventNormalizer(
      (record) => this.profile.transcriptEvents(record),
      { sessionId, backend: this.name, links: this.profile.recordLinks },
    );
    return await this.getAgentRawThoughtStream(sessionId, (raw, entry) => {
      for (const event of normalizer.events(raw, entry.offset)) listener(event);
    }, options);
  }

  /** {@inheritDoc AgentBackend.getAgentRawThoughtStream} */
  async getAgentRawThoughtStream(
    sessionId: string,
    listener: ThoughtListener,
    options: StreamOptions = {},
  ): Promise<Unsubscribe> {
    const record = await recordOf(this.#ctx, sessionId);
    if (!record.jsonlPath) {
      throw new AimaxError(
        "no_transcript",
        `session "${sessionId}" has no transcript yet`,
      );
    }
    return await watchJsonl(
      record.jsonlPath,
      (entry) => listener(entry.value, entry),
      { fromOffset: options.fromOffset },
    );
  }
}
