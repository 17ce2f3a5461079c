/**
 * Prepares an isolated `COPILOT_HOME` in which the real GitHub Copilot CLI
 * starts offline against the loopback Chat Completions stand-in
 * (`offline/openai_stub.ts`), and the environment that points it there.
 * These are test settings, the stand-in's: a real user's Copilot runs with
 * their own login and config (aimax forwards their `COPILOT_*` variables).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { copilotSettings } from "../lib/agents/copilot.ts";
import { startOpenAIStub } from "./openai_stub.ts";
import { NO_TEXTS, type TestKit } from "./test_kit.ts";

/** Options for {@linkcode prepareCopilotHome}. */
export interface CopilotHomeOptions {
  /** Base URL of the Chat Completions stand-in, ending in `/v1`. */
  baseUrl: string;
  /** The `HOME` to use (created when missing). */
  home: string;
  /**
   * Where Copilot unpacks its package on first run (~235 MB): a stable
   * directory shared by runs, so that each test world does not unpack it
   * again (never the user's `~/.cache`).
   */
  cacheHome: string;
  /** Model name Copilot sends (default `"stub-model"`). */
  model?: string;
  /** Folders recorded as trusted (default none: the dialog shows). */
  trustedFolders?: readonly string[];
  /**
   * Tools run without asking (`COPILOT_ALLOW_ALL=1`: tools only, the
   * folder-trust dialog still shows); default false: Copilot asks.
   */
  allowTools?: boolean;
}

/** The API key the stand-in is given (it checks none). */
export const COPILOT_STUB_KEY = "sk-aimax-copilot-stub";

/**
 * Writes `$COPILOT_HOME/config.json` (no trusted folder unless
 * `trustedFolders`, the start-up tip marked shown) and returns the
 * environment a `copilot` process needs: `HOME`, `COPILOT_HOME`,
 * `COPILOT_CACHE_HOME`, the `COPILOT_PROVIDER_*` variables of an OpenAI
 * provider at `baseUrl` (Chat Completions), `COPILOT_MODEL`, token limits
 * (an unknown model otherwise prints a notice), `COPILOT_OFFLINE=true`
 * (no look-ups of GitHub's servers), no auto-update, and with `allowTools`
 * `COPILOT_ALLOW_ALL=1`.
 *
 * @example
 * ```ts
 * import { prepareCopilotHome } from "./copilot_home.ts";
 * const env = await prepareCopilotHome("/tmp/w/copilot-home", {
 *   baseUrl: "http://127.0.0.1:4000/v1",
 *   home: "/tmp/w/home",
 *   cacheHome: "/tmp/copilot-cache",
 * });
 * ```
 * @param copilotHome directory to use as `COPILOT_HOME` (created if missing)
 * @param options the stand-in's URL, HOME, cache, model and trust
 * @returns environment variables to pass to the copilot process
 */
export async function prepareCopilotHome(
  copilotHome: string,
  options: CopilotHomeOptions,
): Promise<Record<string, string>> {
  await Deno.mkdir(copilotHome, { recursive: true });
  await Deno.mkdir(options.home, { recursive: true });
  await Deno.mkdir(options.cacheHome, { recursive: true });
  const config = {
    trustedFolders: [...options.trustedFolders ?? []],
    appTipShown: true,
  };
  await Deno.writeTextFile(
    join(copilotHome, "config.json"),
    JSON.stringify(config, null, 2) + "\n",
  );
  return {
    HOME: options.home,
    COPILOT_HOME: copilotHome,
    COPILOT_CACHE_HOME: options.cacheHome,
    COPILOT_PROVIDER_BASE_URL: options.baseUrl,
    COPILOT_PROVIDER_TYPE: "openai",
    COPILOT_PROVIDER_API_KEY: COPILOT_STUB_KEY,
    COPILOT_PROVIDER_MAX_PROMPT_TOKENS: "100000",
    COPILOT_PROVIDER_MAX_OUTPUT_TOKENS: "8000",
    COPILOT_MODEL: options.model ?? "stub-model",
    COPILOT_OFFLINE: "true",
    COPILOT_AUTO_UPDATE: "false",
    ...(options.allowTools ? { COPILOT_ALLOW_ALL: "1" } : {}),
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
  };
}

/**
 * Where the test kit lets Copilot unpack its package: the project's
 * `.work/copilot-cache` (git-ignored), shared by every test world so that
 * the ~235 MB are unpacked once, never in the user's `~/.cache`.
 */
export const COPILOT_TEST_CACHE = fileURLToPath(
  new URL("../.work/copilot-cache", import.meta.url),
);

/**
 * GitHub Copilot CLI's offline test kit: the Chat Completions stand-in
 * (`openai_stub.ts`) and a per-world `COPILOT_HOME` without trusted
 * folders; tools run without asking unless `approvals`.
 */
export const copilotKit: TestKit = {
  backend: "tmux-copilot",
  bin: "copilot",
  npm: "@github/copilot",
  transcripts: (config) =>
    join(copilotSettings(config).copilotHome, "session-state"),
  recordTexts(record) {
    // deno-lint-ignore no-explicit-any
    const r = record as any;
    if (r?.type === "user.message" && typeof r.data?.content === "string") {
      return { user: [r.data.content], assistant: [] };
    }
    if (r?.type === "assistant.message" && r.data?.content) {
      return { user: [], assistant: [String(r.data.content)] };
    }
    return NO_TEXTS;
  },
  async start({ root, home, approvals }) {
    const stub = await startOpenAIStub();
    const env = await prepareCopilotHome(join(root, "copilot-home"), {
      baseUrl: stub.baseUrl,
      home,
      cacheHome: COPILOT_TEST_CACHE,
      allowTools: !approvals,
    });
    return { stub, env };
  },
};
