/**
 * aimax drives the real interactive TUIs of coding agents (Claude Code,
 * OpenAI Codex, GitHub Copilot CLI, Gemini CLI) inside tmux: prompts go in through bracketed paste, output comes from
 * tailing the JSONL transcript each agent writes, and sessions live in tmux
 * windows plus a small state file, so they outlive the process that made
 * them.
 *
 * ```ts
 * import { get } from "jsr:@aimax/cli";
 * const backend = get("tmux-claude-code");
 * const handle = await backend.createNewSession({
 *   sessionId: "demo-1",
 *   cwd: "/tmp/sandbox",
 *   initialPrompt: "Make a hello.py that prints hi.",
 * });
 * const stop = await backend.getAgentRawThoughtStream("demo-1", (raw) => {
 *   console.log(raw);
 * });
 * await backend.noPauseCurrentAndQueueQueryAtSession({
 *   sessionId: "demo-1",
 *   prompt: "Also add a README.",
 * });
 * await stop();
 * await backend.terminateSession("demo-1");
 * ```
 *
 * Run as a program (`deno run -A jsr:@aimax/cli …`), this module is the
 * `aimax` CLI; imported, it is the library alone (the CLI's modules load only
 * when it runs as a program).
 *
 * @module
 */

// The public API and nothing else: what the engine uses only internally
// stays in lib/ (tests/mod_test.ts pins the list of names; change it, and
// the README's API section, deliberately).

// Backends: the factory and its names, the contracts the backends implement
// (AgentBackend, the reference's; SessionBackend, the whole surface), the
// backend class `get()` returns, and their options and results.
export { get, resetBackends, SUPPORTED_BACKENDS } from "./lib/registry.ts";
export {
  type AgentBackend,
  type ApproveOptions,
  type BackendTimings,
  type CreateSessionOptions,
  type CreateSessionResult,
  type Delivery,
  type DenyOptions,
  type DialogAnswer,
  type HistoryOptions,
  type MergeOptions,
  type SendOptions,
  type SendResult,
  type SessionBackend,
  type SessionDiff,
  type SessionMerge,
  type SessionStatus,
  type StreamOptions,
  type TerminateOptions,
  type TerminateResult,
  type ThoughtListener,
  TmuxAgentBackend,
  type TurnOutcome,
  type WaitOptions,
  type WorktreeOptions,
  type WorktreeOutcome,
} from "./lib/backend/mod.ts";
// Worktrees: what a session's own worktree is, and its diff and merge.
export type { SessionWorktree } from "./lib/state.ts";
export type { WorktreeDiff } from "./lib/worktree/diff.ts";
export type { MergeResult } from "./lib/worktree/merge.ts";
export type { DiffHunk, FileDiff, FileStatus } from "./lib/worktree/patch.ts";
export type { PermissionMode, SessionPermission } from "./lib/agent_options.ts";
export { PERMISSION_MODES } from "./lib/agent_options.ts";
export type { SessionRules } from "./lib/rules.ts";
export type {
  DialogInfo,
  SessionState,
  SignalEvent,
  StateReading,
} from "./lib/signals/session_state.ts";
// Dialogs: why one is up and its choices (`approve`, `deny`).
export type {
  ChoiceKind,
  DialogChoice,
  DialogPurpose,
} from "./lib/signals/screen.ts";
export type { SessionRecord } from "./lib/state.ts";

// Session-level calls that find a session's backend themselves.
export { backendOf, getState, waitForTurn } from "./lib/sessions.ts";
export { listAllSessions } from "./lib/listing.ts";

// Configuration.
export {
  type AgentSettings,
  configFromEnv,
  type ConfigOverrides,
  type EnvReader,
  getConfig,
  setConfig,
  type TmuxAgentsConfig,
} from "./lib/config.ts";

// The event model.
export type { AgentEvent, AgentEventBody } from "./lib/signals/events.ts";
export { subscribeEvents, type SubscribeOptions } from "./lib/follow.ts";

// JSONL tools.
export type { JsonlEntry } from "./lib/jsonl/lines.ts";
export {
  type JsonlReadResult,
  readJsonl,
  type ReadJsonlOptions,
} from "./lib/jsonl/reader.ts";
export type { JsonlListener, JsonlResetReason } from "./lib/jsonl/tail.ts";
export {
  type Unsubscribe,
  watchJsonl,
  type WatchJsonlOptions,
} from "./lib/jsonl/watcher.ts";
export { summarizeRecord } from "./lib/format.ts";

// The server.
export {
  serve,
  type ServeHandle,
  type ServeOptions,
} from "./lib/serve/server.ts";
export type { ServeToken } from "./lib/serve/token.ts";
export { FRONT_LIMITS, type FrontLimits } from "./lib/serve/front.ts";

// Errors: every class of lib/errors.ts and the codes they carry
// (tests/mod_test.ts lists them); the table of codes (ERRORS) is the
// engine's.
export {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  type ErrorCode,
  InputError,
  NoInputBoxError,
  PreflightError,
  SessionExistsError,
  SessionNotFoundError,
  StateCorruptError,
  TmuxError,
  UsageError,
} from "./lib/errors.ts";

// The paste recorder and the version.
export {
  type PromptPasteEvent,
  type PromptRecorder,
  setRecorder,
} from "./lib/recorder.ts";
export { VERSION } from "./lib/version.ts";

// The CLI, only when this module is the program (cli.ts is the fast entry).
if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
