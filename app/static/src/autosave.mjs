// Autosave for forms marked data-autosave-url: the form is posted to that URL a moment after typing
// stops, and once more when the page is left. The Save buttons still work as they do without
// JavaScript. The server answers with the record's new version, which is kept in the form so the
// next save (or the Save button) is not mistaken for someone else's.

const DELAY_MS = 1500;

function snapshot(form) {
  const data = new FormData(form);
  data.delete("csrf_token");
  data.delete("version");
  return new URLSearchParams(data).toString();
}

function timeNow() {
  return new Date().toLocaleTimeString("en-GB", { hour: "numeric", minute: "2-digit" });
}

function autosave(form) {
  const url = form.dataset.autosaveUrl;
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name=version]");
  let saved = snapshot(form);
  let timer = null;
  let inFlight = null;
  let stopped = false;

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const save = ({ leaving = false } = {}) => {
    clearTimeout(timer);
    if (stopped || snapshot(form) === saved) return inFlight || Promise.resolve();
    const sending = snapshot(form);
    const body = new FormData(form);
    if (leaving) {
      // The page is going away: the browser finishes this request on its own.
      fetch(url, { method: "POST", body, keepalive: true, credentials: "same-origin" });
      return Promise.resolve();
    }
    say("Saving…");
    inFlight = fetch(url, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(async (response) => {
        const answer = await response.json().catch(() => ({}));
        if (response.ok) {
          version.value = answer.version;
          saved = sending;
          say(`Saved at ${timeNow()}`);
        } else if (response.status === 409 && answer.conflict) {
          stopped = true;
          say("Someone else has saved this area. Select a Save button to see both versions and choose what to keep.");
        } else {
          say(answer.message || "Your changes could not be saved automatically. Select a Save button to save them.");
        }
      })
      .catch(() => say("Your changes could not be saved automatically. Check your connection, then select a Save button."))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  };

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  window.addEventListener("pagehide", () => save({ leaving: true }));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });

  // A Save button pressed while an autosave is on its way waits for it, so the version is current.
  form.addEventListener("submit", (event) => {
    clearTimeout(timer);
    stopped = true; // the form's own submission saves from here
    if (!inFlight) return;
    event.preventDefault();
    const button = event.submitter;
    inFlight.then(() => {
      if (button && button.name) {
        const choice = document.createElement("input");
        choice.type = "hidden";
        choice.name = button.name;
        choice.value = button.value;
        form.append(choice);
      }
      form.submit();
    });
  });
}

export function initAutosave(root = document) {
  root.querySelectorAll("form[data-autosave-url]").forEach(autosave);
}
