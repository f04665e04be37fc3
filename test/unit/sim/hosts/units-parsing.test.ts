// The host's service manager reads unit files and command lines as systemd does.
import { describe, expect, it } from "vitest";
import {
  parseEnvironmentFile,
  parseEnvironmentLine,
  splitExecLine,
} from "../../../../sim/hosts/units/init/exec-line.js";
import { parseSeconds, serviceConfig } from "../../../../sim/hosts/units/init/service-config.js";
import { parseUnitText, values } from "../../../../sim/hosts/units/init/unit-file.js";

describe("unit files", () => {
  it("reads sections, continuations, repeated keys and resets", () => {
    const s = parseUnitText("[Service]\n# c\nEnvironment=A=1\nEnvironment=\nEnvironment=B=2 \\\n  C=3\n");
    expect(values(s, "Service", "Environment")).toEqual(["B=2 C=3"]);
  });

  it("takes the agent unit's directives and notes the ignored ones", () => {
    const text = `[Unit]\nConditionPathExists=!/etc/x\nStartLimitBurst=5\n[Service]\nType=notify\nExecStart=-/bin/a b\nRestart=on-failure\nRestartSec=15s\nRestartPreventExitStatus=2\nRemainAfterExit=yes\nTimeoutStartSec=25min\nUMask=0077\nNoNewPrivileges=yes\nStateDirectory=asg\n[Install]\nWantedBy=multi-user.target\n`;
    const c = serviceConfig({ name: "a.service", path: "/x", masked: false, sections: parseUnitText(text) });
    expect(c).toMatchObject({
      type: "notify",
      restart: "on-failure",
      restartSec: 15,
      restartPreventExitStatus: [2],
      remainAfterExit: true,
      timeoutStartSec: 1500,
      umask: 0o077,
      wantedBy: ["multi-user.target"],
      execStart: [{ line: "/bin/a b", ignoreFailure: true }],
      conditions: [{ key: "ConditionPathExists", negate: true, path: "/etc/x", assert: false }],
      directories: [{ env: "STATE_DIRECTORY", base: "/var/lib", names: ["asg"], mode: 0o755 }],
    });
    expect(c.notes).toEqual(["[Service] NoNewPrivileges= not supported here, ignored"]);
  });

  it("parses time spans", () => {
    expect(parseSeconds("1h 30min")).toBe(5400);
    expect(parseSeconds("500ms")).toBe(0.5);
    expect(parseSeconds("7")).toBe(7);
  });
});

describe("command lines", () => {
  it("splits words with quotes, escapes, variables and specifiers", () => {
    const env = { A: "x y", B: "z" };
    expect(splitExecLine(`/bin/echo "a b" 'c d' \${A} $A $$B %n %N\\n`, "u.service", env)).toEqual([
      "/bin/echo",
      "a b",
      "c d",
      "x y",
      "x",
      "y",
      "$B",
      "u.service",
      "u\n",
    ]);
  });

  it("reads Environment= lines and environment files", () => {
    expect(parseEnvironmentLine(`A=1 "B=two words" C=$D`, "u.service")).toEqual([
      ["A", "1"],
      ["B", "two words"],
      ["C", "$D"],
    ]);
    expect(parseEnvironmentFile(`# c\nexport A=1\nB="2 3"\n\nbad\n`)).toEqual([
      ["A", "1"],
      ["B", "2 3"],
    ]);
  });
});
