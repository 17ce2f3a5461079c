/**
 * The contracts of a backend, their options and their results (types
 * only): `AgentBackend`, the reference's methods, and `SessionBackend`,
 * the whole surface a caller can use (the reference's methods plus state,
 * turn wait, screen, keys, attach, status and events). The tmux backend
 * (`TmuxAgentBackend`) and the remote one (`RemoteBackend`) implement
 * `SessionBackend`; the CLI, the server and the page's API call nothing
 * else.
 *
 * @module
 */
import type { AgentProfile } from "../agents/agent.ts";
import type { JsonlEntry } from "../jsonl/lines.ts";
import type { JsonlReadResult } from "../jsonl/reader.ts";
import type { Unsubscribe } from "../jsonl/watcher.ts";
import type { AgentEvent } from "../signals/events.ts";
import type { ChoiceKind, DialogPurpose } from "../signals/screen.ts";
import type {
  DialogInfo,
  SessionState,
  StateReading,
} from "../signals/session_state.ts";
import type { PermissionMode, SessionPermission } from "../agent_options.ts";
import type { SessionRules } from "../rules.ts";
import type { SessionWorktree } from "../state.ts";
import type { WorktreeDiff } from "../worktree/diff.ts";
import type { MergeResult } from "../worktree/merge.ts";

/**
 * Options of {@linkcode AgentBackend.createNewSession}.
 *
 * @example
 * ```ts
 * import type { CreateSessionOptions } from "@aimax/cli";
 * const options: CreateSessionOptions = {
 *   sessionId: "demo-1",
 *   cwd: "/tmp/sandbox",
 *   initialPrompt: "Make a hello.py that prints hi.",
 *   model: "some-model",
 * };
 * ```
 */
export interface CreateSessionOptions {
  /** Session id; becomes the tmux window name. */
  sessionId: string;
  /** Working directory; must exist. */
  cwd: string;
  /** First message to send. */
  initialPrompt: string;
  /** Anchor for `running.flag`; defaults to `cwd`. */
  flagRoot?: string;
  /** Forwarded as `--model` to the agent. */
  model?: string;
  /** Force proxychains on or off; default is the config's `useProxyDefault`. */
  useProxy?: boolean;
  /** Free-form label persisted with the session. */
  displayName?: string;
  /**
   * Resume this agent conversation (the agent's own id). Without
   * `permissionMode`, `agentArgs`, `allow` and `deny`, it starts again with
   * those its latest session had (a `bypass` one only with `allowBypass`
   * again).
   */
  agentSessionId?: string;
  /**
   * The permission mode to start in, in aimax's words (`ask`, `edits`,
   * `plan`, `auto`, `bypass`); each agent maps it to its own flags. None:
   * the agent's own default applies (the status says which).
   */
  permissionMode?: PermissionMode;
  /** Needed for `permissionMode: "bypass"` (nothing asks). */
  allowBypass?: boolean;
  /**
   * Arguments passed to the agent as they are (argv, never a shell
   * string), after aimax's own. Options only; those aimax sets itself
   * (`AgentProfile.ownedArgs`) are refused.
   */
  agentArgs?: readonly string[];
  /**
   * Rules for what runs without asking (`create --allow`), in aimax's one
   * rule language for every agent: `bash:PATTERN` (`*` any text),
   * `edit:GLOB`, `read:GLOB`, `tool:NAME`. Applied through the agent's own
   * per-run mechanism (e.g. its settings' allow list, or a rules file),
   * so the agent never asks; a rule the
   * agent cannot express is refused (`invalid_input`), nothing created.
   */
  allow?: readonly string[];
  /** Rules for what never runs (`create --deny`), as {@linkcode allow}. */
  deny?: readonly string[];
  /**
   * Run the agent in a git worktree of its own, on its own branch, made
   * from the repository `cwd` is in (see {@linkcode WorktreeOptions}).
   */
  worktree?: WorktreeOptions;
  /** Receives a short description of each start-up step (for a spinner). */
  onProgress?: (step: string) => void;
  /**
   * Receives a warning worth a person's look: the agent's version is outside
   * the range this release was tested with (once per version), or the
   * agent's own settings keep aimax's hooks from firing (each time).
   */
  onWarning?: (message: string) => void;
}

