/**
 * aimax drives the real interactive TUIs of Claude Code and OpenAI Codex
 * inside tmux: prompts go in through bracketed paste, output comes from
 * tailing the JSONL transcript each agent writes, and sessions live in tmux
 * windows plus a small state file, so they outlive the process that made
 * them.
 *
 * ```ts ignore
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

export * from "./lib/errors.ts";
export * from "./lib/config.ts";
export * from "./lib/inputs.ts";
export * from "./lib/tmux.ts";
export * from "./lib/bus.ts";
export * from "./lib/lock.ts";
export * from "./lib/state.ts";
export * from "./lib/flags.ts";
export * from "./lib/recorder.ts";
export * from "./lib/preflight.ts";
export * from "./lib/format.ts";
export * from "./lib/version.ts";
export type { JsonlEntry } from "./lib/jsonl/lines.ts";
export {
  type JsonlReadResult,
  readJsonl,
  type ReadJsonlOptions,
} from "./lib/jsonl/reader.ts";
export {
  type JsonlListener,
  type JsonlResetReason,
  JsonlTail,
  type JsonlTailOptions,
  sharedWatcherCount,
  type Unsubscribe,
  watchJsonl,
  type WatchJsonlOptions,
} from "./lib/jsonl/watcher.ts";
export * from "./lib/agents/agent.ts";
export {
  claudeProfile,
  claudeTranscriptPath,
  encodeClaudeProjectDir,
  recordClaudeTrust,
} from "./lib/agents/claude.ts";
export {
  codexProfile,
  codexTrustOverride,
  discoverCodexThread,
  findCodexRollout,
} from "./lib/agents/codex.ts";
export * from "./lib/backend.ts";
export * from "./lib/registry.ts";
export * from "./lib/permissions.ts";
export * from "./lib/terminal.ts";
export * from "./lib/completion.ts";
export { main } from "./cli.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
