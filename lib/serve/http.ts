/**
 * JSON in and out over HTTP: responses, and errors as
 * `{error: {code, message, dialog?, screen?}}` with the status the table of
 * errors (`ERRORS` in `lib/errors.ts`) gives their code, as the CLI takes
 * its exit codes from it. Never a stack trace.
 *
 * @module
 */
import {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  type ErrorCode,
  ERRORS,
  errorSpec,
  NoInputBoxError,
} from "../errors.ts";

/**
 * An error with its HTTP status, thrown by the server's own checks (the
 * status is the one `ERRORS` gives its code).
 *
 * @example
 * ```ts
 * import { HttpError } from "./http.ts";
 * throw new HttpError(404, "not_found", "no such route");
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** A stable machine-readable code. */
  readonly code: ErrorCode;

  /**
   * Creates an instance.
   *
   * @param status HTTP status
   * @param code machine-readable code
   * @param message one line for a person
   */
  constructor(status: number, code: ErrorCode, message: string) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
  }
}

/**
 * A JSON response.
 *
 * @example
 * ```ts
 * import { jsonResponse } from "./http.ts";
 * const response = jsonResponse({ ok: true }, { status: 201 });
 * ```
 * @param data the body
 * @param options status and extra headers
 */
export function jsonResponse(
  data: unknown,
  options: { status?: number; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(options.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(data) + "\n", {
    status: options.status ?? 200,
    headers,
  });
}

/** The HTTP status and JSON body of an error. */
export interface HttpErrorReport {
  /** HTTP status. */
  status: number;
  /** `{error: {code, message, dialog?, screen?}}`. */
  body: {
    error: {
      code: ErrorCode;
      message: string;
      dialog?: string;
      screen?: string;
    };
  };
}

/**
 * The status and body for anything thrown while handling a request: an
 * aimax error with the status `ERRORS` gives its code (invalid input 400,
 * no such session 404, an existing session 409, a screen without an input
 * box 409 with the screen, a dialog that waits on a person 423 with its
 * text and the screen, a missing program 503, …), bad arguments 400, a
 * file or system error 500 in a few words, anything else 500 with its
 * one-line message (never a stack).
 *
 * @example
 * ```ts
 * import { httpErrorOf } from "./http.ts";
 * import { InputError } from "../errors.ts";
 * httpErrorOf(new InputError("bad id")).status; // 400
 * ```
 * @param error what was thrown
 */
export function httpErrorOf(error: unknown): HttpErrorReport {
  const message = (error instanceof Error ? error.message : String(error))
    .split("\n")[0];
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message } },
    };
  }
  if (error instanceof AimaxError) {
    return {
      status: errorSpec(error.code).http,
      body: { error: { code: error.code, message, ...shownWith(error) } },
    };
  }
  if (
    (error instanceof TypeError && "code" in error) ||
    error instanceof RangeError
  ) {
    return {
      status: ERRORS.invalid_input.http,
      body: { error: { code: "invalid_input", message } },
    };
  }
  if (isOsError(error, message)) {
    // The OS's own words ("Invalid argument (os error 22)") say nothing to
    // a client and may name a path: what failed, in a few words.
    const kind = error instanceof Error ? error.name : "Error";
    return {
      status: ERRORS.io_failed.http,
      body: {
        error: {
          code: "io_failed",
          message: `a file or system operation failed (${kind})`,
        },
      },
    };
  }
  return {
    status: ERRORS.error.http,
    body: { error: { code: "error", message } },
  };
}

/**
 * What an error's body carries besides its code and message: the dialog a
 * person must answer (and the screen), or the screen that refuses a prompt
 * (nothing ran).
 */
function shownWith(error: AimaxError): { dialog?: string; screen?: string } {
  if (error instanceof AwaitingInputError) {
    return { dialog: error.dialog, screen: error.screen };
  }
  if (error instanceof NoInputBoxError) return { screen: error.screen };
  // An answer refused because its dialog is gone: the screen shows what is up.
  if (error instanceof AgentScreenError && error.code === "dialog_changed") {
    return { screen: error.screen };
  }
  return {};
}

/** A file or system error: one of `Deno.errors`, or a message with the OS's error number. */
function isOsError(error: unknown, message: string): boolean {
  return Object.values(Deno.errors).some((kind) => error instanceof kind) ||
    /\(os error \d+\)/.test(message);
}

/**
 * The JSON error response for anything thrown.
 *
 * @example
 * ```ts
 * import { errorResponse, HttpError } from "./http.ts";
 * const response = errorResponse(new HttpError(401, "unauthorized", "token required"));
 * ```
 * @param error what was thrown
 */
export function errorResponse(error: unknown): Response {
  const { status, body } = httpErrorOf(error);
  return jsonResponse(body, { status });
}