/**
 * A session's own git worktree, as `create --worktree` asks for it.
 *
 * @example
 * ```ts
 * import type { WorktreeOptions } from "@aimax/cli";
 * const worktree: WorktreeOptions = { base: "main", copy: [".env"], setup: "npm ci" };
 * ```
 */
export interface WorktreeOptions {
  /** The new branch (default `aimax/<session id>`). */
  branch?: string;
  /** Where it starts: a commit-ish (default: the repository's `HEAD`). */
  base?: string;
  /** Check out `branch` although it exists (default: refused). */
  reuseBranch?: boolean;
  /** Untracked files of the main tree to copy in (e.g. `.env`), relative to its root. */
  copy?: readonly string[];
  /**
   * A command run in the new worktree before the agent starts (`sh -c`,
   * the user's own string), its output kept in the session's log; a
   * failure fails the create and leaves nothing behind.
   */
  setup?: string;
}

/**
 * Options of {@linkcode SessionBackend.terminateSession}.
 *
 * @example
 * ```ts
 * import type { TerminateOptions } from "@aimax/cli";
 * const options: TerminateOptions = { discard: true };
 * ```
 */
export interface TerminateOptions {
  /**
   * Remove the session's worktree and delete its branch even when they
   * hold work that is not merged (default: such a worktree is kept).
   */
  discard?: boolean;
}

/**
 * What became of a session's worktree when it was stopped.
 *
 * @example
 * ```ts
 * import type { WorktreeOutcome } from "@aimax/cli";
 * const kept: WorktreeOutcome = {
 *   path: "/data/worktrees/app-1a2b3c4d/s1",
 *   branch: "aimax/s1",
 *   removed: false,
 *   branchDeleted: false,
 *   reason: "1 uncommitted file",
 * };
 * ```
 */
export interface WorktreeOutcome {
  /** Its folder. */
  path: string;
  /** Its branch. */
  branch: string;
  /** Whether the folder was removed. */
  removed: boolean;
  /** Whether the branch was deleted (only with `discard`). */
  branchDeleted: boolean;
  /** Why it was kept, and how to merge or remove it. */
  reason?: string;
}

/**
 * A session's changes against its worktree's base ({@linkcode SessionBackend.diff}).
 *
 * @example
 * ```ts
 * import type { SessionDiff } from "@aimax/cli";
 * const show = (d: SessionDiff) => console.log(d.branch, d.shortStat);
 * ```
 */
export interface SessionDiff extends WorktreeDiff {
  /** Session id. */
  sessionId: string;
  /** The worktree's branch. */
  branch: string;
  /** The worktree's folder. */
  path: string;
}

/**
 * What {@linkcode SessionBackend.merge} did.
 *
 * @example
 * ```ts
 * import type { SessionMerge } from "@aimax/cli";
 * const show = (m: SessionMerge) => console.log(m.merged, m.commit);
 * ```
 */
export interface SessionMerge extends MergeResult {
  /** Session id. */
  sessionId: string;
  /** The worktree's branch. */
  branch: string;
}

/**
 * Options of {@linkcode SessionBackend.merge}.
 *
 * @example
 * ```ts
 * import type { MergeOptions } from "@aimax/cli";
 * const options: MergeOptions = { squash: true, message: "Add the parser" };
 * ```
 */
export interface MergeOptions {
  /** One commit with the work instead of a merge commit. */
  squash?: boolean;
  /** The commit message (default: one naming the session). */
  message?: string;
}

/**
 * Options of the send methods.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * await get(SUPPORTED_BACKENDS[0]).noPauseCurrentAndQueueQueryAtSession({
 *   sessionId: "demo-1",
 *   prompt: "Also add a README.",
 * });
 * ```
 */
