/**
 * The live page of `aimax serve` in headless Chromium (Debian's `chromium`,
 * driven by `playwright-core`), against the real Claude Code TUI: it lists
 * a session, shows a reply arriving live, sends a prompt, and shows and
 * answers a permission dialog; for a session in its own worktree, it shows
 * the branch and change count and the diff beside the conversation; it
 * loads without a console error (its icon is served), labels a tool call
 * as `history` does, shows the TUI's own screen live and the dialog's
 * choices in the agent's words, counts waiting sessions in its title, and
 * raises browser notifications while its tab is hidden (the permission
 * granted to the browser; the hidden tab and the notifications emulated
 * and recorded by an init script).
 * Screenshots go to `.work/screenshots/`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { configFromEnv } from "../lib/config.ts";
import { permissionFlags } from "../lib/permissions.ts";
import { api, SERVE_WORLD, startServe, TOKEN } from "./support/serve_client.ts";
import { ROOT, waitFor, worldTest } from "./support/world.ts";

const CHROMIUM = "/usr/bin/chromium";

function hasChromium(): boolean {
  try {
    Deno.statSync(CHROMIUM);
    return true;
  } catch {
    return false;
  }
}

const ci = (Deno.env.get("CI") ?? "") !== "";
const skip = !hasChromium() && !ci;
if (skip) {
  console.log(
    `serve page test skipped: ${CHROMIUM} is missing (apt-get install chromium); under CI it runs and fails instead`,
  );
}

const SHOTS = join(ROOT, ".work", "screenshots");

/**
 * Run in the page before its own script: `document.hidden` answers what
 * `__setHidden(flag)` set (and that fires `visibilitychange`), and each
 * `Notification` made is recorded in `__notes` (title and body) before it
 * is shown.
 */
const PAGE_PROBES = `(() => {
  let hidden = false;
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  Object.defineProperty(document, "visibilityState", {
    configurable: true, get: () => hidden ? "hidden" : "visible",
  });
  window.__setHidden = (flag) => {
    hidden = flag;
    document.dispatchEvent(new Event("visibilitychange"));
  };
  window.__notes = [];
  const Real = window.Notification;
  if (!Real) return;
  class Recorded extends Real {
    constructor(title, options) {
      window.__notes.push({ title, body: options && options.body });
      super(title, options);
    }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
})();`;

/** A notification the page made. */
interface Note {
  title: string;
  body?: string;
}

