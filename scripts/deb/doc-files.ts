// The files every package carries in /usr/share/doc/<package>/: the machine-readable copyright
// (DEP-5) and the changelog. The package is native (this repository is its own upstream), so the
// changelog is changelog.gz rather than changelog.Debian.gz.
import type { PackageSpec } from "./packages.js";

const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:
.
The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.
.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.`;

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => ` ${l}`)
    .join("\n");

/** `year`: of the release (SOURCE_DATE_EPOCH), for the copyright notices. */
export function renderCopyright(spec: PackageSpec, year: number): string {
  return `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: asg-release

Files: *
Copyright: ${year} asg-release contributors
License: Apache-2.0

Files: usr/bin/${spec.executable.installAs}
Copyright: ${year} asg-release contributors
 Node.js contributors
License: Apache-2.0 and MIT
Comment: A Node.js single-executable application: the node binary (MIT; the
 third-party components it embeds are under the licenses listed in Node.js's
 LICENSE file) carries a bundle of this program and of the npm packages it
 imports (the AWS SDK for JavaScript: Apache-2.0; commander, execa, pino,
 undici, zod and their dependencies: MIT; yaml: ISC).

License: Apache-2.0
 On Debian systems, the full text of the Apache License, Version 2.0 can be
 found in "/usr/share/common-licenses/Apache-2.0".

License: MIT
${indent(MIT)}
`;
}

/** RFC 2822 date, as dpkg-parsechangelog writes it: "Thu, 01 Jan 2026 00:00:00 +0000". */
export function changelogDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString().replace("GMT", "+0000");
}

export function renderChangelog(
  spec: PackageSpec,
  version: string,
  maintainer: string,
  epochSeconds: number,
): string {
  return `${spec.name} (${version}) unstable; urgency=medium

  * Release ${version}: docs/ in the asg-release source describes it.

 -- ${maintainer}  ${changelogDate(epochSeconds)}
`;
}