export interface SendOptions {
  /** Session id. */
  sessionId: string;
  /** Message to send. */
  prompt: string;
  /** A new anchor for `running.flag`, kept for later prompts. */
  flagRoot?: string;
  /**
   * Makes the send idempotent: a second send to the session with the same
   * key within `idempotencyWindowMs` sends nothing and returns the first
   * send's result (with `duplicate: true`), across processes.
   */
  idempotencyKey?: string;
  /** How long an idempotency key is remembered (default 10 minutes). */
  idempotencyWindowMs?: number;
  /**
   * While the agent waits on a person (a dialog), wait up to this long for
   * the dialog to be answered instead of refusing at once.
   */
  whenReadyMs?: number;
}

/**
 * How a submitted prompt was seen to arrive.
 *
 * - `confirmed`: the agent's transcript shows it (submitted, or queued for
 *   after the running turn);
 * - `unconfirmed`: it left the input box after Enter but the transcript did
 *   not show it within the landing wait. It most likely arrived (a slow
 *   disk, a transcript the agent writes late); `running.flag` is kept and
 *   the next submission checks again. Not a failure.
 *
 * @example
 * ```ts
 * import type { Delivery } from "@aimax/cli";
 * const seen: Delivery = "confirmed";
 * ```
 */
export type Delivery = "confirmed" | "unconfirmed";

/**
 * What the send methods return.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const { delivery } = await get(SUPPORTED_BACKENDS[0]).noPauseCurrentAndQueueQueryAtSession({
 *   sessionId: "demo-2",
 *   prompt: "and the tests",
 * });
 * if (delivery === "unconfirmed") console.warn("not in the transcript yet");
 * ```
 */
export interface SendResult {
  /** Session id. */
  sessionId: string;
  /** Whether the transcript confirmed the prompt. */
  delivery: Delivery;
  /** Whether it was queued behind a running turn. */
  queued: boolean;
  /**
   * Follow-ups queued earlier that the interrupt of `pause` took back and
   * aimax submitted again, in order, after this prompt.
   */
  resubmitted: number;
  /** An earlier send with the same idempotency key: nothing was sent now. */
  duplicate?: boolean;
}

/**
 * What {@linkcode AgentBackend.createNewSession} returns.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const { agentSessionId, jsonlPath } = await get(SUPPORTED_BACKENDS[0]).createNewSession({
 *   sessionId: "demo-2",
 *   cwd: "/tmp/sandbox",
 *   initialPrompt: "hi",
 * });
 * ```
 */
export interface CreateSessionResult {
  /** Session id. */
  sessionId: string;
  /** The agent's conversation id (the agent's own id). */
  agentSessionId: string | null;
  /** The transcript being written. */
  jsonlPath: string | null;
  /** ISO start time. */
  startedAt: string;
  /** Its own worktree, when it was created with one (`worktree`). */
  worktree?: SessionWorktree;
}

/**
 * What {@linkcode AgentBackend.terminateSession} returns.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const { killed, wasWorking } = await get(SUPPORTED_BACKENDS[0]).terminateSession("demo-2");
 * ```
 */
export interface TerminateResult {
  /** Session id. */
  sessionId: string;
  /** Whether a live window was killed. */
  killed: boolean;
  /** Whether a turn was running when it was stopped. */
  wasWorking: boolean;
  /** What became of its worktree, when it had one. */
  worktree?: WorktreeOutcome;
}

/**
 * One row of {@linkcode AgentBackend.listSessions}.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * for (const s of await get(SUPPORTED_BACKENDS[0]).listSessions()) {
 *   console.log(s.sessionId, s.alive, s.working, s.jobGoalAccomplished);
 * }
 * ```
 */
