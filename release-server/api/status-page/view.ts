// The status page's body, rendered on the server from the same report /v1/status serves: the current
// release, each member's release, state and reason, the members-per-release plot, and the last
// publishes with their step timings. Pure: a report in, an HTML fragment out, every value escaped.
import type { StatusReport } from "../status.js";
import { duration, esc, utc } from "./html.js";
import { colourOf, releasesOf, timelineSvg } from "./timeline-svg.js";

const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
const head = (cells: string[]) => `<tr>${cells.map((c) => `<th scope="col">${c}</th>`).join("")}</tr>`;
const code = (v: unknown) => (v === undefined || v === null || v === "" ? "" : `<code>${esc(v)}</code>`);

function current(s: StatusReport): string {
  const c = s.current;
  if (!c)
    return `<section id="current"><h2>Current release</h2><p class="empty">no release published yet</p></section>`;
  const items: [string, string][] = [
    ["release", code(c.releaseId)],
    ["snapshot", code(c.snapshotId)],
    ["tree hash", code(c.treeHash)],
    ["published", esc(utc(c.time))],
    ["sequence", esc(c.sequence ?? "")],
    ["rollback", c.rollback ? `<strong class="rollback">yes</strong>` : "no"],
  ];
  if (c.imageDigest) items.push(["image", code(c.imageDigest)]);
  const notes = [
    s.publishing ? `<p class="note publishing">a publish is running</p>` : "",
    s.pinned ? `<p class="note pinned">${esc(s.pinned.message)}</p>` : "",
  ].join("");
  return (
    `<section id="current"><h2>Current release</h2><dl>` +
    items.map(([k, v]) => `<dt>${k}</dt><dd data-field="${k}">${v}</dd>`).join("") +
    `</dl>${notes}</section>`
  );
}

function members(s: StatusReport): string {
  const checked = s.checkedAt ? ` <span class="when">checked ${esc(utc(s.checkedAt))} UTC</span>` : "";
  const summary = `<p>${s.members.length} members, ${s.stragglers.length} stragglers${checked}</p>`;
  if (s.members.length === 0)
    return `<section id="members"><h2>Members</h2>${summary}<p class="empty">no member checked yet</p></section>`;
  const rows = s.members.map((m) =>
    row([
      code(m.instanceId),
      esc(m.asg),
      esc(m.privateIp ?? ""),
      code(m.releaseId ?? ""),
      `<span class="state ${m.status === "straggler" ? "bad" : "good"}">${esc(m.status)}</span>`,
      esc(m.reason ?? ""),
    ]).replace("<tr>", `<tr data-instance="${esc(m.instanceId)}">`),
  );
  return (
    `<section id="members"><h2>Members</h2>${summary}<table class="members"><thead>` +
    head(["instance", "group", "address", "release", "state", "reason"]) +
    `</thead><tbody>${rows.join("")}</tbody></table></section>`
  );
}

function timeline(s: StatusReport): string {
  const points = s.timeline ?? [];
  const legend = releasesOf(points)
    .map(
      (id, i) =>
        `<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="${colourOf(i)}"/></svg> <code>${esc(id)}</code></li>`,
    )
    .join("");
  return (
    `<section id="timeline"><h2>Members per release over time</h2>${timelineSvg(points)}` +
    `<ul class="legend">${legend}</ul></section>`
  );
}

function publishes(s: StatusReport): string {
  const list = s.publishes ?? [];
  if (list.length === 0)
    return `<section id="publishes"><h2>Last publishes</h2><p class="empty">no publish since the server started</p></section>`;
  const rows = list.map((p) =>
    row([
      esc(utc(p.startedAt)),
      `<span class="result ${p.result === "failed" ? "bad" : "good"}">${esc(p.pinned ? "pinned" : p.result)}</span>`,
      code(p.releaseId ?? ""),
      esc(duration(p.durationMs)),
      esc(`${p.members - p.stragglers} of ${p.members}`),
      `<ol class="steps">${p.steps
        .map(
          (t) =>
            `<li class="step ${esc(t.status)}"><span>${esc(t.step)}</span> ${esc(t.status === "done" ? duration(t.ms) : t.status)}</li>`,
        )
        .join("")}</ol>`,
      esc(p.error ?? p.pinned ?? ""),
    ]),
  );
  return (
    `<section id="publishes"><h2>Last publishes</h2><table class="publishes"><thead>` +
    head(["started (UTC)", "result", "release", "took", "converged", "steps", "note"]) +
    `</thead><tbody>${rows.join("")}</tbody></table></section>`
  );
}

function housekeeping(s: StatusReport): string {
  const failures = s.housekeeping?.failures ?? [];
  if (failures.length === 0) return "";
  return (
    `<section id="housekeeping"><h2>Housekeeping failures</h2><p>as of ${esc(utc(s.housekeeping?.at))} UTC</p><ul>` +
    failures
      .map((f) => `<li><span>${esc(f.step)}</span> ${code(f.item ?? "")} ${esc(f.error)}</li>`)
      .join("") +
    `</ul></section>`
  );
}

export function statusView(s: StatusReport): string {
  return (
    `<p class="project">project <code>${esc(s.project)}</code></p>` +
    current(s) +
    members(s) +
    timeline(s) +
    publishes(s) +
    housekeeping(s)
  );
}
