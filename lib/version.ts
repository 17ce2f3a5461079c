/**
 * The package version (kept equal to deno.json's by a test).
 *
 * @module
 */

/**
 * aimax's version.
 *
 * @example
 * ```ts
 * import { VERSION } from "@aimax/cli";
 * console.log(`aimax ${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
