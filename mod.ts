/**
 * aimax drives the real interactive TUIs of Claude Code and OpenAI Codex
 * inside tmux: prompts go in through bracketed paste, output comes from
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
 * `aimax` CLI.
 *
 * @module
 */
import { main } from "./cli.ts";

export { get, resetBackends, SUPPORTED_BACKENDS } from "./lib/registry.ts";
export {
  type AgentBackend,
  type BackendTimings,
  type CreateSessionOptions,
  type CreateSessionResult,
  DEFAULT_TIMINGS,
  type Delivery,
  type HistoryOptions,
  type SendOptions,
  type SendResult,
  type SessionBackend,
  type SessionStatus,
  type StreamOptions,
  type TerminateResult,
  type ThoughtListener,
  TmuxAgentBackend,
  type TurnOutcome,
  type WaitOptions,
} from "./lib/backend/mod.ts";
export type {
  SessionState,
  SignalEvent,
  StateReading,
} from "./lib/signals/state.ts";
export {
  type AgentEvent,
  type AgentEventBody,
  EventNormalizer,
  type RecordLinks,
} from "./lib/signals/events.ts";
export { subscribeEvents, type SubscribeOptions } from "./lib/follow.ts";
export {
  serve,
  type ServeHandle,
  type ServeOptions,
} from "./lib/serve/server.ts";
export type { ServeToken } from "./lib/serve/token.ts";
export { FRONT_LIMITS, type FrontLimits } from "./lib/serve/front.ts";
export {
  backendOf,
  getState,
  listAllSessions,
  waitForTurn,
} from "./lib/sessions.ts";
export {
  type DoctorCheck,
  type DoctorOptions,
  runDoctor,
  versionCheck,
} from "./lib/doctor.ts";
export type {
  AgentProfile,
  DialogPurpose,
  Discovery,
  DiscoveryRequest,
  LaunchPlan,
  LaunchRequest,
  PaneState,
  PromptRecordKind,
  SignalsBlock,
} from "./lib/agents/agent.ts";
export {
  compareVersions,
  formatTestedRange,
  type TestedRange,
  untestedVersion,
  type VersionPlace,
  versionPlace,
} from "./lib/agents/tested_range.ts";
export {
  CLAUDE_PERMISSION_MODES,
  claudeDefaultPermission,
  claudeProfile,
  encodeClaudeProjectDir,
  mergeClaudeHooks,
} from "./lib/agents/claude.ts";
export {
  CODEX_PERMISSION_ARGS,
  codexDefaultPermission,
  codexModeWord,
  codexProfile,
  codexUserNotify,
  execOutput,
} from "./lib/agents/codex.ts";
export {
  formatPermission,
  MAX_AGENT_ARG_LENGTH,
  MAX_AGENT_ARGS,
  type OwnedArg,
  PERMISSION_MODES,
  type PermissionMode,
  type SessionPermission,
  validateAgentArgs,
  validatePermissionMode,
} from "./lib/agents/options.ts";
export {
  CONFIG_ENV_VARS,
  type ConfigEnvVar,
  configFromEnv,
  type ConfigSection,
  type ConfigShowRow,
  describeConfig,
  type EnvReader,
  getConfig,
  setConfig,
  type TmuxAgentsConfig,
} from "./lib/config.ts";
export * from "./lib/errors.ts";
export {
  MAX_PROMPT_BYTES,
  sanitizePrompt,
  validateSessionId,
} from "./lib/inputs.ts";
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
export { type FlagPaths, flagPaths } from "./lib/flags.ts";
export {
  type PromptPasteEvent,
  type PromptRecorder,
  setRecorder,
} from "./lib/recorder.ts";
export { permissionFlags, type PermissionOptions } from "./lib/permissions.ts";
export type { ArchivedSession, SessionRecord } from "./lib/state.ts";
export {
  type NewWindowOptions,
  type NewWindowResult,
  type PaneInfo,
  TmuxClient,
  type TmuxClientOptions,
  type TmuxRun,
} from "./lib/tmux/mod.ts";
export { summarizeRecord } from "./lib/format.ts";
export { VERSION } from "./lib/version.ts";
export { type CliIo, EXIT, main } from "./cli.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
