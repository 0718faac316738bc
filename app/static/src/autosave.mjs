// Autosave for forms marked data-autosave-url: the form is posted to that URL a moment after typing
// stops, and once more when the page is left. The Save buttons still work as they do without
// JavaScript. The server answers with the record's new version, which is kept in the form so the
// next save (or the Save button) is not mistaken for someone else's; or, for a form whose saving is a
// step (a new action), it keeps what was typed as the person's draft and answers without a version.
//
// What a save came to is said where the person is typing: each question (a GOV.UK form group) gets a
// status line under it, a polite live region, and the one under the question last changed says it. It
// changes only when a save ends, so a screen reader hears it once a pause, never a keystroke. Files are
// not autosaved (the Save button sends them), nor the fields inside [data-autosave-ignore].

const DELAY_MS = 1500;

// What to say, naming the form's own button ("Select Save notes to ...").
function messages(form) {
  const button = form.querySelector("button:not([type=button]), input[type=submit]");
  const name = (button && (button.textContent || button.value).trim()) || "the Save button";
  return {
    failed: `Your changes could not be saved automatically. Select ${name} to save them.`,
    offline: `Your changes could not be saved automatically. Check your connection, then select ${name}.`,
    clash: `Someone else has saved changes here since you opened this page. Select ${name} to see both versions `
      + "and choose what to keep.",
  };
}

function ignored(field) {
  return Boolean(field.closest && field.closest("[data-autosave-ignore]"));
}

// What is sent: the form as the browser would send it, without files and the fields autosave leaves.
function sent(form) {
  const data = new FormData(form);
  const left = new Set([...form.elements].filter((field) => field.name && ignored(field)).map((field) => field.name));
  for (const [name, value] of [...data.entries()]) {
    if (value instanceof File || left.has(name)) data.delete(name);
  }
  return data;
}

// What the person has entered, to tell whether there is anything new to save.
function snapshot(form) {
  const data = sent(form);
  data.delete("csrf_token");
  data.delete("version");
  return new URLSearchParams(data).toString();
}

function timeNow() {
  return new Date().toLocaleTimeString("en-GB", { hour: "numeric", minute: "2-digit" });
}

function statusLine() {
  const status = document.createElement("p");
  status.className = "govuk-body-s app-autosave-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.dataset.autosaveStatus = "";
  return status;
}

// A status line under each question of the form, and one at its end (for a field in no group).
function statusLines(form) {
  const lines = new Map();
  const typedIn = (field) => field.name && !["hidden", "file", "submit"].includes(field.type) && !ignored(field);
  const groups = new Set([...form.elements].filter(typedIn)
    .map((field) => field.closest(".govuk-form-group")).filter((group) => group && form.contains(group)));
  groups.forEach((group) => {
    const status = statusLine();
    group.append(status);
    lines.set(group, status);
  });
  const own = statusLine();
  form.append(own);
  return { lines, own };
}

function autosave(form) {
  const url = form.dataset.autosaveUrl;
  const version = form.querySelector("input[name=version]");
  const { lines, own } = statusLines(form);
  const words = messages(form);
  let where = null; // the status line under the question last changed
  let saved = snapshot(form);
  let timer = null;
  let inFlight = null;
  let stopped = false;

  const say = (text) => {
    const status = where || own;
    [own, ...lines.values()].forEach((line) => {
      if (line !== status && line.textContent) line.textContent = "";
    });
    if (status.textContent !== text) status.textContent = text;
  };

  const post = (options) => fetch(url, {
    method: "POST", body: sent(form), credentials: "same-origin", headers: { Accept: "application/json" }, ...options,
  });

  const save = ({ leaving = false } = {}) => {
    clearTimeout(timer);
    if (stopped || snapshot(form) === saved) return inFlight || Promise.resolve();
    const sending = snapshot(form);
    if (leaving) {
      // The page is going away: the browser finishes this request on its own.
      post({ keepalive: true });
      return Promise.resolve();
    }
    inFlight = post()
      .then(async (response) => {
        const answer = await response.json().catch(() => ({}));
        if (response.ok) {
          // A record's autosave moves its version on; a draft's (app/drafts.py) leaves the page's own.
          if (version && answer.version !== undefined) version.value = answer.version;
          saved = sending;
          say(`Saved at ${timeNow()}`);
        } else if (response.status === 409 && answer.conflict) {
          stopped = true;
          say(words.clash);
        } else if (response.status === 422 && answer.message) {
          say(`${answer.message.replace(/\.$/, "")}. Your latest changes have not been saved.`);
        } else {
          // The page is out of date (400), or the session has ended (401): the server says what to do.
          say(answer.message || words.failed);
        }
      })
      .catch(() => say(words.offline))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  const later = (event) => {
    if (stopped || ignored(event.target) || event.target.type === "file") return;
    const group = event.target.closest && event.target.closest(".govuk-form-group");
    where = lines.get(group) || where;
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