export interface SessionStatus {
  /** Session id. */
  sessionId: string;
  /** Backend name. */
  backend: string;
  /** Agent conversation id. */
  agentSessionId: string | null;
  /** Transcript path. */
  jsonlPath: string | null;
  /** Working directory. */
  cwd: string | null;
  /** Flag anchor. */
  flagRoot: string | null;
  /** Model, if one was given. */
  model: string | null;
  /**
   * The permission mode it started in and where that came from (`create`,
   * the agent's settings or its default); `null` when not known (a session
   * an older aimax started, an orphan).
   */
  permission: SessionPermission | null;
  /** Arguments passed through to the agent (`create -- ARGS`). */
  agentArgs: string[];
  /**
   * The rules it was created with (`create --allow/--deny`); absent when
   * it has none.
   */
  rules?: SessionRules;
  /** Label. */
  displayName: string | null;
  /** ISO start time. */
  startedAt: string | null;
  /** ISO time of the last prompt. */
  lastPromptAt: string | null;
  /** tmux window id. */
  windowId: string;
  /** tmux pane id. */
  paneId: string;
  /** What it does: from the agent's signals, pane and screen. */
  state: SessionState;
  /** Why it is in that state, in a few words. */
  stateReason: string;
  /** What the agent asks, when `state` is `awaiting_input`. */
  dialog?: string;
  /** That dialog's id, purpose and choices (`approve --dialog ID`). */
  dialogInfo?: DialogInfo;
  /** The agent process runs in its window. */
  alive: boolean;
  /** A turn is running (`state` is `working` or `awaiting_input`). */
  working: boolean;
  /** `running.flag` is absent. */
  jobGoalAccomplished: boolean;
  /** `failed.flag` is present. */
  failed: boolean;
  /** A window in the hub that the state file does not know (e.g. left by a killed `create`). */
  orphan: boolean;
  /**
   * Its own worktree, when it has one; `changes` is its short change count
   * against the base (`+12 −3, 2 files`), when it could be read.
   */
  worktree?: SessionWorktree & { changes?: string };
}

/**
 * Options of {@linkcode AgentBackend.getHistory}.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const { entries, sentinel } = await get(SUPPORTED_BACKENDS[0]).getHistory("demo-1", {
 *   limit: 50,
 * });
 * ```
 */
export interface HistoryOptions {
  /** Start at this byte offset. */
  fromOffset?: number;
  /** Keep only the last `limit` entries. */
  limit?: number;
}

/**
 * Receives each transcript record (parsed) and its entry (offsets).
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, summarizeRecord, type ThoughtListener } from "@aimax/cli";
 * const print: ThoughtListener = (raw, entry) =>
 *   console.log(entry.offset, summarizeRecord(raw));
 * const stop = await get(SUPPORTED_BACKENDS[0]).getAgentRawThoughtStream("demo-1", print);
 * ```
 */
export type ThoughtListener = (raw: unknown, entry: JsonlEntry) => void;

/**
 * Options of {@linkcode AgentBackend.getAgentRawThoughtStream}.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const backend = get(SUPPORTED_BACKENDS[0]);
 * const { sentinel } = await backend.getHistory("demo-1");
 * const stop = await backend.getAgentRawThoughtStream("demo-1", console.log, {
 *   fromOffset: sentinel,
 * });
 * ```
 */
export interface StreamOptions {
  /** Resume from this byte offset (a history sentinel) with a private watcher. */
  fromOffset?: number;
}

/**
 * How {@linkcode SessionBackend.waitForTurn} ended.
 *
 * - `completed`: the turn ended; `text` is its final answer, as the
 *   transcript records it (`empty` when that final message had no text);
 * - `awaiting_input`: the agent waits on a person; `text` is what it asks;
 * - `interrupted`: the turn was interrupted before it ended (Escape, a
 *   `pause`); `text` is what it had said so far;
 * - `unknown`: the session is idle but aimax cannot tell how the turn
 *   ended (the transcript records no end of it); `reason` says why;
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
 *   source: "transcript",
 *   durationMs: 1200,
 * };
 * ```
 */
