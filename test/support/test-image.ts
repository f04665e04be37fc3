// The busybox httpd image (busybox-image.ts) that full hosts run in most tests, in a registry on
// loopback. Under vitest, one registry and image serve the whole run: test/global-setup.ts starts
// them on the first request and names its fixture server in FIXTURES_ENV. Elsewhere (the demo, a
// benchmark) the caller gets a registry of its own.
import { buildBusyboxImage, type BusyboxImage } from "./busybox-image.js";
import { startRegistry, type Registry } from "./registry.js";

export const FIXTURES_ENV = "ASG_RELEASE_TEST_FIXTURES";

export interface TestImage {
  /** stop() stops a registry of the caller's own; the run's shared one outlives the caller. */
  registry: Registry;
  image: BusyboxImage;
}

/** What the fixture server's /busybox answers. */
export interface SharedImage {
  registry: { host: string; url: string };
  image: BusyboxImage;
}

export async function ownTestImage(): Promise<TestImage> {
  const registry = await startRegistry();
  try {
    return { registry, image: await buildBusyboxImage({ registry }) };
  } catch (e) {
    await registry.stop();
    throw e;
  }
}

export async function testImage(): Promise<TestImage> {
  const server = process.env[FIXTURES_ENV];
  if (!server) return ownTestImage();
  const res = await fetch(`${server}/busybox`);
  if (!res.ok) throw new Error(`the test run's shared image: HTTP ${res.status}: ${await res.text()}`);
  const shared = (await res.json()) as SharedImage;
  return { registry: { ...shared.registry, stop: async () => undefined }, image: shared.image };
}
