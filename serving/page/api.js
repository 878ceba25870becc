// How the page talks to the API: by its session cookie (the CSRF token echoed on every write)
// or, for engineers, by an API key typed into the page.
export const $ = (id) => document.getElementById(id);

function cookie(name) {
  const found = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
  return found === undefined ? null : decodeURIComponent(found.slice(name.length + 1));
}

// The CSRF cookie is readable and lives as long as the session cookie, which is not readable.
export const hasSession = () => cookie("cm_csrf") !== null;

function headersFor(method, payload) {
  const headers = payload === undefined ? {} : { "Content-Type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) {
    localStorage.setItem("creatormatch-key", key);
    headers.Authorization = `Bearer ${key}`;
  } else if (method !== "GET" && hasSession()) {
    headers["X-CSRF-Token"] = cookie("cm_csrf");
  }
  return headers;
}

export async function request(method, path, payload) {
  const response = await fetch(path, {
    method, headers: headersFor(method, payload),
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  if (response.status === 204) return null;
  if (!response.ok) {
    const body = await response.json();
    throw new Error(`${response.status} ${body.error.type}: ${body.error.message}`);
  }
  const type = response.headers.get("Content-Type") ?? "";
  return type.includes("json") ? response.json() : response.blob();
}

export const call = (path, payload) => request("POST", path, payload);

export function status(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

export function download(blob, name, id) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.id = id;
  document.body.appendChild(link);
  link.click();
}

// Runs `work`, showing what it throws in the status line.
export async function guarded(work) {
  try {
    await work();
  } catch (error) {
    status(error.message, true);
  }
}
