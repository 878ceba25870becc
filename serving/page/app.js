// The discovery page: sign in, brief → shortlist table → CSV, lookalikes from a row, saved
// shortlists, campaign reports. No build, no network beyond this server.
import { $, call, guarded, status } from "./api.js";
import { compare, setBrief, wire as wireCards } from "./cards.js";
import { exportCsv, picked, render, toCsv } from "./results.js";
import * as report from "./report.js";
import * as saved from "./saved.js";
import * as session from "./session.js";

let lastShortlistId = null;
// The brief shown, and the creators marked "more like this" and "fewer like this" on its list.
let lastBrief = null;
const marks = { more_like: [], fewer_like: [] };

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

const rowActions = (item) => [
  ["Lookalikes", "lookalikes", () => lookalikes(item)],
  ["More like this", "more-like", () => refine("more_like", item)],
  ["Fewer like this", "fewer-like", () => refine("fewer_like", item)],
];
const lookalikeButton = (item) => rowActions(item).slice(0, 1);

function showBriefResult(result) {
  lastShortlistId = result.shortlist_id;
  saved.leaveSaved();
  const [more, fewer] = [marks.more_like.length, marks.fewer_like.length];
  const title = more || fewer ? `Shortlist (more like ${more}, fewer like ${fewer})` : "Shortlist";
  render(result, title, { budget: lastBrief.budget ?? null, brief: lastBrief.brief, actions: rowActions });
}

async function refine(kind, item) {
  status(`Ranking again around ${item.handle ?? item.creator_id}…`);
  marks[kind].push(item.creator_id);
  await guarded(async () => {
    showBriefResult(await call("/v1/shortlists/refine", { brief: lastBrief, ...marks }));
  });
}

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
    lastBrief = briefPayload();
    setBrief(lastBrief);
    marks.more_like = [];
    marks.fewer_like = [];
    showBriefResult(await call("/v1/shortlists", lastBrief));
  });
});
$("export").addEventListener("click", exportCsv);
$("compare-picked").addEventListener("click", () => compare(picked()));
$("api-key").value = localStorage.getItem("creatormatch-key") ?? "";
session.wire(signedIn);
wireCards();
saved.wire(() => lastShortlistId);
report.wire();
window.creatormatchCsv = () => toCsv();
session.current().then((signed) => signed && signedIn());
