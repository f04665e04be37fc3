// A publish requested over the API (POST /v1/publish) with its progress events, so a test can act
// between two steps (scale out, kill the server) and still see how the publish ended.
import { readFileSync } from "node:fs";
import type { ProgressEvent, PublishReport } from "../../../release-server/publish/report.js";

export interface PublishRun {
  events: ProgressEvent[];
  /** The report, or undefined when the stream broke off (the server was killed). */
  report: Promise<PublishReport | undefined>;
}

export function requestPublish(
  apiUrl: string,
  tokenFile: string,
  onEvent: (e: ProgressEvent) => void = () => {},
): PublishRun {
  const token = readFileSync(tokenFile, "utf8").trim();
  const events: ProgressEvent[] = [];
  const report = (async () => {
    try {
      const res = await fetch(`${apiUrl}/v1/publish`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok || !res.body) throw new Error(`POST /v1/publish: HTTP ${res.status}`);
      let buffered = "";
      let result: PublishReport | undefined;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += Buffer.from(chunk).toString("utf8");
        let nl: number;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const e = JSON.parse(buffered.slice(0, nl)) as ProgressEvent;
          buffered = buffered.slice(nl + 1);
          events.push(e);
          if (e.type === "result") result = e.report;
          onEvent(e);
        }
      }
      return result;
    } catch {
      return undefined;
    }
  })();
  return { events, report };
}