/** Headless Chromium with its own profile; `close` removes both. */
async function launchBrowser() {
  const profile = await Deno.makeTempDir({ prefix: "aimax-chromium-" });
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

worldTest(
  "claude",
  "serve page (headless Chromium): loads with no console error (its icon served), lists a session, shows a reply live, sends a prompt; a permission dialog, shown in its choices' own words and on the TUI's live screen, answered through the panel with its id; the title counts it, notifications tell it and the turn's end while the tab is hidden; the tool call reads Bash: …",
  async (world) => {
    await Deno.mkdir(SHOTS, { recursive: true });
    const served = await startServe(world);
    const { browser, close } = await launchBrowser();
    try {
      const created = await api(served, "/api/sessions", {
        method: "POST",
        body: {
          backend: world.backend,
          sessionId: "p1",
          cwd: world.cwd,
          prompt: "hello",
          displayName: "page test",
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await browser.grantPermissions(["notifications"], {
        origin: new URL(served.url).origin,
      });
      await browser.addInitScript(PAGE_PROBES);
      const page = browser.pages()[0] ?? await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      const consoleErrors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      const failed: string[] = [];
      page.on("response", (response) => {
        if (response.status() >= 400) {
          failed.push(`${response.status()} ${response.url()}`);
        }
      });
      let screenReads = 0;
      page.on("request", (request) => {
        if (new URL(request.url()).pathname.endsWith("/screen")) screenReads++;
      });
      const notes = () => page.evaluate("window.__notes") as Promise<Note[]>;
      const setHidden = (hidden: boolean) =>
        page.evaluate(`window.__setHidden(${hidden})`);
      const noted = (title: string) =>
        waitFor(
          `a notification "${title}"`,
          async () => (await notes()).find((n) => n.title === title),
          30_000,
        );
      const titled = (title: string) =>
        waitFor(
          `the title "${title}"`,
          async () => (await page.title()) === title,
          20_000,
        );
      // The token is traded for a cookie and leaves the address bar.
      await page.goto(`${served.url}?token=${TOKEN}`);
      assert.equal(page.url(), served.url);
      // Its icon is served (no 404 for /favicon.ico in the console).
      const icon = await page.evaluate(
        `fetch(document.querySelector("link[rel=icon]").href)
          .then(async (r) => [r.status, r.headers.get("content-type"), await r.text()])`,
      ) as [number, string, string];
      assert.equal(icon[0], 200);
      assert.match(icon[1], /^image\/svg\+xml/);
      assert.match(icon[2], /^<svg/);
      const row = page.locator('#sessions li[data-session="p1"]');
      await row.waitFor({ timeout: 20_000 });
      await page.locator('#sessions li[data-session="p1"] .state', {
        hasText: "idle",
      }).waitFor({ timeout: 30_000 });
      await row.click();
      const assistant = (text: string) =>
        page.locator("#conversation .msg.assistant", { hasText: text });
      await assistant("ack: hello").waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SHOTS, "serve-page-1-session.png") });

      // A reply arriving live (sent by another client).
      const sent = await api(served, "/api/sessions/p1/send", {
        method: "POST",
        body: { prompt: "from another client [[slow 5]]" },
      });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      await page.locator('#sessions li[data-session="p1"] .state', {
        hasText: "working",
      }).waitFor({ timeout: 20_000 });
      await assistant("slow done").waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SHOTS, "serve-page-2-live.png") });

      // A prompt sent from the page.
      await page.fill("#prompt", "from the page");
      await page.click("#send");
      await page.locator("#conversation .msg.user", {
        hasText: "from the page",
      }).waitFor({ timeout: 20_000 });
      await assistant("ack: from the page").waitFor({ timeout: 30_000 });
      // Turns that ended while the tab was shown told nobody; the page
      // loaded without an error in the console.
      assert.deepEqual(await notes(), []);
      assert.equal(await page.title(), "aimax");
      // Permission granted: nothing to ask for.
      assert.equal(await page.isVisible("#notify"), false);
      assert.deepEqual(consoleErrors, []);
      assert.deepEqual(failed, []);

      // The tab is hidden: a dialog and then a turn's end are told.
      await setHidden(true);

      // A permission dialog: shown with its text, approved from the page.
      const marker = join(world.root, "approved-from-page");
      await page.fill("#prompt", `[[bash touch ${marker}]]`);
      await page.click("#send");
      await page.locator("#dialog").waitFor({
        state: "visible",
        timeout: 30_000,
      });
      const dialog = await page.textContent("#dialog-text");
      assert.ok(dialog?.includes(`touch ${marker}`), dialog ?? "");
      const asked = await noted("page test waits on you");
      assert.ok(asked.body?.includes(`touch ${marker}`), JSON.stringify(asked));
      await titled("(1) aimax");
      await setHidden(false);
      await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
      // It names the dialog it shows, and its buttons and list say the
      // agent's words.
      const status = await api(served, "/api/sessions/p1");
      const id: string = status.body.dialogInfo.id;
      const words = (status.body.dialogInfo.choices as { label: string }[])
        .map((c) => c.label);
      assert.ok(words.length >= 2, JSON.stringify(words));
      assert.equal(await page.textContent("#dialog-id"), `dialog ${id}`);
      assert.deepEqual(
        await page.locator("#dialog-choices > *").allTextContents(),
        words,
      );
      assert.equal(await page.textContent("#approve"), "Yes");
      assert.equal(await page.isVisible("#always"), true);
      // The TUI's own screen, live: the dialog as the agent draws it.
      await page.click("#screen-toggle");
      const screen = page.locator("#screen-text");
      await screen.filter({ hasText: "Do you want to proceed?" }).waitFor({
        timeout: 20_000,
      });
      assert.ok(
        (await screen.textContent())?.includes(`touch ${marker}`),
        "the screen shows the command",
      );
      await page.screenshot({ path: join(SHOTS, "serve-page-3-dialog.png") });
      // Hidden again while it is answered: the turn's end is told, and the
      // screen is not read (one read may be under way).
      await setHidden(true);
      const readsBefore = screenReads;
      const approved = page.waitForResponse((r) =>
        new URL(r.url()).pathname.endsWith("/approve") &&
        r.request().postDataJSON()?.dialog === id
      );
      await page.click("#approve");
      assert.equal((await approved).status(), 200);
      await waitFor(
        "the approved tool to run",
        () => Deno.stat(marker),
        30_000,
      );
      await assistant("tool done").waitFor({ timeout: 30_000 });
      await page.locator("#dialog").waitFor({
        state: "hidden",
        timeout: 30_000,
      });
      await noted("page test finished a turn");
      await titled("aimax");
      assert.ok(
        screenReads - readsBefore <= 1,
        `${screenReads - readsBefore} screen reads while hidden`,
      );
      await setHidden(false);
      // The tool call says what it did, as `history` does.
      await page.locator("#conversation .msg.tool summary", {
        hasText: `⚙ Bash: touch ${marker}`,
      }).waitFor({ timeout: 10_000 });
      // The screen view follows the TUI: the dialog is gone from it.
      await waitFor(
        "the screen view to lose the dialog",
        async () =>
          !(await screen.textContent())?.includes("Do you want to proceed?"),
        20_000,
      );
      await page.screenshot({ path: join(SHOTS, "serve-page-4-approved.png") });
      assert.deepEqual(errors, []);
      assert.deepEqual(consoleErrors, []);
    } finally {
      await close();
      await served.stop();
    }
  },
  { ...SERVE_WORLD, approvals: true, ignore: skip },
);

