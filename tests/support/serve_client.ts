/**
 * Test helpers for `aimax serve`: start it in a world, call its REST API,
 * read its Server-Sent Events, and send raw HTTP (to set `Host` and
 * `Origin`, which `fetch` does not let a caller choose).
 *
 * @module
 */
import assert from "node:assert/strict";
import { configFromEnv } from "../../lib/config.ts";
import { permissionFlags } from "../../lib/permissions.ts";
import type { World, WorldOptions } from "./world.ts";

/** The token the serve tests use. */
export const TOKEN = "serve-test-token-0123456789abcdef";

/** World options for serving: the scoped flags plus `--allow-net`, the token. */
export const SERVE_WORLD: WorldOptions = {
  env: { AIMAX_SERVE_TOKEN: TOKEN },
  permissions: (w) =>
    permissionFlags(configFromEnv((name) => w.env[name]), {
      workDirs: [w.root],
      serve: "127.0.0.1:0",
    }),
};

/** A running `aimax serve` child. */
export interface Served {
  /** Base URL. */
  url: string;
  /** Port. */
  port: number;
  /** Stops it and collects its stderr. */
  stop(): Promise<string>;
}

/** Starts `aimax serve --port 0 --json` in `world`; resolves with its URL. */
export async function startServe(world: World): Promise<Served> {
  const child = world.spawn(["serve", "--port", "0", "--json"]);
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const deadline = Date.now() + 30_000;
  while (!buffer.includes("\n")) {
    if (Date.now() > deadline) throw new Error("serve did not start");
    const { done, value } = await reader.read();
    if (done) {
      const err = await new Response(child.stderr).text();
      throw new Error(`serve exited: ${err}`);
    }
    buffer += value;
  }
  const first = buffer.split("\n")[0];
  const { url } = JSON.parse(first);
  if (typeof url !== "string") {
    child.kill("SIGTERM");
    throw new Error(`serve did not start: ${first}`);
  }
  const stderr = new Response(child.stderr).text();
  return {
    url,
    port: Number(new URL(url).port),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
      await reader.cancel().catch(() => {});
      return await stderr;
    },
  };
}

/** What an API call answered. */
export interface ApiResult {
  /** HTTP status. */
  status: number;
  /** Parsed JSON body. */
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Calls the API with the token (or `token: null` for none). */
export async function api(
  served: Served,
  path: string,
  options: {
    method?: string;
    body?: unknown;
    token?: string | null;
    raw?: string;
  } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined || options.raw !== undefined) {
    headers["content-type"] = "application/json";
  }
  const response = await fetch(new URL(path, served.url), {
    method: options.method ?? "GET",
    headers,
    body: options.raw ??
      (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/** One Server-Sent Event. */
export interface SseEvent {
  /** `id:`. */
  id?: string;
  /** Parsed `data:`. */
  // deno-lint-ignore no-explicit-any
  data: any;
}

/** An SSE client that collects events until `close()`. */
export interface SseClient {
  /** Events so far (growing). */
  events: SseEvent[];
  /** The HTTP status. */
  status: number;
  /** Disconnects; resolves once the reader stopped. */
  close(): Promise<void>;
}

/** Opens an SSE stream at `path` (with the token as a header). */
export async function openSse(
  served: Served,
  path: string,
  options: { lastEventId?: string } = {},
): Promise<SseClient> {
  const abort = new AbortController();
  const headers: Record<string, string> = {
    authorization: `Bearer ${TOKEN}`,
    accept: "text/event-stream",
  };
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
  const response = await fetch(new URL(path, served.url), {
    headers,
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  const reading = (async () => {
    if (!response.body) return;
    let buffer = "";
    try {
      for await (
        const chunk of response.body.pipeThrough(new TextDecoderStream())
      ) {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let id: string | undefined;
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) id = line.slice(4);
            if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length > 0) {
            events.push({ id, data: JSON.parse(data.join("\n")) });
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    status: response.status,
    async close() {
      abort.abort();
      await reading;
    },
  };
}

/**
 * Sends `head` (an HTTP/1.1 request without its final blank line) over a
 * new TCP connection and returns the status line.
 */
export async function rawRequest(port: number, head: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(head.replaceAll("\n", "\r\n") + "\r\n\r\n"),
    );
    const buffer = new Uint8Array(4096);
    let text = "";
    while (!text.includes("\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return text.split("\r\n")[0];
  } finally {
    conn.close();
  }
}

/**
 * Runs `fn` with `aimax serve` started in the world, then stops it and
 * checks that it printed no stack trace.
 *
 * @param world the world
 * @param fn what to do with the running server
 */
export async function withServe(
  world: World,
  fn: (served: Served) => Promise<void>,
): Promise<void> {
  const served = await startServe(world);
  try {
    await fn(served);
  } finally {
    const stderr = await served.stop();
    assert.doesNotMatch(stderr, /^ {4}at /m, "no stack trace on stderr");
  }
}