export interface TurnOutcome {
  /** How it ended. */
  outcome:
    | "completed"
    | "awaiting_input"
    | "interrupted"
    | "unknown"
    | "timeout"
    | "exited";
  /** The session's state then. */
  state: SessionState;
  /** The final answer, or what the dialog asks. */
  text: string;
  /**
   * Where a completed turn's answer was read: `transcript` (the turn's end
   * and answer as the agent recorded them) or `hook` (the agent's turn-end
   * signal, its answer the same as the transcript's).
   */
  source?: "transcript" | "hook";
  /** A completed turn whose final message had no text (it ran tools only). */
  empty?: boolean;
  /** Why aimax cannot tell (`unknown`), in one line. */
  reason?: string;
  /** The agent's id of the turn, when it gives one. */
  turnId?: string;
  /** How long the wait took. */
  durationMs: number;
}

/**
 * Options of {@linkcode SessionBackend.waitForTurn}.
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
   * as the transcript records it, not with the end of a turn it was queued
   * behind.
   */
  prompt?: string;
}

/**
 * What an answer did.
 *
 * @example
 * ```ts
 * import type { DialogAnswer } from "@aimax/cli";
 * const answered: DialogAnswer = {
 *   sessionId: "demo-1",
 *   dialogId: "3f9a1c0e.mi4x2k1a",
 *   purpose: "permission",
 *   choice: "Yes",
 *   kind: "yes",
 * };
 * ```
 */
export interface DialogAnswer {
  /** Session id. */
  sessionId: string;
  /** The dialog answered. */
  dialogId: string;
  /** Why it was up. */
  purpose: DialogPurpose;
  /** What it asked about (the command, the file), when shown. */
  asks?: string;
  /** The choice picked, in the agent's words. */
  choice: string;
  /** What the choice does. */
  kind: ChoiceKind;
  /** `deny --reason`: the text given to the agent after the refusal. */
  reason?: string;
}

/**
 * Options of {@linkcode SessionBackend.approve}.
 *
 * @example
 * ```ts
 * import type { ApproveOptions } from "@aimax/cli";
 * const options: ApproveOptions = { dialog: "3f9a1c0e.mi4x2k1a", always: true };
 * ```
 */
export interface ApproveOptions {
  /**
   * The id of the dialog answered (its `dialogInfo.id`); refused when
   * another dialog, or none, is up. Without it: the dialog up now.
   */
  dialog?: string;
  /** Pick the agent's "yes, and don't ask again for …" choice. */
  always?: boolean;
  /** Stops the call. */
  signal?: AbortSignal;
}

/**
 * Options of {@linkcode SessionBackend.deny}.
 *
 * @example
 * ```ts
 * import type { DenyOptions } from "@aimax/cli";
 * const options: DenyOptions = { reason: "use npm ci instead" };
 * ```
 */
export interface DenyOptions {
  /** The id of the dialog answered; as {@linkcode ApproveOptions.dialog}. */
  dialog?: string;
  /**
   * What the agent should do instead: sent to it as the next prompt once
   * the dialog closed (both agents wait for it after a refusal).
   */
  reason?: string;
  /** Stops the call. */
  signal?: AbortSignal;
}

/**
 * The reference's contract: what every backend offers (see
 * {@linkcode SessionBackend} for the whole surface).
 *
 * @example
 * ```ts
 * import { type AgentBackend, get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const backend: AgentBackend = get(SUPPORTED_BACKENDS[0]);
 * console.log(await backend.listSessions());
 * ```
 */
