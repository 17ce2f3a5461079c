/**
 * Short stable names from text (lock files, remembered keys): the first
 * bytes of its SHA-256, in hex.
 *
 * @module
 */

/**
 * The first `bytes` bytes of the SHA-256 of `text`, as lowercase hex.
 *
 * @example
 * ```ts
 * import { hexDigest } from "./hash.ts";
 * await hexDigest("abc", { bytes: 4 }); // "ba7816bf"
 * ```
 * @param text what to hash
 * @param options `bytes`: how many bytes to keep
 */
export async function hexDigest(
  text: string,
  options: { bytes: number },
): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return [...digest.slice(0, options.bytes)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}