for (const agent of ["claude", "codex"] as const) {
  worldTest(
    agent,
    `${agent} serve page (headless Chromium): the dialog panel's buttons say the agent's choices and answer the dialog they show by its id — No keeps the tool from running, the agent's "always" choice runs it; the screen view shows the TUI's dialog`,
    async (world) => {
      await Deno.mkdir(SHOTS, { recursive: true });
      const served = await startServe(world);
      const { browser, close } = await launchBrowser();
      try {
        const created = await api(served, "/api/sessions", {
          method: "POST",
          body: {
            backend: world.backend,
            sessionId: "d1",
            cwd: world.cwd,
            prompt: "hello",
          },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const page = browser.pages()[0] ?? await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(String(error)));
        await page.goto(`${served.url}?token=${TOKEN}`);
        const row = page.locator('#sessions li[data-session="d1"]');
        await row.locator(".state", { hasText: "idle" }).waitFor({
          timeout: 60_000,
        });
        await row.click();
        await page.click("#screen-toggle");
        // A tool that needs approval, asked for by another client.
        const ask = async (marker: string) => {
          const prompt = agent === "claude"
            ? `[[bash touch ${marker}]]`
            : `[[escalate touch ${marker}]]`;
          const sent = await api(served, "/api/sessions/d1/send", {
            method: "POST",
            body: { prompt },
          });
          assert.equal(sent.status, 200, JSON.stringify(sent.body));
          await page.locator("#dialog").waitFor({
            state: "visible",
            timeout: 30_000,
          });
          const info = await waitFor("the dialog's id", async () => {
            const status = await api(served, "/api/sessions/d1");
            return status.body.dialogInfo;
          }, 20_000);
          await page.locator("#dialog-id", { hasText: info.id }).waitFor({
            timeout: 20_000,
          });
          // The buttons are the agent's choices, in its words and order.
          const labels = (info.choices as { label: string }[]).map((c) =>
            c.label
          );
          assert.deepEqual(
            await page.locator("#dialog-choices > *").allTextContents(),
            labels,
          );
          // The TUI's own screen shows the same dialog.
          await page.locator("#screen-text", { hasText: `touch ${marker}` })
            .waitFor({ timeout: 20_000 });
          // Scrolled to its bottom, where the TUI draws the dialog.
          await waitFor(
            "the screen view at its bottom",
            () =>
              page.evaluate(`(() => {
                const pre = document.getElementById("screen-text");
                return pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 2;
              })()`),
            10_000,
          );
          return info as {
            id: string;
            choices: { label: string; kind: string }[];
          };
        };
        const answered = (verb: string, id: string) =>
          page.waitForResponse((r) =>
            new URL(r.url()).pathname.endsWith(`/${verb}`) &&
            r.request().postDataJSON()?.dialog === id
          );

        const refused = join(world.root, "refused-on-page");
        const no = await ask(refused);
        const denied = answered("deny", no.id);
        await page.click("#deny");
        const deniedResponse = await denied;
        assert.equal(deniedResponse.status(), 200);
        assert.equal((await deniedResponse.json()).kind, "no");
        await page.locator("#dialog").waitFor({
          state: "hidden",
          timeout: 30_000,
        });
        await row.locator(".state", { hasText: "idle" }).waitFor({
          timeout: 30_000,
        });
        await assert.rejects(Deno.stat(refused), Deno.errors.NotFound);

        const allowed = join(world.root, "always-on-page");
        const yes = await ask(allowed);
        const always = yes.choices.find((c) => c.kind === "always");
        assert.ok(always, JSON.stringify(yes.choices));
        assert.equal(await page.textContent("#always"), always.label);
        await page.screenshot({
          path: join(SHOTS, `serve-page-6-${agent}-choices.png`),
        });
        const approved = answered("approve", yes.id);
        await page.click("#always");
        const approvedResponse = await approved;
        assert.equal(approvedResponse.status(), 200);
        assert.equal((await approvedResponse.json()).kind, "always");
        await waitFor(
          "the tool approved always to run",
          () => Deno.stat(allowed),
          30_000,
        );
        await page.locator("#dialog").waitFor({
          state: "hidden",
          timeout: 30_000,
        });
        // The tool call says what it did.
        await page.locator("#conversation .msg.tool summary", {
          hasText: `touch ${allowed}`,
        }).first().waitFor({ timeout: 30_000 });
        assert.match(
          (await page.locator("#conversation .msg.tool summary").last()
            .textContent()) ?? "",
          /^⚙ [^ ]+: /,
        );
        await assert.rejects(Deno.stat(refused), Deno.errors.NotFound);
        assert.deepEqual(errors, []);
      } finally {
        await close();
        await served.stop();
      }
    },
    { ...SERVE_WORLD, approvals: true, ignore: skip },
  );
}

/** Runs git for the test in `cwd`, with a fixed identity; fails on an error. */
async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=Tester", "-c", "user.email=t@example.org", ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

worldTest(
  "claude",
  "serve page (headless Chromium): a session in its own worktree shows its branch and change count, and its diff beside the conversation (files and hunks, added green, removed red, a file's markup as text)",
  async (world) => {
    await Deno.mkdir(SHOTS, { recursive: true });
    await Deno.writeTextFile(join(world.cwd, "README.md"), "# demo\n");
    await git(world.cwd, "add", "README.md");
    await git(world.cwd, "commit", "-q", "-m", "first");
    const served = await startServe(world);
    const { browser, close } = await launchBrowser();
    try {
      // The agent edits a tracked file and writes a new one, markup in it,
      // through a real Bash tool call in its worktree.
      const created = await api(served, "/api/sessions", {
        method: "POST",
        body: {
          backend: world.backend,
          sessionId: "pw",
          cwd: world.cwd,
          prompt:
            "[[bash echo changed > README.md && echo '<img src=x>' > a.txt]]",
          worktree: true,
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const worktree = created.body.worktree;
      assert.equal(worktree.branch, "aimax/pw");
      await waitFor(
        "the tool call to write a.txt in the worktree",
        () => Deno.stat(join(worktree.path, "a.txt")),
        60_000,
      );
      // The main tree is untouched; the job flags are not in the worktree
      // (else they would be in its diff).
      await assert.rejects(Deno.stat(join(world.cwd, "a.txt")));
      await assert.rejects(Deno.stat(join(worktree.path, ".imac")));

      const page = browser.pages()[0] ?? await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(`${served.url}?token=${TOKEN}`);
      const row = page.locator('#sessions li[data-session="pw"]');
      await row.locator(".branch", {
        hasText: "aimax/pw · +2 \u22121, 2 files",
      }).waitFor({ timeout: 30_000 });
      await row.click();
      await page.locator("#conversation .msg.assistant", {
        hasText: "tool done",
      }).waitFor({ timeout: 30_000 });
      await page.locator("#diff-toggle").click();
      await page.locator("#diff").waitFor({ state: "visible" });
      await page.locator("#diff-summary", {
        hasText: "aimax/pw: +2 \u22121, 2 files",
      }).waitFor({ timeout: 20_000 });
      // Beside the conversation, not under it.
      const conversation = await page.locator("#conversation").boundingBox();
      const diff = await page.locator("#diff").boundingBox();
      assert.ok(
        conversation && diff &&
          diff.x >= conversation.x + conversation.width - 1,
      );

      const file = page.locator('#diff .file[data-path="a.txt"]');
      await file.waitFor();
      assert.match(
        (await file.locator("summary").textContent()) ?? "",
        /^added a\.txt \+1 \u22120$/,
      );
      const added = file.locator(".line.add");
      assert.equal(await added.textContent(), "+<img src=x>");
      assert.equal(
        await page.locator("#diff img").count(),
        0,
        "text, not HTML",
      );
      const readme = page.locator('#diff .file[data-path="README.md"]');
      assert.equal(
        await readme.locator(".hunk-header").textContent(),
        "@@ -1 +1 @@",
      );
      assert.equal(await readme.locator(".line.del").textContent(), "-# demo");
      assert.equal(await readme.locator(".line.add").textContent(), "+changed");
      const colour = (selector: string) =>
        page.locator(selector).first().evaluate((e) =>
          // In the page: the DOM's getComputedStyle.
          (globalThis as unknown as {
            getComputedStyle(e: unknown): { backgroundColor: string };
          }).getComputedStyle(e).backgroundColor
        );
      assert.equal(await colour("#diff .line.add"), "rgb(230, 255, 236)");
      assert.equal(await colour("#diff .line.del"), "rgb(255, 235, 233)");
      await page.screenshot({ path: join(SHOTS, "serve-page-5-diff.png") });
      assert.deepEqual(errors, []);
    } finally {
      await close();
      await served.stop();
    }
  },
  {
    ...SERVE_WORLD,
    permissions: (w) =>
      permissionFlags(configFromEnv((name) => w.env[name]), {
        workDirs: [w.root],
        serve: "127.0.0.1:0",
        worktrees: true,
      }),
    ignore: skip,
  },
);