export interface AgentBackend {
  /** Backend name. */
  readonly name: string;
  /**
   * Starts a session and submits its first prompt.
   *
   * @param options what to start
   */
  createNewSession(options: CreateSessionOptions): Promise<CreateSessionResult>;
  /**
   * Sends a prompt without interrupting: queued if a turn runs.
   *
   * @param options session and prompt
   */
  noPauseCurrentAndQueueQueryAtSession(
    options: SendOptions,
  ): Promise<SendResult>;
  /**
   * Interrupts the running turn (if any), then sends the prompt.
   *
   * @param options session and prompt
   */
  pauseCurrentAndResumeFromSession(options: SendOptions): Promise<SendResult>;
  /**
   * Kills the session's window and archives it.
   *
   * @param sessionId session id
   */
  terminateSession(sessionId: string): Promise<TerminateResult>;
  /**
   * Whether the agent process runs.
   *
   * @param sessionId session id
   */
  isAlive(sessionId: string): Promise<boolean>;
  /**
   * Whether a turn is running.
   *
   * @param sessionId session id
   */
  isWorking(sessionId: string): Promise<boolean>;
  /**
   * Whether `running.flag` is gone.
   *
   * @param sessionId session id
   */
  isJobGoalAccomplished(sessionId: string): Promise<boolean>;
  /**
   * Whether `failed.flag` is present.
   *
   * @param sessionId session id
   */
  isFailed(sessionId: string): Promise<boolean>;
  /** Every session of this backend, with its status. */
  listSessions(): Promise<SessionStatus[]>;
  /**
   * The transcript so far, and the sentinel to resume a live stream from.
   *
   * @param sessionId session id
   * @param options offset and limit
   */
  getHistory(
    sessionId: string,
    options?: HistoryOptions,
  ): Promise<JsonlReadResult>;
  /**
   * Follows the transcript live.
   *
   * @param sessionId session id
   * @param listener receives each record
   * @param options `fromOffset` to resume from a sentinel
   * @returns a function that stops it
   */
  getAgentRawThoughtStream(
    sessionId: string,
    listener: ThoughtListener,
    options?: StreamOptions,
  ): Promise<Unsubscribe>;
}

/**
 * The whole surface a caller can use, whichever way in: the library, the
 * CLI, the server and the remote CLI all call these and nothing else. The
 * tmux backend (`TmuxAgentBackend`) and the remote one (`RemoteBackend`, a
 * client of `aimax serve`) implement it, so the type checker refuses a
 * backend that lacks an operation. Each operation has a REST route
 * (`lib/serve/routes.ts`), except those that only make sense on the host
 * the session runs on (`attachCommand`, `transcriptOf`: the remote one
 * refuses them).
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS, type SessionBackend } from "@aimax/cli";
 * const backend: SessionBackend = get(SUPPORTED_BACKENDS[0]);
 * const { state } = await backend.getState("demo-1");
 * if (state === "awaiting_input") console.log(await backend.screen("demo-1"));
 * ```
 */
