/**
 * Prepares an isolated HOME in which the real Claude Code TUI starts offline
 * against a loopback model server.
 *
 * @module
 */

import { claudeSettings, unwrapPasted } from "../lib/agents/claude.ts";
import { startAnthropicStub } from "./anthropic_stub.ts";
import { blockTexts, NO_TEXTS, type TestKit } from "./test_kit.ts";

/** Options for {@linkcode prepareClaudeHome}. */
export interface ClaudeHomeOptions {
  /** The model server's base URL (`ANTHROPIC_BASE_URL`). */
  baseUrl: string;
  /** The API key to send and pre-approve (a fixed test key by default). */
  apiKey?: string;
  /** Whether `~/.claude/settings.json` allows the Bash tool (default true). */
  allowBash?: boolean;
}

const DEFAULT_API_KEY = "sk-ant-api03-aimax-test-key-0123456789abcdefghij";

/**
 * Writes an onboarded user's ~/.claude.json (hasCompletedOnboarding,
 * customApiKeyResponses.approved with the key's last 20 chars, NO trust for
 * any project) and ~/.claude/settings.json (permissions allowing Bash when
 * allowBash, default true) under `home`, and returns the environment a
 * claude process needs (HOME, ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY,
 * DISABLE_AUTOUPDATER=1, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1,
 * CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL=1 and a few more
 * switches that keep it quiet and offline).
 *
 * @param home the directory to use as HOME; created when missing.
 * @param options the model server and key settings.
 * @returns the environment variables to set for `claude`.
 */
export async function prepareClaudeHome(
  home: string,
  options: ClaudeHomeOptions,
): Promise<Record<string, string>> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const allowBash = options.allowBash ?? true;
  await Deno.mkdir(`${home}/.claude`, { recursive: true });
  const config = {
    numStartups: 1,
    hasCompletedOnboarding: true,
    lastOnboardingVersion: "2.1.197",
    customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] },
    bypassPermissionsModeAccepted: true,
    autoUpdates: false,
    projects: {},
  };
  await Deno.writeTextFile(
    `${home}/.claude.json`,
    JSON.stringify(config, null, 2) + "\n",
  );
  const settings = {
    // Auto mode off (Claude Code 2.1.332 starts in it by default): its
    // safety check runs on Anthropic's side, which a loopback model cannot
    // answer, so every checked tool call would stop at a dialog. With only
    // "defaultMode": "default", 2.1.332 offers auto mode at start-up instead
    // ("Make auto mode your default permission mode?").
    permissions: {
      defaultMode: "default",
      disableAutoMode: "disable",
      allow: allowBash ? ["Bash"] : [],
      deny: [],
    },
    autoUpdates: false,
  };
  await Deno.writeTextFile(
    `${home}/.claude/settings.json`,
    JSON.stringify(settings, null, 2) + "\n",
  );
  return {
    HOME: home,
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: apiKey,
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: "1",
    TERM: "xterm-256color",
  };
}

/** Claude Code's offline kit: the Anthropic stand-in and a prepared HOME. */
export const claudeKit: TestKit = {
  backend: "tmux-claude-code",
  bin: "claude",
  npm: "@anthropic-ai/claude-code",
  transcripts: (config) => claudeSettings(config).claudeProjectsDir,
  recordTexts(record) {
    // deno-lint-ignore no-explicit-any
    const r = record as any;
    // A prompt is a string (a long paste wrapped in `<pasted_content>`,
    // read as the text pasted); an array is a tool's result.
    if (r?.type === "user" && typeof r.message?.content === "string") {
      return { user: [unwrapPasted(r.message.content)], assistant: [] };
    }
    if (r?.type === "assistant") {
      return { user: [], assistant: blockTexts(r.message?.content) };
    }
    return NO_TEXTS;
  },
  async start({ home, approvals }) {
    const stub = await startAnthropicStub();
    const env = await prepareClaudeHome(home, {
      baseUrl: stub.url,
      allowBash: !approvals,
    });
    return { stub, env };
  },
};
