/**
 * Nothing seen is unpublished: what any aimax process observed of a
 * session (a `wait` that returned at a dialog, a `send` refused at one, a
 * `status`, a follower's own look) is appended to the session's
 * observations file, which every follower (`events`, `notify`, `serve`)
 * tails. A dialog answered within a follower's one-second look is still
 * published, once: only the process that gives a dialog its id appends it
 * (see `lib/backend/dialogs.ts`), and followers skip an id they told.
 *
 * The file stays small: past {@linkcode MAX_OBSERVATIONS_BYTES} it is
 * replaced by its last {@linkcode KEPT_OBSERVATIONS} lines, under a lock
 * that every writer takes, so no append is lost to the replacement.
 *
 * @module
 */
import { dirname, join } from "../path.ts";
import { withFileLock } from "../lock.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../private.ts";
import type { DialogInfo } from "./session_state.ts";

/**
 * One observation: a session seen waiting on a person, with the dialog's
 * id, text and choices as the observer read them.
 *
 * @example
 * ```ts
 * import type { Observation } from "./observations.ts";
 * const seen: Observation = {
 *   at: Date.now(),
 *   state: "awaiting_input",
 *   reason: "a permission dialog",
 *   dialog: "Run npm test?",
 *   dialogInfo: { id: "3f9a1c0e.mi4x2k1a", purpose: "permission", choices: [] },
 * };
 * ```
 */
export interface Observation {
  /** When it was seen (ms since epoch). */
  at: number;
  /** The state seen. */
  state: "awaiting_input";
  /** Why, in a few words. */
  reason: string;
  /** What the dialog asks. */
  dialog: string;
  /** The dialog: its id, purpose, what it asks about, its choices. */
  dialogInfo: DialogInfo;
}

/** Past this size the observations file keeps only its last lines. */
export const MAX_OBSERVATIONS_BYTES = 64 * 1024;

/** How many lines a shortened observations file keeps. */
export const KEPT_OBSERVATIONS = 8;

/** The longest dialog text an observation carries (a screen is smaller). */
const MAX_DIALOG_CHARS = 16 * 1024;

/**
 * Appends an observation to a session's observations file (created
 * private), under the file's lock; a file grown past
 * {@linkcode MAX_OBSERVATIONS_BYTES} is first replaced by its last
 * {@linkcode KEPT_OBSERVATIONS} lines.
 *
 * @example
 * ```ts
 * import { join } from "../path.ts";
 * import { publishObservation } from "./observations.ts";
 * const path = join(await Deno.makeTempDir(), "s1.observed.jsonl");
 * await publishObservation(path, {
 *   at: Date.now(), state: "awaiting_input", reason: "a dialog", dialog: "Go?",
 *   dialogInfo: { id: "0a1b2c3d.x", purpose: "other", choices: [] },
 * }, { lockTimeoutMs: 5_000 });
 * ```
 * @param path the session's observations file
 * @param observation what was seen
 * @param options how long to wait for the file's lock
 */
export async function publishObservation(
  path: string,
  observation: Observation,
  options: { lockTimeoutMs: number },
): Promise<void> {
  const line = JSON.stringify({
    ...observation,
    dialog: observation.dialog.slice(0, MAX_DIALOG_CHARS),
  }) + "\n";
  await Deno.mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  await withFileLock(`${path}.lock`, async () => {
    const size = await Deno.stat(path).then((s) => s.size, () => 0);
    if (size > MAX_OBSERVATIONS_BYTES) await keepLast(path);
    await Deno.writeTextFile(path, line, {
      append: true,
      mode: PRIVATE_FILE_MODE,
    });
  }, { timeoutMs: options.lockTimeoutMs });
}

/** Replaces the file by its last lines (a new file renamed over it). */
async function keepLast(path: string): Promise<void> {
  const lines = (await Deno.readTextFile(path)).split("\n").filter((l) =>
    l !== ""
  );
  const tmp = join(dirname(path), `.${crypto.randomUUID()}.tmp`);
  await Deno.writeTextFile(
    tmp,
    lines.slice(-KEPT_OBSERVATIONS).map((l) => `${l}\n`).join(""),
    { mode: PRIVATE_FILE_MODE },
  );
  await Deno.rename(tmp, path);
}

/**
 * An observations-file line read back: the observation, or `undefined`
 * for anything that is not one.
 *
 * @example
 * ```ts
 * import { readObservation } from "./observations.ts";
 * readObservation({ at: 1, state: "idle" }); // undefined
 * ```
 * @param value one parsed line
 */
export function readObservation(value: unknown): Observation | undefined {
  const v = value as Partial<Observation> | null;
  const info = v?.dialogInfo;
  if (
    typeof v?.at !== "number" || v.state !== "awaiting_input" ||
    typeof v.reason !== "string" || typeof v.dialog !== "string" ||
    typeof info?.id !== "string" || typeof info.purpose !== "string" ||
    !Array.isArray(info.choices)
  ) return undefined;
  return v as Observation;
}
