/**
 * Paths for people: the home directory as `~`.
 *
 * @module
 */

/**
 * `path` with a leading `home` written as `~`.
 *
 * @example
 * ```ts
 * import { tildePath } from "./path.ts";
 * tildePath("/home/ada/src/app", { home: "/home/ada" }); // "~/src/app"
 * ```
 * @param path an absolute path
 * @param options `home`: the home directory (none: `path` unchanged)
 */
export function tildePath(path: string, options: { home?: string }): string {
  const home = options.home?.replace(/\/+$/, "");
  if (!home) return path;
  if (path === home) return "~";
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}
