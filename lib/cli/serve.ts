/**
 * `aimax serve`: sessions over HTTP, Server-Sent Events and WebSocket, and
 * a live page, until Ctrl-C.
 *
 * @module
 */
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  serve as startServer,
} from "../serve/server.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";

/**
 * `aimax serve [--host 127.0.0.1] [--port 7878]`.
 *
 * @example
 * ```ts
 * import { serve } from "./serve.ts";
 * console.log(serve.help);
 * ```
 */
export const serve = defineCommand({
  name: "serve",
  summary: "sessions over HTTP, SSE and WebSocket, and a live page",
  help: `Usage: aimax serve [--host ${DEFAULT_HOST}] [--port ${DEFAULT_PORT}]

Serves every session: REST under /api (the shapes of --json), live
transcripts as Server-Sent Events and WebSocket, and a page at /. Every /api
request needs \`Authorization: Bearer <token>\`: AIMAX_SERVE_TOKEN, or a
token generated into the data dir on first start (its path is printed).
Open the page once as http://HOST:PORT/?token=<token> (it becomes a cookie).
Loopback by default; another --host is reachable from the network (the token
still guards it). Runs until Ctrl-C. With --json, prints one line
{url, tokenSource, tokenPath?} once listening. Needs --allow-net for its
address (see \`aimax config permissions --serve HOST:PORT\`).

      --host ADDR        address to bind (default ${DEFAULT_HOST})
      --port N           port (default ${DEFAULT_PORT}; 0: any free port)
${COMMON_HELP}`,
  localOnly: true,
  options: {
    host: { type: "string" },
    port: { type: "string" },
  },
  async run({ values, io, json }) {
    const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
    if (!/^\d{1,5}$/.test(values.port ?? "0") || port > 65535) {
      throw new UsageError(`--port takes a port number, got "${values.port}"`);
    }
    const hostname = values.host ?? DEFAULT_HOST;
    if (hostname === "") throw new UsageError("--host takes an address");
    const server = await startServer({
      hostname,
      port,
      onError: (line) => io.err(`aimax serve: ${line}`),
    });
    const { token } = server;
    if (!server.loopback) {
      io.err(
        `aimax: warning: serving on ${hostname}, reachable from other machines; every request still needs the token (use TLS in front of it on an untrusted network)`,
      );
    }
    if (json) {
      io.out(JSON.stringify({
        url: server.url,
        tokenSource: token.source,
        ...(token.path ? { tokenPath: token.path } : {}),
      }));
    } else {
      io.out(`aimax serve: listening on ${server.url}`);
      io.out(
        token.path
          ? `token: ${token.path}${
            token.source === "generated" ? " (new)" : ""
          }`
          : `token: from ${
            token.source === "env" ? "AIMAX_SERVE_TOKEN" : "the caller"
          }`,
      );
      io.out(`page: ${server.url}?token=<token> (once; it becomes a cookie)`);
    }
    const stop = () => server.close();
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    for (const signal of signals) Deno.addSignalListener(signal, stop);
    try {
      await server.finished;
    } finally {
      for (const signal of signals) Deno.removeSignalListener(signal, stop);
    }
    return EXIT.ok;
  },
});
