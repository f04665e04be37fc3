// The status page's plot: how many members ran each release over time, as inline SVG drawn on the
// server (no script, no external asset). One step line per release, in the order releases first
// appeared, from its first check on; a release absent from a later check counts 0 there.
import { esc } from "./html.js";
import type { TimelinePoint } from "./history.js";

const WIDTH = 1000;
const HEIGHT = 260;
const LEFT = 52;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 46;

/** Colours that stay apart for people with the common colour-vision deficiencies (Okabe-Ito). */
export const PALETTE = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#d55e00",
  "#f0e442",
  "#000000",
];

export function colourOf(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}

/** Releases in the order they first appear in the series. */
export function releasesOf(points: TimelinePoint[]): string[] {
  const seen: string[] = [];
  for (const p of points) for (const id of Object.keys(p.counts)) if (!seen.includes(id)) seen.push(id);
  return seen;
}

/** Integer ticks from 0 to at least `max`, at most about five of them. */
export function countTicks(max: number): number[] {
  const top = Math.max(1, max);
  const step = Math.max(1, Math.ceil(top / 5));
  const ticks: number[] = [];
  for (let v = 0; v < top + step; v += step) ticks.push(v);
  return ticks;
}

function timeLabel(ms: number, sameDay: boolean): string {
  const iso = new Date(ms).toISOString();
  return sameDay ? iso.slice(11, 19) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

export function timelineSvg(points: TimelinePoint[]): string {
  const w = WIDTH - LEFT - RIGHT;
  const h = HEIGHT - TOP - BOTTOM;
  const times = points.map((p) => Date.parse(p.at));
  const t0 = times[0] ?? 0;
  const t1 = times.at(-1) ?? 0;
  const span = t1 > t0 ? t1 - t0 : 1;
  const releases = releasesOf(points);
  const ticks = countTicks(Math.max(0, ...points.map((p) => Math.max(0, ...Object.values(p.counts)))));
  const top = ticks.at(-1) as number;
  // A single check sits in the middle rather than on the axis.
  const x = (t: number) => LEFT + (t1 > t0 ? ((t - t0) / span) * w : w / 2);
  const y = (v: number) => TOP + h - (v / top) * h;
  const f = (n: number) => n.toFixed(1);

  const parts: string[] = [];
  for (const v of ticks) {
    parts.push(
      `<line class="grid" x1="${LEFT}" x2="${LEFT + w}" y1="${f(y(v))}" y2="${f(y(v))}"/>`,
      `<text class="tick y-tick" x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v}</text>`,
    );
  }
  const sameDay = new Date(t0).toISOString().slice(0, 10) === new Date(t1).toISOString().slice(0, 10);
  const xTicks = points.length === 0 ? [] : t1 > t0 ? [t0, t0 + span / 2, t1] : [t0];
  xTicks.forEach((t, i) => {
    // The outer labels align inwards, so neither runs past the plot's edge.
    const anchor =
      xTicks.length === 1 ? "middle" : i === 0 ? "start" : i === xTicks.length - 1 ? "end" : "middle";
    parts.push(
      `<text class="tick x-tick" x="${f(x(t))}" y="${TOP + h + 16}" text-anchor="${anchor}">${esc(timeLabel(t, sameDay))}</text>`,
    );
  });
  parts.push(
    `<line class="axis" x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + h}"/>`,
    `<line class="axis" x1="${LEFT}" x2="${LEFT + w}" y1="${TOP + h}" y2="${TOP + h}"/>`,
    `<text class="axis-label x-label" x="${LEFT + w / 2}" y="${HEIGHT - 6}" text-anchor="middle">time (UTC)</text>`,
    `<text class="axis-label y-label" transform="translate(14 ${TOP + h / 2}) rotate(-90)" text-anchor="middle">members</text>`,
  );
  releases.forEach((id, i) => {
    const first = points.findIndex((p) => id in p.counts);
    const values = points.map((p) => p.counts[id] ?? 0);
    let d = `M${f(x(times[first] as number))} ${f(y(values[first] as number))}`;
    for (let k = first + 1; k < points.length; k++)
      d += ` H${f(x(times[k] as number))} V${f(y(values[k] as number))}`;
    parts.push(
      `<path class="series" data-release="${esc(id)}" d="${d}" stroke="${colourOf(i)}"><title>${esc(id)}</title></path>`,
    );
    // A dot at each check, so checks show, and a release seen at one check only is still drawn.
    for (let k = first; k < points.length; k++)
      parts.push(
        `<circle class="check" cx="${f(x(times[k] as number))}" cy="${f(y(values[k] as number))}" r="3" fill="${colourOf(i)}"/>`,
      );
  });
  if (points.length === 0) {
    parts.push(
      `<text class="empty" x="${LEFT + w / 2}" y="${TOP + h / 2}" text-anchor="middle">no member checked yet</text>`,
    );
  }
  return (
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="members per release over time">` +
    parts.join("") +
    `</svg>`
  );
}
