/**
 * A journey version drawn as a graph, laid out by dagre: the entry event on top, nodes by type, edges
 * labelled with the branch case, event or timeout that takes an instance along them, and on every node what
 * the runtime knows now (waiting there, reached, completed). Nodes are focusable: selecting one shows it.
 */
import { Graph, layout } from "@dagrejs/dagre";
import { html } from "htm/preact";
import { useMemo } from "preact/hooks";
import type { JourneyView } from "../api.ts";
import { plural } from "../format.ts";

const CHAR = 7.2;
const NODE_HEIGHT = 66;
const ENTRY = "\u0000entry";

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Line {
  from: string;
  to: string;
  kind: string;
  label: string;
  points: { x: number; y: number }[];
  labelAt?: { x: number; y: number };
}

function nodeWidth(...lines: string[]): number {
  return Math.min(280, Math.max(150, Math.max(...lines.map((line) => line.length)) * CHAR + 28));
}

/** Positions from dagre: pure geometry, recomputed only when the journey's shape changes. */
function layoutOf(journey: JourneyView): {
  boxes: Map<string, Box>;
  lines: Line[];
  width: number;
  height: number;
} {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: "TB", nodesep: 36, ranksep: 46, edgesep: 14, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  const entryText = `on ${journey.entry.event}`;
  graph.setNode(ENTRY, { width: nodeWidth(entryText, journey.entry.when ?? ""), height: 44 });
  for (const node of journey.nodes) {
    graph.setNode(node.id, {
      width: nodeWidth(node.id, node.summary, "00 waiting · 000 reached"),
      height: NODE_HEIGHT,
    });
  }
  graph.setEdge(ENTRY, journey.start, { width: 0, height: 0 }, "entry");
  journey.edges.forEach((edge, index) => {
    graph.setEdge(
      edge.from,
      edge.to,
      {
        width: edge.label ? Math.min(220, edge.label.length * 6.4 + 8) : 0,
        height: edge.label ? 16 : 0,
        labelpos: "c",
      },
      `e${index}`,
    );
  });
  layout(graph);
  const boxes = new Map<string, Box>();
  for (const id of graph.nodes()) {
    const { x, y, width, height } = graph.node(id) as { x: number; y: number; width: number; height: number };
    boxes.set(id, { id, x, y, width, height });
  }
  const lines: Line[] = graph.edges().map((key: { v: string; w: string; name?: string }) => {
    const label = graph.edge(key) as { points: { x: number; y: number }[]; x?: number; y?: number };
    const index = key.name === "entry" ? -1 : Number(key.name?.slice(1));
    const edge = journey.edges[index];
    return {
      from: key.v,
      to: key.w,
      kind: edge?.kind ?? "entry",
      label: edge?.label ?? "",
      points: label.points,
      ...(label.x !== undefined && label.y !== undefined ? { labelAt: { x: label.x, y: label.y } } : {}),
    };
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { boxes, lines, width: size.width ?? 400, height: size.height ?? 300 };
}

function clip(text: string, width: number): string {
  const fits = Math.floor((width - 20) / CHAR);
  return text.length > fits ? `${text.slice(0, Math.max(1, fits - 1))}…` : text;
}

export function countLine(journey: JourneyView, nodeId: string): string {
  const node = journey.nodes.find((n) => n.id === nodeId);
  const count = journey.counts.nodes[nodeId] ?? { waiting: 0, reached: 0 };
  if (node?.outcome !== undefined) {
    return `${count.reached} reached · ${journey.counts.outcomes[node.outcome] ?? 0} completed`;
  }
  return count.waiting > 0
    ? `${count.waiting} waiting · ${count.reached} reached`
    : `${count.reached} reached`;
}

export function JourneyGraph(props: {
  journey: JourneyView;
  selected: string | undefined;
  onSelect: (node: string) => void;
}) {
  const { journey, selected, onSelect } = props;
  const shape = `${journey.id}@${journey.version}`;
  const geometry = useMemo(() => layoutOf(journey), [shape]);
  const entry = geometry.boxes.get(ENTRY)!;
  const describe = `${journey.id} version ${journey.version}: entered on ${journey.entry.event}, ${plural(journey.nodes.length, "node")}`;
  return html`
    <div class="graph-scroll">
      <svg
        class="graph"
        viewBox=${`0 0 ${geometry.width} ${geometry.height}`}
        width=${geometry.width}
        height=${geometry.height}
        role="group"
        aria-label=${describe}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
          </marker>
        </defs>
        ${geometry.lines.map(
          (line) => html`
            <g class=${`edge edge--${line.kind}`}>
              <polyline points=${line.points.map((p) => `${p.x},${p.y}`).join(" ")} marker-end="url(#arrow)" />
              ${
                line.label && line.labelAt
                  ? html`<text class="edge-label" x=${line.labelAt.x} y=${line.labelAt.y + 4} text-anchor="middle">${line.label}</text>`
                  : null
              }
            </g>
          `,
        )}
        <g class="node node--entry" transform=${`translate(${entry.x - entry.width / 2}, ${entry.y - entry.height / 2})`}>
          <rect width=${entry.width} height=${entry.height} rx="22" />
          <text x=${entry.width / 2} y="19" text-anchor="middle" class="node-title">on ${journey.entry.event}</text>
          <text x=${entry.width / 2} y="35" text-anchor="middle" class="node-summary">
            ${journey.counts.entered} entered${journey.entry.when ? ` · if ${clip(journey.entry.when, entry.width - 80)}` : ""}
          </text>
        </g>
        ${journey.nodes.map((node) => {
          const box = geometry.boxes.get(node.id)!;
          const counts = countLine(journey, node.id);
          const waiting = journey.counts.nodes[node.id]?.waiting ?? 0;
          return html`
            <g
              class=${`node node--${node.type}${selected === node.id ? " node--selected" : ""}${waiting > 0 ? " node--waiting" : ""}`}
              data-node=${node.id}
              transform=${`translate(${box.x - box.width / 2}, ${box.y - box.height / 2})`}
              tabindex="0"
              role="button"
              aria-pressed=${selected === node.id ? "true" : "false"}
              aria-label=${`${node.id}, ${node.type}: ${node.summary}. ${counts}`}
              onClick=${() => onSelect(node.id)}
              onKeyDown=${(event: KeyboardEvent) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  onSelect(node.id);
                }
              }}
            >
              <title>${node.id} (${node.type}): ${node.summary}</title>
              <rect width=${box.width} height=${box.height} rx=${node.type === "exit" ? 18 : 6} />
              <text x="10" y="18" class="node-title">${clip(node.id, box.width)}</text>
              <text x="10" y="35" class="node-summary">${clip(node.summary, box.width)}</text>
              <text x="10" y="54" class="node-counts">${counts}</text>
            </g>
          `;
        })}
      </svg>
    </div>
  `;
}
