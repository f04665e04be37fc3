// Debian's Chromium, headless, for tests of pages the server renders: the DOM once the page's scripts
// have run (virtual time lets its requests finish first), a screenshot, and a page driven through the
// DevTools protocol for what a person does (fill a form), on a loopback port of the kernel's choosing.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, start } from "#shared/proc/run.js";
import { waitUntil } from "./e2e/fleet.js";

const BASE = ["chromium", "--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run"];

/** Runs Chromium once with a profile of its own (removed after); its stdout. */
async function once(url: string, extra: string[]): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), "chromium-"));
  try {
    const { stdout } = await run(
      [...BASE, `--user-data-dir=${profile}`, "--virtual-time-budget=5000", ...extra, url],
      { timeoutMs: 120_000, env: { HOME: profile } },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export const dumpDom = (url: string): Promise<string> => once(url, ["--dump-dom"]);

export async function screenshot(url: string, file: string, size = "1200,900"): Promise<void> {
  await once(url, [`--screenshot=${file}`, `--window-size=${size}`]);
}

/** A DevTools protocol answer to Runtime.evaluate. */
interface Answer {
  result?: { result?: { value?: unknown }; exceptionDetails?: unknown };
  error?: unknown;
}

export interface DrivenPage {
  /** Evaluates an expression in the page; its value, JSON-serialisable. */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits until the expression is truthy (and does not throw); its value. */
  waitFor<T>(what: string, expression: string): Promise<T>;
  close(): Promise<void>;
}

/** Opens `url` in a headless Chromium driven over the DevTools protocol. */
export async function openPage(url: string): Promise<DrivenPage> {
  const profile = await mkdtemp(join(tmpdir(), "chromium-"));
  const proc = start([...BASE, `--user-data-dir=${profile}`, "--remote-debugging-port=0", url], {
    env: { HOME: profile },
  });
  const close = async () => {
    proc.kill("SIGTERM");
    await proc.done;
    await rm(profile, { recursive: true, force: true });
  };
  try {
    // Chromium writes the port it got to DevToolsActivePort in its profile.
    const port = await waitUntil("Chromium's DevTools port", async () => {
      const text = await readFile(join(profile, "DevToolsActivePort"), "utf8").catch(() => "");
      return /^\d+/.exec(text)?.[0];
    });
    const target = await waitUntil("the page's DevTools target", async () => {
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
        type: string;
        webSocketDebuggerUrl: string;
      }[];
      return list.find((t) => t.type === "page")?.webSocketDebuggerUrl;
    });
    const ws = new WebSocket(target);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("cannot connect to Chromium's DevTools"));
    });
    let next = 0;
    const waiting = new Map<
      number,
      (r: { result?: { result?: { value?: unknown } }; error?: unknown }) => void
    >();
    ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as Answer & { id?: number };
      if (msg.id !== undefined) waiting.get(msg.id)?.(msg);
    };
    const evaluate = async <T>(expression: string): Promise<T> => {
      const id = ++next;
      const answer = await new Promise<Answer>((resolve) => {
        waiting.set(id, resolve);
        ws.send(
          JSON.stringify({
            id,
            method: "Runtime.evaluate",
            params: { expression, returnByValue: true, awaitPromise: true },
          }),
        );
      });
      waiting.delete(id);
      const failed = answer.error ?? answer.result?.exceptionDetails;
      if (failed) throw new Error(`evaluate ${expression}: ${JSON.stringify(failed)}`);
      return answer.result?.result?.value as T;
    };
    return {
      evaluate,
      waitFor: (what, expression) =>
        // An expression that throws (the page not loaded yet) is not there yet either.
        waitUntil(
          what,
          async () => (await evaluate<unknown>(expression).catch(() => undefined)) || undefined,
        ) as never,
      close: async () => {
        ws.close();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
