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

/** Every agent that has a kit, in the registry's order. */
export const AGENTS: readonly AgentName[] = Object.keys(
  TEST_KITS,
) as AgentName[];
