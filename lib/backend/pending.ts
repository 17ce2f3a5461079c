/**
 * The follow-ups aimax queued behind a running turn and that have not
 * started yet, one small file per session in the data dir. `pause` reads it
 * to submit again, in order, what its interrupt took back: a caller who was
 * told a prompt was accepted never loses it silently. Read and written only
 * under the session's lock.
 *
 * @module
 */
import { join } from "../path.ts";
import type { AgentProfile } from "../agents/agent.ts";
import { readJsonl } from "../jsonl/reader.ts";
import { writeFileAtomic } from "../state.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";

/** One queued follow-up. */
export interface PendingPrompt {
  /** The sanitised prompt. */
  text: string;
  /** The transcript's end when it was queued: its start record comes later. */
  offset: number;
  /** ISO time it was queued. */
  queuedAt: string;
}

/**
 * The ledger file of one session.
 *
 * @param dataDir the data dir
 * @param options backend name and session id
 */
export function pendingPath(
  dataDir: string,
  options: { backend: string; sessionId: string },
): string {
  return join(
    dataDir,
    "pending",
    `${options.backend}.${options.sessionId}.json`,
  );
}

/**
 * The queued follow-ups of a session, oldest first (none when the file is
 * missing or unreadable: a damaged ledger must not block sending).
 *
 * @param path the ledger file
 */
export async function readPending(path: string): Promise<PendingPrompt[]> {
  try {
    const value = JSON.parse(await Deno.readTextFile(path));
    return Array.isArray(value)
      ? value.filter((p) =>
        typeof p?.text === "string" && typeof p?.offset === "number"
      )
      : [];
  } catch {
    return [];
  }
}

/**
 * Replaces the ledger (removes the file when empty).
 *
 * @param path the ledger file
 * @param prompts what is still queued
 */
export async function writePending(
  path: string,
  prompts: readonly PendingPrompt[],
): Promise<void> {
  if (prompts.length === 0) {
    await Deno.remove(path).catch(() => {});
    return;
  }
  await Deno.mkdir(join(path, ".."), {
    recursive: true,
    mode: PRIVATE_DIR_MODE,
  });
  await writeFileAtomic(path, JSON.stringify(prompts));
}

/**
 * The prompts that have not started a turn yet, judged from the transcript
 * after each one's offset.
 *
 * @param prompts the ledger
 * @param options the transcript and the agent that reads its records
 */
export async function notStarted(
  prompts: readonly PendingPrompt[],
  options: { jsonlPath: string | null; profile: AgentProfile },
): Promise<PendingPrompt[]> {
  if (prompts.length === 0 || !options.jsonlPath) return [...prompts];
  const from = Math.min(...prompts.map((p) => p.offset));
  const { entries } = await readJsonl(options.jsonlPath, { fromOffset: from });
  const left = [...prompts];
  for (const entry of entries) {
    const i = left.findIndex((p) =>
      entry.offset >= p.offset &&
      options.profile.promptRecord(entry.value, p.text) === "started"
    );
    if (i >= 0) left.splice(i, 1);
  }
  return left;
}
