/**
 * The package version (kept equal to deno.json's by a test).
 *
 * @module
 */

/** aimax's version. */
export const VERSION = "0.1.0";
