/**
 * Prepares an isolated `CODEX_HOME` that points Codex at a loopback model
 * server and silences everything that would interrupt a scripted TUI run.
 *
 * @module
 */

import { join } from "node:path";
import { stringify } from "smol-toml";
import { codexSettings } from "../lib/agents/codex.ts";
import { startOpenAIStub } from "./openai_stub.ts";
import { blockTexts, NO_TEXTS, type TestKit } from "./test_kit.ts";

/** Options for {@linkcode prepareCodexHome}. */
export interface CodexHomeOptions {
  /** Base URL of the Responses API stand-in, ending in `/v1`. */
  baseUrl: string;
  /** Model name Codex should use (default `"gpt-5.5"`). */
  model?: string;
  /** Allow `rm -f …` through Codex's exec policy. */
  allowRm?: boolean;
  /** `approval_policy` (default `"never"`: commands run without asking). */
  approvalPolicy?: "never" | "on-request" | "on-failure" | "untrusted";
  /** `sandbox_mode` (default `"danger-full-access"`). */
  sandboxMode?: "danger-full-access" | "workspace-write" | "read-only";
}

/** Name of the environment variable holding the mock provider's API key. */
export const MOCK_API_KEY_ENV = "AIMAX_MOCK_API_KEY";

/**
 * Writes $CODEX_HOME/config.toml with the mock provider and every quiet-start
 * setting that is needed (no update check, no analytics,
 * daemon_auto_start=false, no tooltips/animations, model-migration notice
 * suppressed, approvals/sandbox set so exec runs without asking unless
 * `approvalPolicy`/`sandboxMode` say otherwise),
 * rules/default.rules allowing `rm -f` when allowRm, and returns the env a
 * codex process needs (HOME, CODEX_HOME, any API-key env var the provider's
 * env_key requires, etc.). It must NOT mark any project as trusted.
 *
 * @param codexHome directory to use as `CODEX_HOME` (created if missing).
 * @param options provider URL, model, rm policy and the `HOME` to use.
 * @returns environment variables to pass to the codex process.
 */
export async function prepareCodexHome(
  codexHome: string,
  options: CodexHomeOptions & { home: string },
): Promise<Record<string, string>> {
  const model = options.model ?? "gpt-5.5";
  await Deno.mkdir(codexHome, { recursive: true });
  await Deno.mkdir(options.home, { recursive: true });
  const config = {
    model,
    model_provider: "mock",
    approval_policy: options.approvalPolicy ?? "never",
    sandbox_mode: options.sandboxMode ?? "danger-full-access",
    check_for_update_on_startup: false,
    file_opener: "none",
    model_providers: {
      mock: {
        name: "Mock",
        base_url: options.baseUrl,
        wire_api: "responses",
        env_key: MOCK_API_KEY_ENV,
        request_max_retries: 0,
        stream_max_retries: 0,
      },
    },
    analytics: { enabled: false },
    features: { daemon_auto_start: false },
    history: { persistence: "none" },
    tui: {
      screen_reader_detection_done: true,
      show_tooltips: false,
      animations: false,
      notifications: false,
    },
    notice: {
      hide_full_access_warning: true,
      hide_world_writable_warning: true,
      hide_rate_limit_model_nudge: true,
      // Value = the model Codex 0.169 offers instead ("Meet GPT-6 Sol" modal).
      model_migrations: { "gpt-5.5": "gpt-6-sol", [model]: "gpt-6-sol" },
    },
  };
  await Deno.writeTextFile(`${codexHome}/config.toml`, stringify(config));
  if (options.allowRm) {
    await Deno.mkdir(`${codexHome}/rules`, { recursive: true });
    await Deno.writeTextFile(
      `${codexHome}/rules/default.rules`,
      'prefix_rule(pattern = ["rm", "-f"], decision = "allow")\n',
    );
  }
  return {
    HOME: options.home,
    CODEX_HOME: codexHome,
    [MOCK_API_KEY_ENV]: "sk-aimax-mock",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    NO_UPDATE_NOTIFIER: "1",
  };
}

/** Codex's offline kit: the Responses API stand-in and a prepared CODEX_HOME. */
export const codexKit: TestKit = {
  backend: "tmux-codex",
  bin: "codex",
  npm: "@openai/codex",
  transcripts: (config) => codexSettings(config).codexSessionsDir,
  recordTexts(record) {
    // deno-lint-ignore no-explicit-any
    const r = record as any;
    if (r?.type !== "event_msg" || r.payload?.type !== "item_completed") {
      return NO_TEXTS;
    }
    const item = r.payload.item;
    if (item?.type === "UserMessage") {
      return { user: [blockTexts(item.content).join("\n")], assistant: [] };
    }
    if (item?.type === "AgentMessage") {
      return { user: [], assistant: blockTexts(item.content) };
    }
    return NO_TEXTS;
  },
  async start({ root, home, approvals }) {
    const stub = await startOpenAIStub();
    const env = await prepareCodexHome(join(root, "codex-home"), {
      baseUrl: stub.baseUrl,
      home,
      allowRm: true,
      ...(approvals
        ? { approvalPolicy: "on-request", sandboxMode: "workspace-write" }
        : {}),
    });
    return { stub, env };
  },
};
