/**
 * The live page of `aimax serve` in headless Chromium (Debian's `chromium`,
 * driven by `playwright-core`), against the real Claude Code TUI: it lists
 * a session, shows a reply arriving live, sends a prompt, and shows and
 * answers a permission dialog. Screenshots go to `.work/screenshots/`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
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

worldTest(
  "claude",
  "serve page (headless Chromium): lists a session, shows a reply live, sends a prompt, shows and answers a permission dialog",
  async (world) => {
    await Deno.mkdir(SHOTS, { recursive: true });
    const served = await startServe(world);
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
      const page = browser.pages()[0] ?? await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      // The token is traded for a cookie and leaves the address bar.
      await page.goto(`${served.url}?token=${TOKEN}`);
      assert.equal(page.url(), served.url);
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
        body: { prompt: "from another client [[slow 2]]" },
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
      await page.screenshot({ path: join(SHOTS, "serve-page-3-dialog.png") });
      await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
      // It names the dialog it shows, and its buttons say the agent's words.
      const status = await api(served, "/api/sessions/p1");
      const id: string = status.body.dialogInfo.id;
      assert.equal(await page.textContent("#dialog-id"), `dialog ${id}`);
      assert.equal(await page.textContent("#approve"), "Yes");
      assert.equal(await page.isVisible("#always"), true);
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
      await page.screenshot({ path: join(SHOTS, "serve-page-4-approved.png") });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      await served.stop();
    }
  },
  { ...SERVE_WORLD, approvals: true, ignore: skip },
);
