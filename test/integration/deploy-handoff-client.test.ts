// docs/spec/deploy.md#delegated-destroy: the hand-off client against a handler on loopback. GET must answer
// 2xx (docs/spec/deploy.md#handoff-check); each POST must complete within 5 s
// (docs/spec/deploy.md#handoff-timeout).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandoffBody } from "../../release-server/deploy/actions.js";
import { createHandoffClient, handoffTimeoutMs } from "../../release-server/deploy/execute/handoff.js";

let server: Server;
let base: string;
const posted: { path: string; type: string | undefined; body: unknown }[] = [];

const readBody = async (req: IncomingMessage) => {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? "";
      if (path.startsWith("/hang")) return; // never answers
      const status = Number(/status=(\d+)/.exec(path)?.[1] ?? 200);
      if (req.method === "POST") {
        posted.push({ path, type: req.headers["content-type"], body: JSON.parse(await readBody(req)) });
      }
      res.writeHead(status).end("ignored");
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const body: HandoffBody = {
  ec2_region: "us-east-1",
  ec2_instance_id: "i-0123456789abcdef0",
  ip_address: "10.0.1.7",
  project: "shop",
  component: "back",
  user_data: null,
};

describe("the delegated destroy handler", () => {
  it('"On GET, it must return a success status, one of the valid 2xx status codes (the actual response and payload is ignored)"', async () => {
    const client = createHandoffClient();
    await expect(client.check(`${base}/h?status=204`)).resolves.toBeUndefined();
    await expect(client.check(`${base}/h?status=503`)).rejects.toThrow(
      `delegated destroy: GET ${base}/h?status=503 (pre-flight check) answered 503, expected 2xx`,
    );
  });

  it('"On POST, ec2-asg will send the following data": the specified fields as JSON (docs/spec/deploy.md#handoff-body)', async () => {
    await createHandoffClient().post(`${base}/post?status=202`, body);
    expect(posted.at(-1)).toEqual({ path: "/post?status=202", type: "application/json", body });
    await expect(createHandoffClient().post(`${base}/post?status=500`, body)).rejects.toThrow(
      `delegated destroy: POST ${base}/post?status=500 for i-0123456789abcdef0 answered 500, expected 2xx`,
    );
  });

  it('"IMPORTANT: the POST request is expected to complete within 5sec": a handler that does not answer in time fails the hand-off', async () => {
    expect(handoffTimeoutMs).toBe(5000);
    const err = await createHandoffClient(200)
      .post(`${base}/hang`, body)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toMatchObject({ code: "HandoffFailed" });
    expect(String((err as Error).message)).toMatch(new RegExp(`^delegated destroy: POST ${base}/hang: `));
  });
});
