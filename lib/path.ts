/**
 * POSIX path helpers, the same answers as `node:path` (whose algorithms
 * these follow), for `lib/`'s own use.
 *
 * Why not `node:path` itself: the first `node:` module a Deno program loads
 * starts Deno's Node compatibility layer, about 5 ms on every start (a
 * one-line file: 13 ms bare, 18 ms importing `node:path`, medians of 30).
 * That was a quarter of `aimax list`'s own cost, for string work. aimax
 * runs where tmux runs, so POSIX paths only; `tests/path_test.ts` checks
 * every helper against `node:path` on thousands of paths.
 *
 * @module
 */

/** The separator of entries in `PATH`-like variables. */
export const delimiter = ":";

/** Resolves `.` and `..` segments; `..` above the start is kept unless absolute. */
function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
      continue;
    }
    out.push(segment);
  }
  return out.join("/");
}

/** Whether `path` starts at the root. */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/**
 * `path` with `.` and `..` resolved and repeated slashes folded; a trailing
 * slash is kept; `""` is `"."`.
 */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = isAbsolute(path);
  const trailing = path.endsWith("/");
  let out = normalizeSegments(path, !absolute);
  if (out === "" && !absolute) out = ".";
  if (out !== "" && trailing) out += "/";
  return absolute ? `/${out}` : out;
}

/** The non-empty parts joined with `/`, then normalized (`"."` for none). */
export function join(...parts: string[]): string {
  const kept = parts.filter((p) => p !== "");
  return kept.length === 0 ? "." : normalize(kept.join("/"));
}

/**
 * The absolute path `parts` name, read right to left until one is absolute,
 * from the current directory otherwise; no trailing slash.
 */
export function resolve(...parts: string[]): string {
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(path); i--) {
    if (parts[i] === "") continue;
    path = path === "" ? parts[i] : `${parts[i]}/${path}`;
  }
  if (!isAbsolute(path)) {
    path = path === "" ? Deno.cwd() : `${Deno.cwd()}/${path}`;
  }
  return `/${normalizeSegments(path, false)}`;
}

/** The folder part of `path` (`node:path`'s answer, `"//"` included). */
export function dirname(path: string): string {
  if (path === "") return ".";
  const hasRoot = path[0] === "/";
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else matchedSlash = false;
  }
  if (end === -1) return hasRoot ? "/" : ".";
  if (hasRoot && end === 1) return "//";
  return path.slice(0, end);
}

/** The last part of `path`, trailing slashes ignored. */
export function basename(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const start = path.lastIndexOf("/", end - 1) + 1;
  return path.slice(start, end);
}

/** The path from `from` to `to`, both resolved first (`""` when the same). */
export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter((s) => s !== "");
  const b = resolve(to).split("/").filter((s) => s !== "");
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) {
    common++;
  }
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}
