/**
 * Idempotent sends: what a send with a key returned, remembered per session
 * in the data dir for a while, so the same key again (from any process)
 * sends nothing and reports the first outcome. Read and written only under
 * the session's lock.
 *
 * @module
 */
import { join } from "../path.ts";
import { hexDigest } from "../hash.ts";
import { writeFileAtomic } from "../state.ts";
import type { SendResult } from "./contract.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";

/** How long a key is remembered by default. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60_000;

interface Remembered {
  at: number;
  result: SendResult;
}

function digest(key: string): Promise<string> {
  return hexDigest(key, { bytes: 16 });
}

/** The sends remembered for one session. */
export class SentKeys {
  readonly #path: string;
  readonly #windowMs: number;

  /**
   * Opens the memory of one session's keyed sends.
   *
   * @param dataDir the data dir
   * @param options backend, session id and the window
   */
  constructor(
    dataDir: string,
    options: { backend: string; sessionId: string; windowMs?: number },
  ) {
    this.#path = join(
      dataDir,
      "sent",
      `${options.backend}.${options.sessionId}.json`,
    );
    this.#windowMs = options.windowMs ?? IDEMPOTENCY_WINDOW_MS;
  }

  async #load(): Promise<Record<string, Remembered>> {
    try {
      const all = JSON.parse(await Deno.readTextFile(this.#path));
      const now = Date.now();
      return Object.fromEntries(
        Object.entries(all as Record<string, Remembered>).filter(([, v]) =>
          typeof v?.at === "number" && now - v.at < this.#windowMs
        ),
      );
    } catch {
      return {};
    }
  }

  /**
   * The result of an earlier send with `key` within the window.
   *
   * @param key the caller's idempotency key
   */
  async recall(key: string): Promise<SendResult | undefined> {
    return (await this.#load())[await digest(key)]?.result;
  }

  /**
   * Remembers what the send with `key` returned.
   *
   * @param key the caller's idempotency key
   * @param result what it returned
   */
  async remember(key: string, result: SendResult): Promise<void> {
    const all = await this.#load();
    all[await digest(key)] = { at: Date.now(), result };
    await Deno.mkdir(join(this.#path, ".."), {
      recursive: true,
      mode: PRIVATE_DIR_MODE,
    });
    await writeFileAtomic(this.#path, JSON.stringify(all));
  }
}
