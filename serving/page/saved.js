// Saved shortlists: save the shown brief's list under a name, reopen, pin and remove creators
// (the server re-ranks the rest), export XLSX, share a link, book it for a campaign.
import { $, download, guarded, request, status } from "./api.js";
import { setBrief } from "./cards.js";
import { render } from "./results.js";

let open = null;  // the saved shortlist shown, or null

function actions(saved) {
  if (saved.read_only) return () => [];
  const pinned = new Set(saved.pinned);
  return (item) => [
    pinned.has(item.creator_id)
      ? ["Unpin", "unpin", () => edit({ unpin: [item.creator_id] })]
      : ["Pin", "pin", () => edit({ pin: [item.creator_id] })],
    ["Remove", "remove", () => edit({ remove: [item.creator_id] })],
  ];
}

function showRemoved(saved) {
  const line = $("removed");
  line.replaceChildren();
  line.hidden = saved.removed.length === 0 || saved.read_only;
  line.append(`Removed (${saved.removed.length}): `);
  for (const creatorId of saved.removed) {
    const button = line.appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "restore";
    button.textContent = `Restore ${creatorId}`;
    button.addEventListener("click", () => edit({ restore: [creatorId] }));
  }
}

export function showSaved(saved) {
  open = saved;
  const title = `${saved.read_only ? "Shared" : "Saved"}: ${saved.name}`;
  setBrief(saved.brief);
  render(saved.result, title, { budget: saved.spend.budget, brief: saved.brief.text, actions: actions(saved) });
  $("save-tools").hidden = true;
  $("saved-tools").hidden = saved.read_only;
  $("book-campaign").value = saved.campaign_id ?? "";
  $("share-link").hidden = true;
  showRemoved(saved);
}

export function leaveSaved() {
  open = null;
  $("save-tools").hidden = false;
  $("saved-tools").hidden = true;
  $("share-link").hidden = true;
  $("removed").hidden = true;
}

async function edit(change) {
  await guarded(async () => {
    status("Re-ranking…");
    showSaved(await request("PATCH", `/v1/shortlists/saved/${open.saved_id}`, change));
    await refresh();
  });
}

export async function refresh() {
  const { shortlists } = await request("GET", "/v1/shortlists/saved");
  const list = $("saved-list");
  list.replaceChildren();
  for (const saved of shortlists) {
    const item = list.appendChild(document.createElement("li"));
    const button = item.appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "open-saved";
    button.textContent = saved.name;
    button.addEventListener("click", () => guarded(async () => {
      showSaved(await request("GET", `/v1/shortlists/saved/${saved.saved_id}`));
    }));
    const campaign = saved.campaign_id ? `, campaign ${saved.campaign_id}` : "";
    item.append(` ${saved.creators} creators, spend ${saved.spend.total.toLocaleString("en-US")}${campaign}`);
  }
}

export async function openShared(token) {
  showSaved(await request("GET", `/v1/shortlists/shared/${encodeURIComponent(token)}`));
}

export function wire(lastShortlistId) {
  $("save").addEventListener("click", () => guarded(async () => {
    const shortlistId = lastShortlistId();
    if (!shortlistId) throw new Error("Save keeps a brief's shortlist: find creators for a brief first");
    const name = $("save-name").value.trim() || "Untitled shortlist";
    showSaved(await request("POST", "/v1/shortlists/saved", { name, shortlist_id: shortlistId }));
    status(`Saved “${name}”`);
    await refresh();
  }));
  $("export-xlsx").addEventListener("click", () => guarded(async () => {
    const blob = await request("GET", `/v1/shortlists/saved/${open.saved_id}/export?format=xlsx`);
    download(blob, "shortlist.xlsx", "xlsx-link");
  }));
  $("share").addEventListener("click", () => guarded(async () => {
    const { url } = await request("POST", `/v1/shortlists/saved/${open.saved_id}/share`);
    $("share-url").href = url;
    $("share-url").textContent = new URL(url, location.href).href;
    $("share-link").hidden = false;
  }));
  $("book").addEventListener("click", () => guarded(async () => {
    const campaignId = $("book-campaign").value.trim() || null;
    showSaved(await request("PATCH", `/v1/shortlists/saved/${open.saved_id}`, { campaign_id: campaignId }));
    status(campaignId ? `Booked for campaign ${campaignId}` : "No longer booked for a campaign");
    await refresh();
  }));
  $("refresh-saved").addEventListener("click", () => guarded(refresh));
}
