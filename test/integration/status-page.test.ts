// The status page in a real browser: a release server's API on loopback, its status board fed a few
// publishes and checks of the fleet over time, and Debian's headless Chromium loading /status. The
// DOM Chromium dumps once the page's script has fetched its body must show the current release,
// every member's release, state and reason, one plot line per release with its axis labels, and the
// publishes with their step timings; a screenshot is kept under test-artifacts/. Guarded, the shell
// still loads (it holds no data) and its body needs the bearer token, like /v1/status: in Chromium,
// driven over DevTools, the token goes in the page's form and the fleet appears. `asg-release
// status` prints the page's address.
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metrics } from "../../release-server/api/metrics.js";
import { PointerStore } from "../../release-server/api/pointer-store.js";
import { startApi, type ApiServer } from "../../release-server/api/server.js";
import { StepClock } from "../../release-server/api/status-page/history.js";
import { statusView } from "../../release-server/api/status-page/view.js";
import { StatusBoard } from "../../release-server/api/status.js";
import type { MemberOutcome, PublishReport } from "../../release-server/publish/report.js";
import { silentLogger } from "#shared/log.js";
import { run } from "#shared/proc/run.js";
import { dumpDom, openPage, screenshot } from "../support/chromium.js";

const TOKEN = "t0ken-for-the-status-page-0123456789";
const ARTIFACTS = join(process.cwd(), "test-artifacts");
const T0 = Date.parse("2026-03-02T10:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const member = (n: number, releaseId: string, reason?: string): MemberOutcome => ({
  instanceId: `i-0000000000000000${n}`,
  asg: "web",
  privateIp: `127.0.0.${10 + n}`,
  releaseId,
  status: reason ? "straggler" : "converged",
  ...(reason ? { reason } : {}),
});

/** Step timings as a publish's progress events give them, on a clock the test moves. */
function steps(names: string[], failAt?: string) {
  let now = 0;
  const clock = new StepClock(() => now);
  for (const step of names) {
    clock.see({ type: "step", step: step as never, status: "start" });
    now += 1500;
    clock.see({ type: "step", step: step as never, status: step === failAt ? "fail" : "done" });
  }
  return clock.timings();
}

const report = (r: Partial<PublishReport> & { startedAt: string }): PublishReport => ({
  result: "published",
  durationMs: 42_000,
  members: [],
  ...r,
});

const ALL_STEPS = ["synced", "frozen", "snapshot-started", "snapshot-completed", "pointer-published"];
const REFUSED = "ssh: connect to host 127.0.0.13 port 22: Connection refused";

let dir: string;
let pointers: PointerStore;
let board: StatusBoard;
let open: ApiServer;
let guarded: ApiServer;

async function start(guardStatus: boolean): Promise<ApiServer> {
  return startApi(
    {
      pointers,
      metrics: new Metrics(),
      token: TOKEN,
      guardStatus,
      status: () => board.report(),
      statusView: () => statusView(board.report()),
      requestPublish: () => Promise.reject(new Error("no publish in this test")),
      log: silentLogger,
    },
    { host: "127.0.0.1", port: 0 },
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "status-page-"));
  pointers = new PointerStore(join(dir, "pointer.json"));
  board = new StatusBoard(
    "shop",
    () => pointers.current(),
    () => false,
  );
  // r1 reaches all three members; r2 reaches two, the third stays on r1, unreachable; a third
  // publish fails; a later check finds the straggler still on r1 with a reason full of markup.
  const r1 = [member(1, "r1"), member(2, "r1"), member(3, "r1")];
  board.published(
    report({ releaseId: "r1", snapshotId: "snap-01", startedAt: at(0).toISOString(), members: r1 }),
    at(1),
    steps(ALL_STEPS),
  );
  board.reconciled(r1, at(6));
  await pointers.publish({
    releaseId: "r2",
    snapshotId: "snap-02",
    treeHash: "2".repeat(64),
    time: at(10).toISOString(),
  });
  const r2 = [member(1, "r2"), member(2, "r2"), member(3, "r1", REFUSED)];
  board.published(
    report({ releaseId: "r2", snapshotId: "snap-02", startedAt: at(10).toISOString(), members: r2 }),
    at(11),
    steps(ALL_STEPS),
  );
  board.published(
    report({ result: "failed", startedAt: at(14).toISOString(), error: "rsync failed" }),
    at(15),
    steps(["synced"], "synced"),
  );
  board.reconciled([member(1, "r2"), member(2, "r2"), member(3, "r1", "<b>not markup</b>")], at(20));
  open = await start(false);
  guarded = await start(true);
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The text of an element's HTML: tags dropped, entities Chromium writes decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

