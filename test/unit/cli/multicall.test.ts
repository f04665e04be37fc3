// The server executable runs the daemon or the CLI by the name it was started under.
import { describe, expect, it } from "vitest";
import { programFor } from "../../../cli/multicall.js";

describe("programFor", () => {
  it("runs the daemon under the name asg-release-server, wherever it lies", () => {
    expect(programFor("asg-release-server")).toBe("daemon");
    expect(programFor("/usr/bin/asg-release-server")).toBe("daemon");
    expect(programFor("./asg-release-server-linux-arm64")).toBe("daemon");
  });

  it("runs the CLI under any other name", () => {
    expect(programFor("asg-release")).toBe("cli");
    expect(programFor("/usr/bin/asg-release")).toBe("cli");
    expect(programFor("dist/asg-release-linux-x64")).toBe("cli");
    expect(programFor("asg-release-serverx")).toBe("cli");
  });
});
