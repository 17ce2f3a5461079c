/**
 * `aimax serve`: sessions over HTTP, Server-Sent Events and WebSocket, and
 * a live page, until Ctrl-C; with `--notify`, `aimax notify`'s deliveries
 * from the server's own follower.
 *
 * @module
 */
import { DEFAULT_HOST, DEFAULT_PORT } from "../serve/address.ts";
import { serve as startServer } from "../serve/server.ts";
import { type CommandContext, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import type { SERVE_OPTIONS } from "./options.ts";
import { NO_TARGET, notifierFrom } from "./notify.ts";

/**
 * Runs `aimax serve [--host 127.0.0.1] [--port 7878] [--notify [--on EVENTS] (--exec CMD | --webhook URL | --desktop)...]`.
 *
 * @example
 * ```ts ignore
 * import { serve } from "./serve.ts";
 * const code = await serve(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function serve(
  { values, io, json }: CommandContext<typeof SERVE_OPTIONS>,
): Promise<number> {
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d{1,5}$/.test(values.port ?? "0") || port > 65535) {
    throw new UsageError(`--port takes a port number, got "${values.port}"`);
  }
  const hostname = values.host ?? DEFAULT_HOST;
  if (hostname === "") throw new UsageError("--host takes an address");
  const delivers = values.on !== undefined || values.exec !== undefined ||
    values.webhook !== undefined || values.desktop !== undefined;
  if (!values.notify && delivers) {
    throw new UsageError(
      "--on, --exec, --webhook and --desktop go with --notify",
    );
  }
  const notifier = values.notify
    ? await notifierFrom(values, { io, prefix: "aimax serve: notify" })
    : undefined;
  if (values.notify && !notifier) throw new UsageError(NO_TARGET);
  const server = await startServer({
    hostname,
    port,
    onError: (line) => io.err(`aimax serve: ${line}`),
    ...(notifier ? { onEvent: (event) => void notifier.push(event) } : {}),
  }).catch(async (error) => {
    await notifier?.stop();
    throw error;
  });
  const { token } = server;
  if (!server.loopback) {
    io.err(
      `aimax: warning: serving on ${hostname}, reachable from other machines; every request still needs the token (use TLS in front of it on an untrusted network)`,
    );
  }
  const on = notifier?.on;
  if (json) {
    io.out(JSON.stringify({
      url: server.url,
      tokenSource: token.source,
      ...(token.path ? { tokenPath: token.path } : {}),
      ...(on ? { notify: on } : {}),
    }));
  } else {
    io.out(`aimax serve: listening on ${server.url}`);
    io.out(
      token.path
        ? `token: ${token.path}${token.source === "generated" ? " (new)" : ""}`
        : `token: from ${
          token.source === "env" ? "AIMAX_SERVE_TOKEN" : "the caller"
        }`,
    );
    io.out(`page: ${server.url}?token=<token> (once; it becomes a cookie)`);
    if (on) io.out(`notify: ${on.join(", ")}`);
  }
  const stop = () => server.close();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    await server.finished;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
    await notifier?.stop();
  }
  return EXIT.ok;
}
