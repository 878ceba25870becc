// A campaign's results: predicted against actual conversions per creator, as a table and an
// inline SVG scatter plot with the line where the prediction was exact.
import { $, guarded, request } from "./api.js";

const SVG = "http://www.w3.org/2000/svg";
const fixed = (value, digits = 1) => (value === null ? "—" : value.toFixed(digits));

function element(parent, name, attributes, text) {
  const node = parent.appendChild(document.createElementNS(SVG, name));
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function plot(creators) {
  const points = creators.filter((c) => c.predicted_conversions !== null);
  const [width, height, pad] = [420, 300, 44];
  const top = Math.max(1, ...points.flatMap((c) => [c.predicted_conversions, c.conversions]));
  const x = (v) => pad + (v / top) * (width - 2 * pad);
  const y = (v) => height - pad - (v / top) * (height - 2 * pad);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Predicted against actual conversions of ${points.length} creators`);
  element(svg, "line", { x1: x(0), y1: y(0), x2: x(top), y2: y(0), class: "axis" });
  element(svg, "line", { x1: x(0), y1: y(0), x2: x(0), y2: y(top), class: "axis" });
  element(svg, "line", { x1: x(0), y1: y(0), x2: x(top), y2: y(top), class: "exact" });
  element(svg, "text", { x: width / 2, y: height - 8, "text-anchor": "middle" }, "predicted conversions");
  element(svg, "text", { x: 12, y: height / 2, transform: `rotate(-90 12 ${height / 2})`, "text-anchor": "middle" }, "actual conversions");
  element(svg, "text", { x: x(top), y: y(0) + 16, "text-anchor": "end" }, fixed(top, 0));
  element(svg, "text", { x: x(0) - 6, y: y(top) + 4, "text-anchor": "end" }, fixed(top, 0));
  for (const c of points) {
    const dot = element(svg, "circle", {
      cx: x(c.predicted_conversions), cy: y(c.conversions), r: 5, class: `from-${c.predicted_from}`,
    });
    element(dot, "title", {}, `${c.handle ?? c.creator_id}: predicted ${fixed(c.predicted_conversions)}, actual ${c.conversions}`);
  }
  return svg;
}

function totals(report) {
  const budget = report.budget === null ? "" : ` of the budget ${report.budget.toLocaleString("en-US")}`;
  const cost = report.cost_per_conversion === null ? "—" : report.cost_per_conversion.toFixed(2);
  return `Spend ${report.spend.toLocaleString("en-US")}${budget}; ${report.conversions} conversions ` +
    `(predicted ${fixed(report.predicted_conversions)}); cost per conversion ${cost}`;
}

export function show(report) {
  $("report-totals").textContent = totals(report);
  $("report-plot").replaceChildren(plot(report.creators));
  const body = $("report-table").tBodies[0];
  body.replaceChildren();
  for (const c of report.creators) {
    const row = body.insertRow();
    const values = [c.handle ?? c.creator_id, c.spend === null ? "—" : c.spend.toLocaleString("en-US"),
      String(c.conversions), fixed(c.predicted_conversions), c.predicted_from ?? "—",
      fixed(c.cost_per_conversion, 2)];
    for (const value of values) row.insertCell().textContent = value;
  }
  $("report-notes").replaceChildren(...report.notes.map((note) => {
    const li = document.createElement("li");
    li.textContent = note;
    return li;
  }));
  $("report").hidden = false;
}

export function wire() {
  $("campaign-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(async () => {
      const id = encodeURIComponent($("campaign-id").value.trim());
      show(await request("GET", `/v1/campaigns/${id}/report`));
    });
  });
}
