// The results table (a brief's shortlist, lookalikes, or a saved list), its spend line and the
// CSV of what is shown.
import { $, download, status } from "./api.js";
import { showCard } from "./cards.js";

let shown = [];
let shownBrief = "";  // the brief text the shown list answers, for marking words on cards

function cell(row, content) {
  const td = row.insertCell();
  if (Array.isArray(content)) {
    const ul = document.createElement("ul");
    for (const line of content) ul.appendChild(document.createElement("li")).textContent = line;
    td.appendChild(ul);
  } else {
    td.textContent = content;
  }
  return td;
}

const money = (value) => (value === null || value === undefined ? "—" : value.toLocaleString("en-US"));

function conversions(item) {
  if (item.predicted_conversions === null) return "—";
  const [low, high] = item.conversions_interval ?? [null, null];
  const range = low === null ? "" : ` (${low.toFixed(1)}–${high.toFixed(1)})`;
  return item.predicted_conversions.toFixed(1) + range;
}

export function spendLine(items, budget) {
  const prices = items.map((i) => i.price_per_post);
  const total = prices.filter((p) => p !== null).reduce((a, b) => a + b, 0);
  const unpriced = prices.filter((p) => p === null).length;
  const against = budget ? ` of the budget ${money(budget)} (${money(budget - total)} left)` : "";
  const missing = unpriced ? `; ${unpriced} without a known price` : "";
  return `Total spend ${money(total)}${against}${missing}`;
}

// `actions(item)`: [label, className, handler] buttons for the row's last cell.
export function render(result, title, { budget = null, brief = "", actions = () => [] } = {}) {
  shown = result.items;
  shownBrief = brief;
  $("results-title").textContent = title;
  const body = $("shortlist").tBodies[0];
  body.replaceChildren();
  for (const item of result.items) {
    const row = body.insertRow();
    row.dataset.creatorId = item.creator_id;
    cell(row, String(item.rank));
    cell(row, item.handle ?? item.creator_id);
    cell(row, item.tier ?? "—");
    cell(row, conversions(item));
    const band = cell(row, [item.fraud_band ?? "unknown", ...item.fraud_reasons]);
    band.className = `band-${item.fraud_band ?? "unknown"}`;
    cell(row, item.reasons);
    cell(row, money(item.price_per_post));
    const buttons = row.insertCell();
    const rowActions = [["Details", "details", () => showCard(item, shownBrief)], ...actions(item)];
    for (const [label, className, handler] of rowActions) {
      const button = buttons.appendChild(document.createElement("button"));
      button.type = "button";
      button.className = className;
      button.textContent = label;
      button.setAttribute("aria-label", `${label} ${item.handle ?? item.creator_id}`);
      button.addEventListener("click", handler);
    }
    const pick = buttons.appendChild(document.createElement("label"));
    pick.className = "compare-pick";
    const box = pick.appendChild(document.createElement("input"));
    box.type = "checkbox";
    box.value = item.creator_id;
    pick.append(" Compare");
  }
  $("card").hidden = true;
  $("compare").hidden = true;
  $("spend").textContent = spendLine(result.items, budget);
  $("results").hidden = false;
  const notes = result.degraded.length ? ` (${result.degraded.join("; ")})` : "";
  status(`${result.items.length} creators${notes}`);
}

// The rows ticked for comparison, in list order.
export function picked() {
  const ids = new Set([...document.querySelectorAll(".compare-pick input:checked")].map((b) => b.value));
  return shown.filter((item) => ids.has(item.creator_id));
}

function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(items = shown) {
  const header = ["rank", "creator_id", "handle", "platform", "tier", "followers",
    "predicted_conversions", "price_per_post", "fraud_probability", "fraud_band",
    "fraud_reasons", "reasons"];
  const rows = items.map((i) => [i.rank, i.creator_id, i.handle, i.platform, i.tier, i.followers,
    i.predicted_conversions, i.price_per_post, i.fraud_probability, i.fraud_band,
    i.fraud_reasons.join(" | "), i.reasons.join(" | ")]);
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

export function exportCsv() {
  download(new Blob([toCsv()], { type: "text/csv" }), "shortlist.csv", "csv-link");
}
