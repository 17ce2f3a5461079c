/**
 * A fake `aimax serve` on 127.0.0.1 for CLI tests in this process: it
 * answers each request with `handler` and keeps what it was asked (method,
 * path, JSON body), so a test can see what the remote CLI sent and how it
 * prints a known answer. The token is set for the remote client.
 *
 * @module
 */

/** One request the fake server received. */
export interface ReceivedRequest {
  /** HTTP method. */
  method: string;
  /** Path and query. */
  path: string;
  /** The parsed JSON body, if any. */
  body: unknown;
}

/** A running fake server. */
export interface FakeServer {
  /** Its base URL (for `--server`). */
  url: string;
  /** What it was asked, in order. */
  received: ReceivedRequest[];
  /** Stops it. */
  close(): Promise<void>;
}

/** The token the fake server's clients send (`AIMAX_SERVE_TOKEN`). */
export const FAKE_TOKEN = "fake-server-token";

/**
 * Starts a fake server answering with `handler` (a JSON value, answered
 * with `status`), and sets `AIMAX_SERVE_TOKEN` for the remote client.
 *
 * @param handler the answer to each request
 */
export function fakeServer(
  handler: (request: ReceivedRequest) => { status?: number; body: unknown },
): FakeServer {
  Deno.env.set("AIMAX_SERVE_TOKEN", FAKE_TOKEN);
  const received: ReceivedRequest[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const url = new URL(request.url);
      const text = await request.text();
      const asked: ReceivedRequest = {
        method: request.method,
        path: url.pathname + url.search,
        body: text === "" ? undefined : JSON.parse(text),
      };
      received.push(asked);
      const answer = handler(asked);
      return Response.json(answer.body, { status: answer.status ?? 200 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    received,
    close: () => server.shutdown(),
  };
}
