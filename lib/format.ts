/**
 * Human-readable one-line summaries of transcript records, for the CLI.
 * Each agent profile reads its own record shapes; anything else shows its
 * type.
 *
 * @module
 */
import { AGENT_PROFILES } from "./agents/mod.ts";

/**
 * One line describing a transcript record.
 *
 * @example
 * ```ts
 * import { summarizeRecord } from "@aimax/cli";
 * summarizeRecord({ type: "user", message: { content: "hi" } }); // "user: hi"
 * ```
 * @param raw a parsed transcript line
 */
export function summarizeRecord(raw: unknown): string {
  if (!raw || typeof raw !== "object") return String(raw);
  const record = raw as Record<string, unknown>;
  for (const profile of AGENT_PROFILES) {
    const line = profile.summarize(record);
    if (line !== undefined) return line;
  }
  return String(record.type ?? "record");
}
