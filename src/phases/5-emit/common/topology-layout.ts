// Where the topology diagram's boxes, texts and wires go: a small layered layout computed here as
// data (the SVG markup is templates/partials/topology/diagram.svg.hbs). Tier 1 is the PBX (the
// host, or the three HA nodes under the virtual or Elastic IP) with the trusted sources beside it;
// below it the server groups by role, at most COLS per row. Every server group hangs on a bus that
// joins one trunk on the left, which ends in an arrow at the address the servers point at.
// Every coordinate is an integer and every list is in a fixed order, so the bytes never depend on
// the platform's float formatting.
import type { LabelLine, TopologyView } from './topology.js';

export interface SceneText {
  x: number;
  y: number; // baseline
  text: string;
  cls: string;
}

export interface SceneBox {
  x: number;
  y: number;
  w: number;
  h: number;
  cls: 'tier' | 'host' | 'pbx-target' | 'trusted';
  /** The host a box stands for (data-host in the SVG, for tests and styles); null otherwise. */
  host: string | null;
  /** The full text when a line had to be shortened to fit (shown as a tooltip). */
  tooltip: string | null;
  texts: SceneText[];
}

export interface SceneWire {
  points: string; // "x,y x,y …", integers
  cls: 'points-at' | 'holds' | 'trust';
  arrow: boolean; // an arrowhead at the last point
}

export interface Scene {
  width: number;
  height: number;
  title: string;
  frames: SceneBox[]; // drawn first: the tier frames
  wires: SceneWire[]; // then the wires, under the boxes
  boxes: SceneBox[]; // then hosts, the PBX target and the trusted sources
  labels: SceneText[];
}

// The diagram's text is monospace (see the page CSS), so a line's width follows from its length.
const FONT = 12;
const CHAR_W = FONT * 0.62; // DejaVu/Liberation Mono advance is 0.60 em; a little slack
const LINE = 16;
const ASCENT = 12;
const PAD = 8; // inside a box
const GPAD = 10; // inside a tier frame
const HEAD = 26; // a tier frame's title band
const STACK = 8; // between boxes of one group
const GAP = 24; // between groups of a row
const ROW_GAP = 52; // between rows: room for the bus and its label
const HA_GAP = 34; // between the virtual IP and the nodes: room for the bracket
const COLS = 4;
const MARGIN = 16;
const TRUNK_X = MARGIN + 6;
const X0 = MARGIN + 30;
const MIN_BOX = 184;
const MAX_BOX = 360;

const width = (text: string) => Math.ceil(text.length * CHAR_W);

/** Shortens a line to `chars` characters; reports the original when it did. */
function fit(line: LabelLine, chars: number): { line: LabelLine; cut: boolean } {
  if (line.text.length <= chars) return { line, cut: false };
  return { line: { ...line, text: `${line.text.slice(0, Math.max(1, chars - 1))}\u2026` }, cut: true };
}

function box(cls: SceneBox['cls'], host: string | null, x: number, y: number, w: number, lines: LabelLine[]): SceneBox {
  const chars = Math.floor((w - 2 * PAD) / CHAR_W);
  const fitted = lines.map((l) => fit(l, chars));
  const cut = fitted.filter((f) => f.cut);
  return {
    x,
    y,
    w,
    h: boxHeight(lines.length),
    cls,
    host,
    tooltip: cut.length ? lines.map((l) => l.text).join('\n') : null,
    texts: fitted.map((f, i) => ({ x: x + PAD, y: y + PAD + ASCENT + LINE * i, text: f.line.text, cls: f.line.cls })),
  };
}

const boxHeight = (lines: number) => 2 * PAD + LINE * lines - 4;

/** The trusted sources as a table in monospace: addresses padded to one width, then the host. */
function trustedLines(view: TopologyView): LabelLine[] {
  const t = view.trusted!;
  const pad = Math.max(...t.entries.map((e) => e.address.length));
  return [{ text: t.title, cls: 'name' }, ...t.entries.map((e): LabelLine => ({ text: e.host ? `${e.address.padEnd(pad)}  ${e.host}` : e.address, cls: 'addr' }))];
}

/** Even, so that every centre is an integer too. */
const clampWidth = (w: number) => Math.min(MAX_BOX, Math.max(MIN_BOX, w + (w % 2)));