function rowsOf(dom: string, tableClass: string): string[][] {
  const table = new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`).exec(dom)?.[1] ?? "";
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? "";
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...(r[1] as string).matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => text(c[1] as string)),
  );
}

describe("the status page in headless Chromium", () => {
  let dom: string;
  beforeAll(async () => {
    dom = await dumpDom(`${open.url}/status`);
  }, 150_000);

  it("shows the current release", () => {
    const field = (name: string) =>
      text(new RegExp(`<dd data-field="${name}">([\\s\\S]*?)</dd>`).exec(dom)?.[1] ?? "");
    expect(field("release")).toBe("r2");
    expect(field("snapshot")).toBe("snap-02");
    expect(field("tree hash")).toBe("2".repeat(64));
    // The store numbers the pointers it publishes: this is its first.
    expect(field("sequence")).toBe("1");
    expect(field("rollback")).toBe("no");
    expect(field("published")).toBe("2026-03-02 10:10:00");
  });

  it("lists every member with its release, state and reason, markup in a reason shown as text", () => {
    const rows = rowsOf(dom, "members");
    expect(rows).toEqual([
      ["i-00000000000000001", "web", "127.0.0.11", "r2", "converged", ""],
      ["i-00000000000000002", "web", "127.0.0.12", "r2", "converged", ""],
      ["i-00000000000000003", "web", "127.0.0.13", "r1", "straggler", "<b>not markup</b>"],
    ]);
    expect(dom).not.toContain("<b>not markup</b>");
    expect(dom).toContain("3 members, 1 stragglers");
  });

  it("plots one line per release, with axis labels and a legend", () => {
    const svg = /<svg class="timeline"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? "";
    const series = [...svg.matchAll(/<path class="series" data-release="([^"]+)" d="([^"]+)"/g)];
    expect(series.map((s) => s[1])).toEqual(["r1", "r2"]);
    // Four checks: r1 is in all of them, r2 from the third on; each check after a line's first is
    // one step (H then V).
    expect(series.map((s) => (s[2] as string).match(/H/g)?.length)).toEqual([3, 1]);
    expect(text(svg)).toContain("members");
    expect(text(svg)).toContain("time (UTC)");
    expect(text(svg)).toMatch(/10:01:00.*10:20:00/);
    const legend = /<ul class="legend">([\s\S]*?)<\/ul>/.exec(dom)?.[1] ?? "";
    expect(text(legend)).toBe("r1 r2");
  });

  it("lists the last publishes, newest first, with their step timings", () => {
    const rows = rowsOf(dom, "publishes");
    expect(rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ["2026-03-02 10:14:00", "failed", "", "0 of 0"],
      ["2026-03-02 10:10:00", "published", "r2", "2 of 3"],
      ["2026-03-02 10:00:00", "published", "r1", "3 of 3"],
    ]);
    expect(rows[0]?.[5]).toBe("synced fail");
    expect(rows[0]?.[6]).toBe("rsync failed");
    expect(rows[1]?.[5]).toBe(ALL_STEPS.map((s) => `${s} 1.5 s`).join(" "));
  });

  it("keeps a screenshot", async () => {
    const file = join(ARTIFACTS, "status-page.png");
    await rm(file, { force: true });
    await screenshot(`${open.url}/status`, file);
    expect((await stat(file)).size).toBeGreaterThan(1000);
    const png = await readFile(file);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }, 150_000);
});

describe("guarded like /v1/status", () => {
  const get = (path: string, token?: string) =>
    fetch(`${guarded.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it("serves the shell without the token, with no fleet data in it", async () => {
    const res = await get("/status");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'sha256-/);
    const html = await res.text();
    expect(html).not.toContain("i-0000000000000000");
    expect(html).not.toContain("r2");
  });

  it("answers 401 for the body and the JSON without the token, or with a wrong one", async () => {
    for (const path of ["/v1/status/page", "/v1/status"]) {
      expect((await get(path)).status).toBe(401);
      expect((await get(path, "not-the-token-0123456789")).status).toBe(401);
    }
  });

  it("answers the body and the JSON with the token", async () => {
    const page = await get("/v1/status/page", TOKEN);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-instance="i-00000000000000003"');
    const json = (await (await get("/v1/status", TOKEN)).json()) as ReturnType<StatusBoard["report"]>;
    expect(json.publishes?.map((p) => p.result)).toEqual(["failed", "published", "published"]);
    expect(json.timeline?.map((p) => p.counts)).toEqual([
      { r1: 3 },
      { r1: 3 },
      { r2: 2, r1: 1 },
      { r2: 2, r1: 1 },
    ]);
  });

  it("shows the token form in a browser that has no token", async () => {
    const dom = await dumpDom(`${guarded.url}/status`);
    expect(dom).toMatch(/<form id="auth" autocomplete="off">/);
    expect(dom).toContain("this server needs its API token");
    expect(dom).not.toContain("i-0000000000000000");
  }, 150_000);

  it("shows the fleet once the token is entered in the page's form, and forgets it on request", async () => {
    const page = await openPage(`${guarded.url}/status`);
    try {
      await page.waitFor("the token form", `!document.getElementById("auth").hidden`);
      const wrong = `document.getElementById("message").textContent === "the server refused this token"`;
      await page.evaluate(`(() => {
        const form = document.getElementById("auth");
        form.elements.token.value = "not-the-token-0123456789";
        form.requestSubmit();
      })()`);
      await page.waitFor("the wrong token refused", wrong);
      await page.evaluate(`(() => {
        const form = document.getElementById("auth");
        form.elements.token.value = ${JSON.stringify(TOKEN)};
        form.requestSubmit();
      })()`);
      const rows = await page.waitFor<string[]>(
        "the members table",
        `(() => {
          const rows = [...document.querySelectorAll("table.members tbody tr")];
          return rows.length ? rows.map((r) => r.dataset.instance) : undefined;
        })()`,
      );
      expect(rows).toEqual(["i-00000000000000001", "i-00000000000000002", "i-00000000000000003"]);
      // Kept for this tab only, and out of sight: the form is emptied and hidden.
      expect(await page.evaluate(`sessionStorage.getItem("asg-release-token")`)).toBe(TOKEN);
      expect(await page.evaluate(`document.getElementById("auth").hidden`)).toBe(true);
      expect(await page.evaluate(`document.getElementById("auth").elements.token.value`)).toBe("");
      expect(await page.evaluate(`location.href`)).toBe(`${guarded.url}/status`);
      await page.evaluate(`document.getElementById("forget").click()`);
      await page.waitFor("the form again", `!document.getElementById("auth").hidden`);
      expect(await page.evaluate(`sessionStorage.getItem("asg-release-token")`)).toBe(null);
      expect(await page.evaluate(`document.querySelectorAll("table.members").length`)).toBe(0);
    } finally {
      await page.close();
    }
  }, 150_000);
});

describe("asg-release status", () => {
  it("prints the status page's address", async () => {
    const { stdout } = await run([process.execPath, "bin/asg-release.js", "status", "--server", open.url], {
      timeoutMs: 60_000,
    });
    expect(stdout).toContain(`Status page: ${open.url}/status\n`);
  }, 90_000);
});
