// Global setup of the integration and e2e suites: a fixture server on loopback that starts the
// run's shared registry and busybox image on the first request (test/support/test-image.ts), so
// a run that needs none pays nothing, and stops them after the run.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { FIXTURES_ENV, ownTestImage, type SharedImage, type TestImage } from "./support/test-image.js";

export default async function setup(): Promise<() => Promise<void>> {
  let shared: Promise<TestImage> | undefined;
  const server = createServer((req, res) => {
    if (req.url !== "/busybox") {
      res.writeHead(404).end();
      return;
    }
    (shared ??= ownTestImage()).then(
      ({ registry, image }) => {
        const body: SharedImage = { registry: { host: registry.host, url: registry.url }, image };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      },
      (e: Error) => res.writeHead(500).end(e.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Test files run in forks started after this, which inherit the environment.
  process.env[FIXTURES_ENV] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await (await shared?.catch(() => undefined))?.registry.stop();
  };
}
