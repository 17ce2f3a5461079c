/**
 * What the loopback model stubs remember of each HTTP request.
 *
 * @module
 */

/** One HTTP request a stub received. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** URL path with its query string. */
  path: string;
  /** Parsed JSON body, the raw text when it is not JSON, or `null`. */
  body: unknown;
  /** Arrival time in milliseconds since the epoch. */
  at: number;
}

/**
 * Reads a request's body (JSON when it parses) and records it.
 *
 * @param request the incoming request
 * @returns the record, to be pushed to the stub's list
 */
export async function recordRequest(
  request: Request,
): Promise<RecordedRequest> {
  const url = new URL(request.url);
  const text = request.body ? await request.text().catch(() => "") : "";
  let body: unknown = null;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return {
    method: request.method,
    path: url.pathname + url.search,
    body,
    at: Date.now(),
  };
}
