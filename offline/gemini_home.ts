/**
 * Prepares an isolated `GEMINI_CLI_HOME` in which the real Gemini CLI TUI
 * starts offline against a loopback model server: the stand-in kit's
 * settings, never aimax's defaults for a real user.
 *
 * @module
 */

import { join } from "node:path";
import { geminiHooks, geminiSettings } from "../lib/agents/gemini.ts";
import { startGeminiStub } from "./gemini_stub.ts";
import { blockTexts, NO_TEXTS, type TestKit } from "./test_kit.ts";

/** Options for {@linkcode prepareGeminiHome}. */
export interface GeminiHomeOptions {
  /** The model server's origin (`GOOGLE_GEMINI_BASE_URL`). */
  baseUrl: string;
  /** The `HOME` to use (created when missing). */
  home: string;
  /** Shell commands need a person's approval (default: they run unasked). */
  approvals?: boolean;
  /**
   * aimax's hooks in the settings file, as a user adds them by hand (the
   * README's Gemini CLI section; default true): aimax's per-run settings
   * layer is read only from root-owned folders, which a temp dir is not.
   */
  aimaxHooks?: boolean;
}

/** The API key the kit sends (the stand-in accepts any). */
export const GEMINI_TEST_KEY = "AIza-aimax-test-key-0123456789";

/** The model the kit's sessions use: naming one avoids "Auto"'s routing call. */
export const GEMINI_TEST_MODEL = "gemini-2.5-pro";

/**
 * Writes `<geminiCliHome>/.gemini/settings.json`: API-key auth, no usage
 * statistics, no update check or notice, session retention off (0.61.0
 * otherwise deletes a resumed session's transcripts at the next start),
 * no tips or banner, the model named, aimax's hooks (unless `aimaxHooks`
 * is false). Returns the environment a `gemini`
 * process needs (`HOME`, `GEMINI_CLI_HOME`, `GEMINI_API_KEY`,
 * `GOOGLE_GEMINI_BASE_URL`, `GEMINI_CLI_TRUST_WORKSPACE=true`).
 *
 * @param geminiCliHome the directory to use as `GEMINI_CLI_HOME`
 * @param options the model server, HOME and approvals
 * @returns environment variables for `gemini`
 */
export async function prepareGeminiHome(
  geminiCliHome: string,
  options: GeminiHomeOptions,
): Promise<Record<string, string>> {
  await Deno.mkdir(`${geminiCliHome}/.gemini`, { recursive: true });
  await Deno.mkdir(options.home, { recursive: true });
  const settings = {
    security: { auth: { selectedType: "gemini-api-key" } },
    privacy: { usageStatisticsEnabled: false },
    general: {
      enableAutoUpdate: false,
      enableAutoUpdateNotification: false,
      sessionRetention: { enabled: false },
    },
    ui: { hideTips: true },
    model: { name: GEMINI_TEST_MODEL },
    ...(options.aimaxHooks ?? true ? { hooks: geminiHooks() } : {}),
  };
  await Deno.writeTextFile(
    `${geminiCliHome}/.gemini/settings.json`,
    JSON.stringify(settings, null, 2) + "\n",
  );
  return {
    HOME: options.home,
    GEMINI_CLI_HOME: geminiCliHome,
    GEMINI_API_KEY: GEMINI_TEST_KEY,
    GOOGLE_GEMINI_BASE_URL: options.baseUrl,
    GEMINI_CLI_TRUST_WORKSPACE: "true",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
  };
}

/**
 * Gemini CLI's offline test kit: the Gemini API stand-in and a
 * `GEMINI_CLI_HOME` under the world's root (with aimax's hooks; shell
 * commands ask first with `approvals`).
 */
export const geminiKit: TestKit = {
  backend: "tmux-gemini",
  bin: "gemini",
  npm: "@google/gemini-cli",
  transcripts: (config) =>
    join(geminiSettings(config).geminiHome, ".gemini", "tmp"),
  recordTexts(record) {
    // deno-lint-ignore no-explicit-any
    const r = record as any;
    // A user record holding a tool's response is not a prompt; the first
    // one is the session's context.
    if (
      r?.type === "user" && Array.isArray(r.content) &&
      !r.content.some((c: { functionResponse?: unknown }) =>
        c?.functionResponse
      )
    ) {
      const text = blockTexts(r.content).join("\n");
      return text.startsWith("<session_context>")
        ? NO_TEXTS
        : { user: [text], assistant: [] };
    }
    // A model message is written again with its tool calls: read once.
    if (r?.type === "gemini" && !r.toolCalls) {
      return { user: [], assistant: blockTexts(r.content) };
    }
    return NO_TEXTS;
  },
  async start({ root, home, approvals }) {
    const stub = await startGeminiStub();
    const env = await prepareGeminiHome(join(root, "gemini-home"), {
      baseUrl: stub.url,
      home,
      approvals,
    });
    // Without approvals, commands must run unasked, `rm -f` too: Gemini
    // CLI asks for a command it deems dangerous in every mode but YOLO,
    // which it takes only as a flag (aimax's bypass mode).
    const createArgs = approvals
      ? []
      : ["--permission-mode", "bypass", "--allow-bypass"];
    return { stub, env, createArgs };
  },
};
