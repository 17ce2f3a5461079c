/**
 * Where `aimax serve` listens unless told otherwise: apart from the server,
 * so the CLI's help can say it without loading the server.
 *
 * @module
 */

/** Default address: loopback only. */
export const DEFAULT_HOST = "127.0.0.1";
/** Default port. */
export const DEFAULT_PORT = 7878;
