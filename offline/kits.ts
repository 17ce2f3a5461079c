/**
 * Every agent's offline test kit, by short name (its profile's
 * `shortName`): a new agent adds one line here.
 *
 * @module
 */
import { claudeKit } from "./claude_home.ts";
import { codexKit } from "./codex_home.ts";
import { copilotKit } from "./copilot_home.ts";
import { geminiKit } from "./gemini_home.ts";
import type { TestKit } from "./test_kit.ts";

export type { LoopbackStub, TestKit } from "./test_kit.ts";

/** The kits, in the registry's order. */
export const TEST_KITS = {
  claude: claudeKit,
  codex: codexKit,
  copilot: copilotKit,
  gemini: geminiKit,
} as const satisfies Record<string, TestKit>;

/** An agent's short name, as tests name it. */
export type AgentName = keyof typeof TEST_KITS;

/**
 * The variable that names another binary of `agent` for the tests
 * (`AIMAX_TEST_CODEX_BIN`): `deno task compat` points it at the latest
 * release.
 *
 * @param agent an agent's short name
 */
export function testBinVar(agent: AgentName): string {
  return `AIMAX_TEST_${agent.toUpperCase()}_BIN`;
}

/** Every agent that has a kit, in the registry's order. */
export const AGENTS: readonly AgentName[] = Object.keys(
  TEST_KITS,
) as AgentName[];
