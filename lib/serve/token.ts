/**
 * The serve token: `AIMAX_SERVE_TOKEN` when set, otherwise one generated on
 * first start into the data dir (mode 0600) and kept there; how a request
 * carries it (a Bearer header, the page's cookie, or `?token=` where a
 * browser cannot set headers); and a comparison in constant time.
 *
 * @module
 */
import { join } from "../path.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";

/** The file in the data dir that holds a generated token. */
export const TOKEN_FILE = "serve-token";

/** The name of the page's HttpOnly cookie. */
export const TOKEN_COOKIE = "aimax_token";

/**
 * Where the token came from.
 *
 * @example
 * ```ts
 * import { loadToken, type ServeToken } from "./token.ts";
 * const token: ServeToken = await loadToken(await Deno.makeTempDir());
 * console.log(token.source, token.path);
 * ```
 */
export interface ServeToken {
  /** The secret. */
  value: string;
  /** `env` (AIMAX_SERVE_TOKEN), `file` (kept from an earlier start), `generated` (now). */
  source: "env" | "file" | "generated" | "option";
  /** The token file, when the token lives in one. */
  path?: string;
}

function envToken(): string | undefined {
  try {
    return Deno.env.get("AIMAX_SERVE_TOKEN") || undefined;
  } catch {
    // Not in a scoped --allow-env: the token file is used.
    return undefined;
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The serve token: `options.token`, else `AIMAX_SERVE_TOKEN`, else the token
 * file in `dataDir` (created with mode 0600 on first start).
 *
 * @example
 * ```ts
 * import { loadToken } from "./token.ts";
 * const { value, path } = await loadToken(await Deno.makeTempDir());
 * console.log(value.length, path); // 64 …/serve-token
 * ```
 * @param dataDir aimax's data dir
 * @param options `token` given by the caller (wins over everything)
 */
export async function loadToken(
  dataDir: string,
  options: { token?: string } = {},
): Promise<ServeToken> {
  if (options.token) return { value: options.token, source: "option" };
  const fromEnv = envToken();
  if (fromEnv) return { value: fromEnv, source: "env" };
  const path = join(dataDir, TOKEN_FILE);
  try {
    const value = (await Deno.readTextFile(path)).trim();
    if (value !== "") {
      await Deno.chmod(path, 0o600).catch(() => {});
      return { value, source: "file", path };
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const value = randomToken();
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, value + "\n", {
    mode: 0o600,
    createNew: true,
  });
  await Deno.chmod(temp, 0o600);
  try {
    // Two first starts at once: the first token written wins for both.
    await Deno.link(temp, path);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    await Deno.remove(temp);
    return await loadToken(dataDir, options);
  }
  await Deno.remove(temp);
  return { value, source: "generated", path };
}

const encoder = new TextEncoder();

/**
 * Whether `given` equals `expected`, in time that depends only on the
 * length of `given` (not on where they differ).
 *
 * @example
 * ```ts
 * import { tokensEqual } from "./token.ts";
 * tokensEqual("abc", "abc"); // true
 * tokensEqual("abd", "abc"); // false
 * ```
 * @param given what the request carried
 * @param expected the server's token
 */
export function tokensEqual(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) {
    diff |= a[i] ^ (b.length === 0 ? 0 : b[i % b.length]);
  }
  return diff === 0 && b.length > 0;
}

/**
 * The token a request carries: `Authorization: Bearer`, else the page's
 * cookie, else `?token=` (only where `allowQuery`: streams, WebSocket, the
 * page's first load).
 *
 * @example
 * ```ts
 * import { tokenOf } from "./token.ts";
 * const request = new Request("http://127.0.0.1:7878/api/sessions", {
 *   headers: { authorization: "Bearer s3cret" },
 * });
 * tokenOf(request, { allowQuery: false }); // "s3cret"
 * ```
 * @param request the request
 * @param options whether `?token=` counts
 */
export function tokenOf(
  request: Request,
  options: { allowQuery: boolean },
): string | undefined {
  const auth = request.headers.get("authorization");
  const bearer = auth?.match(/^Bearer\s+(\S+)\s*$/i);
  if (bearer) return bearer[1];
  const cookie = cookieToken(request.headers.get("cookie"));
  if (cookie) return cookie;
  if (options.allowQuery) {
    return new URL(request.url).searchParams.get("token") ?? undefined;
  }
  return undefined;
}

function cookieToken(header: string | null): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [name, ...rest] = part.trim().split("=");
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/**
 * The `Set-Cookie` value that hands the page the token once: HttpOnly (no
 * script reads it), SameSite=Strict (no other site's request carries it).
 *
 * @example
 * ```ts
 * import { tokenCookie } from "./token.ts";
 * const headers = new Headers({ "set-cookie": tokenCookie("s3cret") });
 * ```
 * @param token the server's token
 */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${
    encodeURIComponent(token)
  }; HttpOnly; SameSite=Strict; Path=/`;
}
