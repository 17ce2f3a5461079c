/**
 * The end-to-end suite against the real GitHub Copilot CLI TUI (pinned
 * 1.0.102), offline against the Chat Completions stand-in.
 */
import { defineE2eSuite } from "./support/e2e_suite.ts";

defineE2eSuite("copilot");
