// The discovery page: brief → shortlist table → CSV; lookalikes from a row. No build, no network
// beyond this server.
"use strict";

const $ = (id) => document.getElementById(id);
let shown = [];

function list(id) {
  return $(id).value.split(",").map((s) => s.trim()).filter(Boolean);
}

function checked(id) {
  return [...$(id).querySelectorAll("input:checked")].map((box) => box.value);
}

function countries() {
  const out = {};
  for (const part of list("countries")) {
    const [code, weight] = part.split(":").map((s) => s.trim());
    out[code] = weight === undefined ? 1 : Number(weight);
  }
  return out;
}

function numberOrNull(id) {
  return $(id).value === "" ? null : Number($(id).value);
}

function briefPayload() {
  const payload = {
    brief: $("brief").value, countries: countries(), interests: list("interests"),
    ages: checked("ages"), genders: checked("genders"), platforms: checked("platforms"),
    tiers: checked("tiers"), languages: list("languages"), k: Number($("k").value || 20),
  };
  for (const [key, id] of [["max_fraud", "max-fraud"], ["budget", "budget"], ["price_cap", "price-cap"]]) {
    const value = numberOrNull(id);
    if (value !== null) payload[key] = value;
  }
  return payload;
}

async function call(path, payload) {
  const key = $("api-key").value.trim();
  localStorage.setItem("creatormatch-key", key);
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify(payload),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status} ${body.error.type}: ${body.error.message}`);
  return body;
}

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

function conversions(item) {
  return item.predicted_conversions === null ? "—" : item.predicted_conversions.toFixed(1);
}

function render(result, title) {
  shown = result.items;
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
    const button = row.insertCell().appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "lookalikes";
    button.textContent = "Lookalikes";
    button.addEventListener("click", () => lookalikes(item));
  }
  $("results").hidden = false;
  const notes = result.degraded.length ? ` (${result.degraded.join("; ")})` : "";
  status(`${result.items.length} creators${notes}`);
}

function status(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function lookalikes(item) {
  status(`Finding creators like ${item.handle ?? item.creator_id}…`);
  try {
    const result = await call("/v1/creators/similar", { creator_id: item.creator_id, k: Number($("k").value || 20) });
    render(result, `Lookalikes of ${item.handle ?? item.creator_id}`);
  } catch (error) {
    status(error.message, true);
  }
}

function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(items) {
  const header = ["rank", "creator_id", "handle", "platform", "tier", "followers",
    "predicted_conversions", "price_per_post", "fraud_probability", "fraud_band",
    "fraud_reasons", "reasons"];
  const rows = items.map((i) => [i.rank, i.creator_id, i.handle, i.platform, i.tier, i.followers,
    i.predicted_conversions, i.price_per_post, i.fraud_probability, i.fraud_band,
    i.fraud_reasons.join(" | "), i.reasons.join(" | ")]);
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

function exportCsv() {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([toCsv(shown)], { type: "text/csv" }));
  link.download = "shortlist.csv";
  link.id = "csv-link";
  document.body.appendChild(link);
  link.click();
}

$("brief-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  status("Ranking creators…");
  try {
    render(await call("/v1/shortlists", briefPayload()), "Shortlist");
  } catch (error) {
    status(error.message, true);
  }
});
$("export").addEventListener("click", exportCsv);
$("api-key").value = localStorage.getItem("creatormatch-key") ?? "";
window.creatormatchCsv = () => toCsv(shown);
