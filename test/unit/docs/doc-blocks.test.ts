// The extractor of runnable guide blocks: markers, places, expectations, and every way a block could
// be left unrun by mistake reported as a problem.
import { describe, expect, it } from "vitest";
import { extractBlocks, variablesOf } from "../../support/doc-blocks.js";

const md = (...lines: string[]) => lines.join("\n");

describe("extractBlocks", () => {
  it("reads each marked sh block with its place, line and expectation", () => {
    const { blocks, problems } = extractBlocks(
      md(
        "# Guide",
        "<!-- run: operator -->",
        "```sh",
        'VPC=$(aws ec2 describe-vpcs --query "Vpcs[0].VpcId" --output text)',
        "echo $VPC",
        "```",
        "You should see:",
        "```text",
        "vpc-0123",
        "```",
        "<!-- session: release-host -->",
        "",
        "```sh",
        'ssh root@"$RELEASE_HOST"',
        "```",
        "<!-- run: release-host; expect: active -->",
        "```bash",
        "systemctl is-active asg-release-server",
        "```",
      ),
    );
    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      {
        kind: "run",
        place: "operator",
        line: 3,
        code: 'VPC=$(aws ec2 describe-vpcs --query "Vpcs[0].VpcId" --output text)\necho $VPC',
      },
      { kind: "session", place: "release-host", line: 13, code: 'ssh root@"$RELEASE_HOST"' },
      {
        kind: "run",
        place: "release-host",
        line: 17,
        code: "systemctl is-active asg-release-server",
        expect: "active",
      },
    ]);
  });

  it("keeps code blocks of other languages out, and fences inside them", () => {
    const { blocks, problems } = extractBlocks(
      md("````md", "```sh", "ls", "```", "````", "```yaml", "a: 1", "```"),
    );
    expect(problems).toEqual([]);
    expect(blocks).toEqual([]);
  });

  it.each([
    [md("```sh", "ls", "```"), "line 1: ```sh block without a run or session marker"],
    [
      md("<!-- run: operator -->", "Some prose.", "```sh", "ls", "```"),
      "line 1: marker not followed by a code block",
    ],
    [
      md("<!-- run: operator -->", "```yaml", "a: 1", "```"),
      "line 1: marker followed by a ```yaml block, not ```sh",
    ],
    [md("<!-- run: operator -->"), "line 1: marker not followed by a code block"],
    [md("<!-- run operator -->", "```sh", "ls", "```"), "line 1: malformed marker: <!-- run operator -->"],
    [
      md("<!-- run: skip because -->", "```sh", "ls", "```"),
      "line 1: malformed marker: <!-- run: skip because -->",
    ],
    [md("<!-- run: operator -->", "```sh", "ls"), "line 2: code block never closed"],
    [
      md("<!-- session: h -->", "```sh", "ssh a", "```", "<!-- session: h -->", "```sh", "ssh b", "```"),
      "line 6: a second session block for h",
    ],
  ])("reports %j", (text, problem) => {
    expect(extractBlocks(text).problems).toContain(problem);
  });
});

describe("variablesOf", () => {
  it("lists the variables a command reads, once each", () => {
    expect(variablesOf('ssh -i ~/.ssh/k root@"$HOST" -p ${PORT:-22} $HOST')).toEqual(["HOST", "PORT"]);
  });
});
