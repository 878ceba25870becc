// Sign-in: a marketer signs in with email and password; the server keeps the session, the
// browser its cookie.
import { $, guarded, hasSession, request, status } from "./api.js";

function show(session) {
  $("signin").hidden = session !== null;
  $("account").hidden = session === null;
  $("whoami").textContent = session === null ? "" : `${session.email} (${session.tenant})`;
}

// The signed-in session, or null; asks the server only when a session cookie is there.
export async function current() {
  if (!hasSession()) {
    show(null);
    return null;
  }
  try {
    const session = await request("GET", "/v1/session");
    show(session);
    return session;
  } catch {
    show(null);
    return null;
  }
}

export function wire(onSignedIn) {
  $("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    let session;
    try {
      session = await request("POST", "/v1/session", {
        email: $("email").value, password: $("password").value,
      });
    } catch (error) {
      $("signin-status").textContent = error.message;
      return;
    }
    $("password").value = "";
    $("signin-status").textContent = "";
    show(session);
    status(`Signed in as ${session.email}`);
    await onSignedIn();
  });
  $("signout").addEventListener("click", () => guarded(async () => {
    await request("DELETE", "/v1/session");
    show(null);
    status("Signed out");
  }));
}