export function layoutTopology(view: TopologyView): Scene {
  const allHosts = [...view.pbxGroup.hosts, ...view.servers.flatMap((g) => g.hosts)];
  const widest = Math.max(...[...allHosts.flatMap((h) => h.label), ...view.pbx.label].map((l) => width(l.text)));
  const boxW = clampWidth(widest + 2 * PAD);
  const groupW = boxW + 2 * GPAD;
  const frames: SceneBox[] = [];
  const wires: SceneWire[] = [];
  const boxes: SceneBox[] = [];
  const labels: SceneText[] = [];

  // ---- tier 1: the PBX ----
  const y0 = MARGIN;
  const tierTitle = view.ha ? `${view.pbxGroup.title} (HA)` : view.pbxGroup.title;
  let anchor: SceneBox | undefined; // what the servers' arrow points at
  let tierW: number;
  let tierH: number;
  if (view.ha) {
    const target = box('pbx-target', null, X0 + GPAD, y0 + HEAD, boxW, view.pbx.label);
    const nodesY = target.y + target.h + HA_GAP;
    const nodes = view.pbxGroup.hosts.map((h, i) => box('host', h.hostname, X0 + GPAD + i * (boxW + GAP / 2), nodesY, boxW, h.label));
    const nodeH = Math.max(...nodes.map((n) => n.h));
    for (const n of nodes) n.h = nodeH;
    tierW = 2 * GPAD + nodes.length * boxW + (nodes.length - 1) * (GAP / 2);
    tierH = HEAD + target.h + HA_GAP + nodeH + GPAD;
    // The bracket: the virtual (or Elastic) IP is held by one of the nodes at a time.
    const midY = target.y + target.h + HA_GAP / 2;
    const centres = nodes.map((n) => n.x + n.w / 2);
    const tx = target.x + target.w / 2;
    wires.push({ points: `${tx},${target.y + target.h} ${tx},${midY}`, cls: 'holds', arrow: false });
    wires.push({ points: `${Math.min(tx, ...centres)},${midY} ${Math.max(tx, ...centres)},${midY}`, cls: 'holds', arrow: false });
    for (const c of centres) wires.push({ points: `${c},${midY} ${c},${nodesY}`, cls: 'holds', arrow: false });
    boxes.push(target, ...nodes);
    anchor = target;
  } else {
    const hosts = view.pbxGroup.hosts.map((h, i) => box('host', h.hostname, X0 + GPAD + i * (boxW + GAP / 2), y0 + HEAD, boxW, h.label));
    const hostH = Math.max(0, ...hosts.map((n) => n.h));
    tierW = 2 * GPAD + Math.max(1, hosts.length) * boxW + Math.max(0, hosts.length - 1) * (GAP / 2);
    tierH = HEAD + hostH + GPAD;
    boxes.push(...hosts);
    anchor = hosts.find((b) => b.host === view.pbxGroup.hosts.find((h) => h.id === view.pbx.hostId)?.hostname) ?? hosts[0];
  }
  frames.push({ x: X0, y: y0, w: tierW, h: tierH, cls: 'tier', host: null, tooltip: null, texts: [{ x: X0 + GPAD, y: y0 + 18, text: tierTitle, cls: 'title' }] });
  let right = X0 + tierW;
  let bottom = y0 + tierH;

  if (view.trusted) {
    const lines = trustedLines(view);
    const w = Math.min(MAX_BOX + 120, Math.max(...lines.map((l) => width(l.text))) + 2 * PAD);
    const t = box('trusted', null, right + 2 * GAP, y0, w, lines);
    const y = y0 + HEAD + 10;
    wires.push({ points: `${t.x},${y} ${right},${y}`, cls: 'trust', arrow: true });
    boxes.push(t);
    right = t.x + t.w;
    bottom = Math.max(bottom, t.y + t.h);
  }

  // ---- the server tiers ----
  const rows: (typeof view.servers)[] = [];
  for (let i = 0; i < view.servers.length; i += COLS) rows.push(view.servers.slice(i, i + COLS));
  let lastBus = 0;
  rows.forEach((row, r) => {
    const top = bottom + ROW_GAP;
    const bus = top - 22;
    let rowBottom = top;
    row.forEach((g, c) => {
      const x = X0 + c * (groupW + GAP);
      let y = top + HEAD;
      const members = g.hosts.map((h) => {
        const b = box('host', h.hostname, x + GPAD, y, boxW, h.label);
        y += b.h + STACK;
        return b;
      });
      const h = y - STACK + GPAD - top;
      frames.push({ x, y: top, w: groupW, h, cls: 'tier', host: null, tooltip: null, texts: [{ x: x + GPAD, y: top + 18, text: `${g.title}`, cls: 'title' }] });
      boxes.push(...members);
      const cx = x + groupW / 2;
      wires.push({ points: `${cx},${bus} ${cx},${top}`, cls: 'points-at', arrow: false });
      rowBottom = Math.max(rowBottom, top + h);
      right = Math.max(right, x + groupW);
    });
    const lastX = X0 + (row.length - 1) * (groupW + GAP) + groupW / 2;
    wires.push({ points: `${TRUNK_X},${bus} ${lastX},${bus}`, cls: 'points-at', arrow: false });
    if (r === 0) labels.push({ x: X0, y: bus - 7, text: `every server points at ${view.pbx.address} (-x)`, cls: 'wire-label' });
    lastBus = bus;
    bottom = rowBottom;
  });
  if (rows.length && anchor) {
    const ay = anchor.y + PAD + ASCENT + LINE - 4; // level with the address line
    wires.push({ points: `${TRUNK_X},${lastBus} ${TRUNK_X},${ay} ${anchor.x},${ay}`, cls: 'points-at', arrow: true });
  }

  return { width: right + MARGIN, height: bottom + MARGIN, title: view.title, frames, wires, boxes, labels };
}
