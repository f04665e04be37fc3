// A logger whose JSON lines are kept, parsed, for tests that assert on what was logged.
import { Writable } from "node:stream";
import { createLogger, type Logger } from "#shared/log.js";

export function captureLog(): { lines: Record<string, unknown>[]; log: Logger } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ name: "test", destination }) };
}
