/**
 * Snapshot files for the renderers: the expected text lives in
 * `tests/fixtures/render/<name>.txt`; `UPDATE_SNAPSHOTS=1 deno test -A
 * tests/render/` writes them anew (review the diff before checking in).
 *
 * @module
 */
import type { AgentName } from "../../offline/kits.ts";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import type { JsonlEntry } from "../../lib/jsonl/lines.ts";
import { readJsonl } from "../../lib/jsonl/reader.ts";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);

/** The folder of the snapshot files. */
export const SNAPSHOT_DIR = join(ROOT, "tests", "fixtures", "render");

/**
 * Asserts that `lines` (joined by newlines) equal the snapshot `name`, or
 * writes it when `UPDATE_SNAPSHOTS=1`.
 *
 * @param name the file's name without `.txt`
 * @param lines the rendered lines
 */
export async function assertSnapshot(
  name: string,
  lines: readonly string[],
): Promise<void> {
  const path = join(SNAPSHOT_DIR, `${name}.txt`);
  const actual = lines.join("\n") + "\n";
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.mkdir(SNAPSHOT_DIR, { recursive: true });
    await Deno.writeTextFile(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch {
    throw new Error(
      `no snapshot ${path}: run UPDATE_SNAPSHOTS=1 deno test -A tests/render/`,
    );
  }
  assert.equal(
    actual,
    expected,
    `snapshot ${name} (UPDATE_SNAPSHOTS=1 to rewrite)`,
  );
}

/**
 * A recorded transcript (`tests/fixtures/transcripts/<agent>.jsonl`) read
 * the way `history` reads one.
 *
 * @param agent an agent's short name
 */
export async function transcriptEntries(
  agent: AgentName,
): Promise<JsonlEntry[]> {
  const path = join(ROOT, "tests", "fixtures", "transcripts", `${agent}.jsonl`);
  return (await readJsonl(path)).entries;
}