export interface SessionBackend extends AgentBackend {
  /**
   * The agent (labels, how its transcript reads; the engine's, not the
   * public API's).
   *
   * @internal
   */
  readonly profile: AgentProfile;
  /**
   * The session's state now (`starting`, `idle`, `working`,
   * `awaiting_input`, `exited`) and why; `dialog` is what the agent asks
   * when it waits on a person.
   *
   * @param sessionId session id
   */
  getState(sessionId: string): Promise<StateReading>;
  /**
   * Waits until the session's current turn ends: `completed` with the final
   * answer, `awaiting_input` with what the agent asks, `exited`, or
   * `timeout`. An idle session's wait ends at once with its last answer.
   *
   * @param sessionId session id
   * @param options `timeoutMs`, `signal`, `since`, `prompt`
   */
  waitForTurn(sessionId: string, options?: WaitOptions): Promise<TurnOutcome>;
  /**
   * The session's screen as a person would see it (the pane's visible text).
   *
   * @param sessionId session id
   */
  screen(sessionId: string): Promise<string>;
  /**
   * Presses tmux keys in the session's pane on a person's behalf (e.g.
   * `Enter` or `y` to approve a dialog, `Escape` to deny it); text goes
   * through the send methods.
   *
   * @param sessionId session id
   * @param keys tmux key names, pressed in order
   * @param options `signal`: stops the call
   */
  sendKeys(
    sessionId: string,
    keys: readonly string[],
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /**
   * The tmux command that puts a person's terminal on the session's window
   * (local only: the window is on the host the session runs on).
   *
   * @param sessionId session id
   * @param options `insideTmux`: the caller runs inside a tmux client
   * @returns the program and its arguments
   */
  attachCommand(
    sessionId: string,
    options?: { insideTmux?: boolean },
  ): Promise<string[]>;
  /**
   * The status of one session.
   *
   * @param sessionId session id
   */
  status(sessionId: string): Promise<SessionStatus>;
  /**
   * The path of the session's transcript, or `undefined` while it has none
   * yet (local only: the file is on the host the session runs on).
   *
   * @param sessionId session id
   */
  transcriptOf(sessionId: string): Promise<string | undefined>;
  /**
   * Follows the transcript live as {@linkcode AgentEvent}s (the one event
   * model of both agents) instead of raw records.
   *
   * @param sessionId session id
   * @param listener receives each event
   * @param options `fromOffset` to resume from a sentinel
   * @returns a function that stops it
   */
  getEventStream(
    sessionId: string,
    listener: (event: AgentEvent) => void,
    options?: StreamOptions,
  ): Promise<Unsubscribe>;
  /**
   * Kills the session's window and archives it. Its worktree, if it has
   * one, is removed when it holds nothing unmerged (its branch kept), else
   * kept and the result says where and why; `discard` removes it and its
   * branch whatever they hold.
   *
   * @param sessionId session id
   * @param options `discard`
   */
  terminateSession(
    sessionId: string,
    options?: TerminateOptions,
  ): Promise<TerminateResult>;
  /**
   * The session's changes against its worktree's base: committed,
   * uncommitted and untracked, as files and hunks and as `git diff` text.
   *
   * @param sessionId a session created with a worktree
   */
  diff(sessionId: string): Promise<SessionDiff>;
  /**
   * Commits what is uncommitted in the session's worktree, then merges its
   * branch into the branch checked out in the main tree. Refuses, changing
   * nothing, when the main tree has uncommitted changes or the merge would
   * conflict (it names the files).
   *
   * @param sessionId a session created with a worktree
   * @param options `squash`, `message`
   */
  merge(sessionId: string, options?: MergeOptions): Promise<SessionMerge>;
  /**
   * Starts a session whose window or tmux server is gone again, in the same
   * folder (and worktree), resuming the same agent conversation, under the
   * same id.
   *
   * @param sessionId a session whose agent no longer runs
   * @param options progress and warnings, as `createNewSession` takes them
   */
  revive(
    sessionId: string,
    options?: Pick<CreateSessionOptions, "onProgress" | "onWarning">,
  ): Promise<CreateSessionResult>;
  /**
   * Approves the dialog the session shows: checks it is the one named
   * (`dialog`; without it, the one up now, read in the same step), presses
   * the keys of the agent's "yes" choice (`always`: its "yes, and don't ask
   * again" one) and confirms the dialog closed. Another dialog or none:
   * refused with `dialog_changed` and the screen, nothing pressed.
   *
   * @param sessionId session id
   * @param options `dialog`, `always`, `signal`
   */
  approve(sessionId: string, options?: ApproveOptions): Promise<DialogAnswer>;
  /**
   * Denies the dialog the session shows, as {@linkcode approve} approves
   * it, with the agent's "no" choice; `reason` then goes to the agent as
   * what to do instead.
   *
   * @param sessionId session id
   * @param options `dialog`, `reason`, `signal`
   */
  deny(sessionId: string, options?: DenyOptions): Promise<DialogAnswer>;
}

/**
 * The name of one operation of {@linkcode SessionBackend} (its methods; not
 * `name` or `profile`).
 *
 * @example
 * ```ts
 * import type { SessionOperation } from "./contract.ts";
 * const op: SessionOperation = "sendKeys";
 * ```
 */
export type SessionOperation = Exclude<
  keyof SessionBackend,
  "name" | "profile"
>;
