// The discovery page: sign in, brief → shortlist table → CSV, lookalikes from a row, saved
// shortlists, campaign reports. No build, no network beyond this server.
import { $, call, guarded, status } from "./api.js";
import { exportCsv, render, toCsv } from "./results.js";
import * as report from "./report.js";
import * as saved from "./saved.js";
import * as session from "./session.js";

let lastShortlistId = null;

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

const lookalikeButton = (item) => [["Lookalikes", "lookalikes", () => lookalikes(item)]];

async function lookalikes(item) {
  status(`Finding creators like ${item.handle ?? item.creator_id}…`);
  await guarded(async () => {
    const result = await call("/v1/creators/similar", { creator_id: item.creator_id, k: Number($("k").value || 20) });
    lastShortlistId = null;
    saved.leaveSaved();
    render(result, `Lookalikes of ${item.handle ?? item.creator_id}`, { actions: lookalikeButton });
  });
}

async function signedIn() {
  await guarded(saved.refresh);
  const shared = new URLSearchParams(location.hash.slice(1)).get("shared");
  if (shared) await guarded(() => saved.openShared(shared));
}

$("brief-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  status("Ranking creators…");
  await guarded(async () => {
    const payload = briefPayload();
    const result = await call("/v1/shortlists", payload);
    lastShortlistId = result.shortlist_id;
    saved.leaveSaved();
    render(result, "Shortlist", { budget: payload.budget ?? null, actions: lookalikeButton });
  });
});
$("export").addEventListener("click", exportCsv);
$("api-key").value = localStorage.getItem("creatormatch-key") ?? "";
session.wire(signedIn);
saved.wire(() => lastShortlistId);
report.wire();
window.creatormatchCsv = () => toCsv();
session.current().then((signed) => signed && signedIn());
