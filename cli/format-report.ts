import type { JourneyMeasurements, VersionMeasurement } from "../functions/core/measurement/report.ts";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const signed = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}`;

/** A table: columns padded to the widest cell, numbers right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)];
}

/** `waymark report`'s terminal output: per version the funnel, goals, NPS and experiments with their lift. */
export function formatReport(measurements: JourneyMeasurements): string {
  const lines: string[] = [`Journey ${measurements.journeyId}`];
  if (measurements.versions.length === 0) lines.push("", "No measurements yet: nobody has entered it.");
  for (const version of measurements.versions) lines.push("", ...formatVersion(version));
  return `${lines.join("\n")}\n`;
}

function formatVersion(v: VersionMeasurement): string[] {
  const outcomes = Object.entries(v.outcomes)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(", ");
  const lines = [
    `Version ${v.version}: ${v.entered} entered, ${v.completed} completed${outcomes ? ` (${outcomes})` : ""}`,
    "",
    "Funnel",
    ...table(
      ["node", "reached", "of entered", "waiting"],
      v.steps.map((s) => [
        s.node,
        String(s.reached),
        v.entered > 0 ? percent(s.reached / v.entered) : "—",
        String(s.waiting),
      ]),
    ),
  ];
  if (v.goals.length > 0) {
    lines.push("", "Goals");
    lines.push(
      ...table(
        ["goal", "reached", "rate", "95% CI (Wilson)"],
        v.goals.map((g) => [
          g.name,
          String(g.reached),
          percent(g.rate),
          `${percent(g.interval.low)} – ${percent(g.interval.high)}`,
        ]),
      ),
    );
  }
  if (v.nps) {
    const n = v.nps;
    lines.push(
      "",
      `NPS ${n.score.toFixed(1)} ± ${n.marginOfError.toFixed(1)} (95%) from ${n.responses} responses: ` +
        `${n.promoters} promoters, ${n.passives} passives, ${n.detractors} detractors`,
      `  scores 0–10: ${n.distribution.join(" ")}`,
    );
  }
  for (const experiment of v.experiments) {
    lines.push(
      "",
      `Experiment ${experiment.name}${experiment.control ? ` (control: ${experiment.control})` : ""}`,
    );
    lines.push(
      ...table(
        ["variant", "entrants", "conversions", "rate", "difference (95% CI)", "relative lift"],
        experiment.variants.map((variant) => {
          const lift = variant.lift;
          const difference = !lift
            ? "baseline"
            : variant.enoughData === false
              ? "not enough data yet"
              : `${signed(lift.absolute.value)} pp (${signed(lift.absolute.low)} to ${signed(lift.absolute.high)})`;
          return [
            variant.name,
            String(variant.entrants),
            String(variant.conversions),
            percent(variant.rate),
            difference,
            lift && variant.enoughData !== false ? `${signed(lift.value)}%` : "",
          ];
        }),
      ),
    );
  }
  if (v.experiments.some((e) => e.variants.some((variant) => variant.lift)))
    lines.push("", "Intervals: Newcombe's hybrid score interval (Wilson) for the difference of rates, 95%.");
  return lines;
}
