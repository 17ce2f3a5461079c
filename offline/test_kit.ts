/**
 * What tests, benches and the demo need to run one agent offline: its
 * program, its loopback model stand-in and a HOME prepared for it. Each
 * agent's kit sits beside its stand-in (`offline/<agent>_home.ts`) and is
 * registered in one table, `offline/kits.ts`.
 *
 * @module
 */
import type { TmuxAgentsConfig } from "../lib/config_types.ts";
import type { RecordedRequest } from "./recorded_request.ts";

/** A loopback model server an agent is pointed at. */
export interface LoopbackStub {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** User prompt texts seen in main (non-title) requests, in order. */
  prompts(): string[];
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * What one transcript record says, read by a test kit on its own (not by
 * aimax's reader, which the tests check): the person's prompts and the
 * agent's answers it holds.
 */
export interface RecordTexts {
  /** Prompts a person typed or pasted, as typed. */
  user: string[];
  /** Text the agent answered with. */
  assistant: string[];
}

/** A record read as saying nothing. */
export const NO_TEXTS: RecordTexts = Object.freeze({
  user: [],
  assistant: [],
}) as RecordTexts;

/**
 * The strings in a content value: itself when a string, else the `text` of
 * each block of an array.
 *
 * @param content a record's content
 */
export function blockTexts(content: unknown): string[] {
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  return content.filter((c) => typeof c?.text === "string").map((c) =>
    c.text as string
  );
}

/** One agent's offline test kit. */
export interface TestKit {
  /** The agent's backend name (its profile's `name`). */
  backend: string;
  /** Its program's name under `node_modules/.bin` (pinned by `npm ci`). */
  bin: string;
  /** The npm package that installs the program (pinned in `tools/package.json`). */
  npm: string;
  /**
   * The folder its transcripts appear under (benches watch it).
   *
   * @param config the world's config
   */
  transcripts(config: TmuxAgentsConfig): string;
  /**
   * The prompts and answers one record of its transcript holds
   * ({@linkcode NO_TEXTS} for a record of another agent's shape).
   *
   * @param record one parsed JSONL line
   */
  recordTexts(record: unknown): RecordTexts;
  /**
   * Starts its stand-in and prepares `home` (and anything else under
   * `root`) for it; returns the stand-in and the environment the agent's
   * window needs.
   *
   * @param options `root`: the world's temp root; `home`: its HOME;
   * `approvals`: tools need a person's approval
   */
  start(options: {
    root: string;
    home: string;
    approvals?: boolean;
  }): Promise<{
    stub: LoopbackStub;
    env: Record<string, string>;
    /**
     * `aimax create` options the kit's sessions need beside the
     * environment (e.g. a mode the agent takes only as a flag).
     */
    createArgs?: string[];
  }>;
}
