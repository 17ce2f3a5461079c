/**
 * One request to a remote `aimax serve`: the token sent, the JSON answer
 * read, and the server's JSON errors thrown as the same error classes as
 * local ones (so the CLI prints the same lines and exits with the same
 * codes).
 *
 * @module
 */
import { UsageError } from "../cli/command.ts";
import {
  AimaxError,
  AwaitingInputError,
  InputError,
  PreflightError,
} from "../errors.ts";
import type { RemoteServer } from "./server.ts";

/** The JSON error body of the server. */
interface ErrorBody {
  error?: { code?: string; message?: string; dialog?: string; screen?: string };
}

/**
 * The error the server's JSON error stands for, as the same class a local
 * call throws (so the CLI's exit code and lines are the same).
 *
 * @example
 * ```ts
 * import { errorFromResponse } from "./http.ts";
 * const error = errorFromResponse(404, {
 *   error: { code: "session_not_found", message: "no session named \"x\"" },
 * });
 * console.log(error.code); // "session_not_found"
 * ```
 * @param status the HTTP status
 * @param body the parsed body (`{error: {code, message, dialog?, screen?}}`)
 */
export function errorFromResponse(status: number, body: unknown): AimaxError {
  const error = (body as ErrorBody | undefined)?.error;
  const code = error?.code ?? "error";
  const message = error?.message ?? `the server answered HTTP ${status}`;
  switch (code) {
    case "awaiting_input":
      return new AwaitingInputError(
        message,
        error?.dialog ?? "",
        error?.screen ?? "",
      );
    case "usage":
      return new UsageError(message);
    case "invalid_input":
    case "bad_json":
      return new InputError(message);
    case "preflight_failed":
      return new PreflightError(message);
    case "unauthorized":
      return new AimaxError(
        code,
        `the server refused the token: check AIMAX_SERVE_TOKEN (${message})`,
      );
    default:
      return new AimaxError(code, message);
  }
}

/** Options of one request. */
export interface CallOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The response of one request to `server`; a JSON error is thrown.
 *
 * @param server the server
 * @param path the API path
 * @param options method, body, query, headers, abort signal
 */
export async function request(
  server: RemoteServer,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const url = new URL(path, server.url);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = {
    authorization: `Bearer ${server.token}`,
    ...options.headers,
  };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined
        ? undefined
        : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    if (options.signal?.aborted) throw error;
    throw new AimaxError(
      "server_unreachable",
      `cannot reach the server at ${server.url}: ${
        (error instanceof Error ? error.message : String(error)).split("\n")[0]
      }`,
    );
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw errorFromResponse(response.status, body);
  }
  return response;
}

/**
 * The JSON answer of one request to `server`.
 *
 * @param server the server
 * @param path the API path
 * @param options method, body, query, headers, abort signal
 */
export async function call<T>(
  server: RemoteServer,
  path: string,
  options: CallOptions = {},
): Promise<T> {
  const response = await request(server, path, options);
  try {
    return await response.json() as T;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new AimaxError(
      "bad_response",
      `the server at ${server.url} answered something that is not JSON`,
    );
  }
}
