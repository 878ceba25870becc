// Creator cards (profile, engagement against its benchmark, audience bars against the brief's
// targets, fraud evidence, recent captions with the brief's words marked) and the side-by-side
// comparison of 2 to 4 creators, both non-modal dialogs beside the list.
import { $, guarded, request } from "./api.js";

let targets = { countries: {}, ages: [], genders: [] };  // of the brief shown
const pct = (v) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`);
const num = (v) => (v === null || v === undefined ? "—" : v.toLocaleString("en-US"));

export function setBrief(payload) {
  targets = { countries: payload?.countries ?? {}, ages: payload?.ages ?? [], genders: payload?.genders ?? [] };
}

function add(parent, tag, text, className) {
  const node = parent.appendChild(document.createElement(tag));
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const getCard = (creatorId) => request("GET", `/v1/cards/${encodeURIComponent(creatorId)}`);

function engagementText(e) {
  if (e.rate === null) return "engagement unknown";
  if (e.benchmark === null) return `engagement ${pct(e.rate)} (no benchmark for its size)`;
  return `engagement ${pct(e.rate)}, ${e.versus_benchmark.toFixed(2)}× the median of its size (${pct(e.benchmark)})`;
}

// Bars of the audience's shares; the brief's targets are marked (countries at their weight).
function bars(parent, title, shares, wanted) {
  const box = add(parent, "div", undefined, "bars");
  add(box, "h4", title);
  const entries = Object.entries(shares ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 6);
  if (!entries.length) add(box, "p", "unknown");
  for (const [label, share] of entries) {
    const row = add(box, "div", undefined, "bar-row");
    const target = Array.isArray(wanted) ? wanted.includes(label) : label in wanted;
    add(row, "span", `${label}${target ? " (target)" : ""}`, "bar-label");
    const track = add(row, "span", undefined, "bar-track");
    const bar = add(track, "span", undefined, target ? "bar target" : "bar");
    bar.style.width = `${Math.round(share * 100)}%`;
    if (!Array.isArray(wanted) && label in wanted) {
      const total = Object.values(wanted).reduce((a, b) => a + b, 0) || 1;
      add(track, "span", undefined, "bar-goal").style.left = `${Math.round((wanted[label] / total) * 100)}%`;
    }
    add(row, "span", pct(share), "bar-value");
  }
}

function evidence(parent, fraud) {
  const box = add(parent, "div", undefined, "evidence");
  add(box, "h4", "Fraud");
  if (fraud === null) {
    add(box, "p", "not scored (no fraud model)");
    return;
  }
  add(box, "p", `${fraud.band} (${pct(fraud.probability)})`, `band-${fraud.band}`);
  const reasons = add(box, "ul");
  for (const reason of fraud.reasons) add(reasons, "li", reason);
  const ev = fraud.evidence ?? {};
  const counts = ev.counts ?? {};
  add(box, "p", `Rests on ${num(counts.posts)} posts, ${num(counts.comments)} comments, ` +
    `${num(counts.history_days)} days of follower history, ${num(counts.sampled_followers)} sampled followers.`);
  const details = add(box, "ul", undefined, "evidence-items");
  for (const post of ev.anomalous_posts ?? []) {
    add(details, "li", `post ${post.post_id}: ${post.engagement_vs_benchmark.toFixed(1)}× the median engagement of its size`);
  }
  for (const jump of ev.jumps ?? []) add(details, "li", `+${num(jump.gain)} followers on ${jump.day}, no post explains it`);
  if ((ev.generic_comments ?? []).length) add(details, "li", `${ev.generic_comments.length} generic comments`);
  if ((ev.pod_commenters ?? []).length) add(details, "li", `${ev.pod_commenters.length} accounts commenting on every post`);
}

// The caption with the brief's words in <mark>, built from text nodes (no markup from data).
function marked(parent, caption, words) {
  const p = add(parent, "p", undefined, "caption");
  for (const part of (caption ?? "").split(/(\p{L}+)/u)) {
    if (words.has(part.toLowerCase())) add(p, "mark", part);
    else p.append(part);
  }
}

// Focus moves into a dialog as it opens (it may open below the fold) and, when Escape or its
// Close button shuts it, back to the control that opened it, so a keyboard user keeps their place.
const openers = new Map();

function openPanel(panel, opener) {
  openers.set(panel, opener);
  panel.hidden = false;
  panel.focus({ preventScroll: true });
  panel.scrollIntoView({ block: "nearest" });
}

function closePanel(panel) {
  panel.hidden = true;
  const opener = openers.get(panel);
  openers.delete(panel);
  if (opener?.isConnected) opener.focus();
}

export function wire() {
  for (const panel of [$("card"), $("compare")]) {
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closePanel(panel);
    });
    panel.querySelector(".close").addEventListener("click", () => closePanel(panel));
  }
}

export async function showCard(item, briefText) {
  const opener = document.activeElement;
  await guarded(async () => {
    const card = await getCard(item.creator_id);
    const box = $("card-body");
    box.replaceChildren();
    const title = `${card.handle ?? card.creator_id} · ${card.platform ?? "?"} · ${card.tier ?? "?"}`;
    add(box, "h3", title).id = "card-title";
    const interval = item.conversions_interval ? ` (${item.conversions_interval.map((v) => v.toFixed(1)).join("–")})` : "";
    const predicted = item.predicted_conversions === null ? "—" : item.predicted_conversions.toFixed(1) + interval;
    add(box, "p", `${num(card.followers)} followers · ${engagementText(card.engagement)} · ` +
      `price per post ${num(card.price_per_post)} · predicted conversions ${predicted} · score ${item.score.toFixed(3)}`, "card-stats");
    const audience = add(box, "div", undefined, "audience");
    bars(audience, "Countries", card.audience?.countries, targets.countries);
    bars(audience, "Ages", card.audience?.ages, targets.ages);
    bars(audience, "Genders", card.audience?.genders, targets.genders);
    evidence(box, card.fraud);
    add(box, "h4", "Recent posts");
    const words = new Set((briefText ?? "").toLowerCase().match(/\p{L}{3,}/gu) ?? []);
    for (const post of card.posts) marked(box, post.caption, words);
    openPanel($("card"), opener);
  });
}

const ROWS = [
  ["Platform", (c) => c.platform ?? "—"],
  ["Tier", (c) => c.tier ?? "—"],
  ["Followers", (c) => num(c.followers)],
  ["Engagement", (c) => engagementText(c.engagement)],
  ["Price per post", (c) => num(c.price_per_post)],
  ["Predicted conversions", (c, i) => (i.predicted_conversions === null ? "—" : i.predicted_conversions.toFixed(1))],
  ["Score", (c, i) => i.score.toFixed(3)],
  ["Fraud", (c) => (c.fraud === null ? "not scored" : `${c.fraud.band} (${pct(c.fraud.probability)})`)],
  ["Top countries", (c) => Object.entries(c.audience?.countries ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} ${pct(v)}`).join(", ") || "—"],
  ["Ages", (c) => Object.entries(c.audience?.ages ?? {}).map(([k, v]) => `${k} ${pct(v)}`).join(", ") || "—"],
  ["Genders", (c) => Object.entries(c.audience?.genders ?? {}).map(([k, v]) => `${k} ${pct(v)}`).join(", ") || "—"],
];

export async function compare(items) {
  const opener = document.activeElement;
  await guarded(async () => {
    if (items.length < 2 || items.length > 4) throw new Error(`Compare takes 2 to 4 creators, got ${items.length}`);
    const cards = await Promise.all(items.map((item) => getCard(item.creator_id)));
    const table = $("compare-table");
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    add(head, "th", "");
    for (const card of cards) add(head, "th", card.handle ?? card.creator_id).scope = "col";
    const body = table.createTBody();
    for (const [label, value] of ROWS) {
      const row = body.insertRow();
      add(row, "th", label).scope = "row";
      cards.forEach((card, n) => { row.insertCell().textContent = value(card, items[n]); });
    }
    openPanel($("compare"), opener);
  });
}
