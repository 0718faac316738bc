// The timeout warning (the HMRC and DWP pattern GOV.UK services use): a modal dialog opens a little before an
// idle session ends, with "Stay signed in" and "Sign out". Only a request keeps a session going (typing does
// not), so the count restarts whenever the page makes one: an autosave, "Stay signed in", anything. When the
// time runs out, a form with changes is posted, and the server keeps it until its writer signs in again;
// otherwise the page goes to sign in. On the page that shows a kept form, that form is posted at once.

const GRACE_MS = 1000; // past the server's limit, so the session has surely ended there too
const SECOND_MS = 1000;
const NOT_ENTERED = new Set(["hidden", "submit", "button", "reset", "image"]);

function duration(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

// What a screen reader is told: each minute, then every 15 seconds, never every second.
function heard(seconds) {
  return duration(seconds >= 60 ? seconds : Math.ceil(seconds / 15) * 15);
}

// What the person has entered in a form (hidden fields are not theirs: an autosave changes its version).
function snapshot(form) {
  const entered = [...form.elements].filter((field) => field.name && !NOT_ENTERED.has(field.type));
  return JSON.stringify(entered.map((field) => {
    if (field.type === "checkbox" || field.type === "radio") return field.checked;
    if (field.multiple && field.selectedOptions) return [...field.selectedOptions].map((option) => option.value);
    return field.value;
  }));
}

function warn(dialog) {
  const idleMs = Number(dialog.dataset.idleSeconds) * SECOND_MS;
  const warningMs = Math.min(Number(dialog.dataset.warningSeconds) * SECOND_MS, idleMs);
  const keepAlive = dialog.querySelector("form[data-timeout-keep-alive]");
  const stayButton = dialog.querySelector("[data-timeout-stay]");
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcer = dialog.querySelector("[data-timeout-announce]");
  const forms = [...document.querySelectorAll("form")]
    .filter((form) => form.method === "post" && !dialog.contains(form) && !form.matches("[data-kept-form]"));
  const loaded = new Map(forms.map((form) => [form, snapshot(form)]));
  let deadline = 0;
  let timer = null;
  let returnFocus = null;
  let announced = "";
  let closing = false;
  let over = false;

  const hide = () => {
    if (!dialog.open) return;
    closing = true;
    dialog.close();
    closing = false;
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  };

  const timeUp = () => {
    over = true;
    clearTimeout(timer);
    const changed = forms.find((form) => document.contains(form) && snapshot(form) !== loaded.get(form));
    if (changed) {
      // Posted after the session ended, it is kept, and saved once its writer signs in again.
      hide();
      changed.noValidate = true;
      changed.requestSubmit(changed.querySelector("button:not([type]), button[type=submit], input[type=submit]"));
      return;
    }
    const here = window.location.pathname + window.location.search;
    window.location.assign(`${dialog.dataset.signInUrl}?next=${encodeURIComponent(here)}`);
  };

  const tick = () => {
    clearTimeout(timer);
    if (over) return;
    const left = deadline - Date.now();
    if (left <= 0) {
      timeUp();
      return;
    }
    if (left > warningMs) {
      timer = setTimeout(tick, left - warningMs);
      return;
    }
    const seconds = Math.ceil(left / SECOND_MS);
    countdown.textContent = duration(seconds);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      announced = heard(seconds); // said as the dialog opens, with its description
      announcer.textContent = "";
      dialog.showModal();
      stayButton.focus();
    } else if (heard(seconds) !== announced) {
      announced = heard(seconds);
      announcer.textContent = `We will sign you out in ${announced}.`;
    }
    timer = setTimeout(tick, left - (seconds - 1) * SECOND_MS);
  };

  const restart = () => {
    if (over) return;
    hide();
    deadline = Date.now() + idleMs + GRACE_MS;
    tick();
  };

  const stay = () => {
    hide();
    fetch(keepAlive.action, {
      method: "POST", body: new FormData(keepAlive), credentials: "same-origin", headers: { Accept: "application/json" },
    })
      .then((response) => (response.status === 204 ? restart() : timeUp()))
      .catch(() => tick()); // no connection: the count goes on, and the dialog comes back
  };

  keepAlive.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  // Escape closes the dialog: that is "Stay signed in" too.
  dialog.addEventListener("close", () => {
    if (closing || over) return;
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
    stay();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") tick(); // timers wait in a hidden tab
  });
  // Every request to us restarts the server's count (a refused one, 401, does not).
  if ("PerformanceObserver" in window) {
    new PerformanceObserver((list) => {
      const ours = list.getEntries().some((entry) => entry.name.startsWith(window.location.origin)
        && entry.responseStatus !== 401);
      if (ours) restart();
    }).observe({ type: "resource" });
  }
  restart();
}

export function initTimeoutWarning(root = document) {
  const dialog = root.querySelector("dialog[data-timeout-warning]");
  if (dialog && typeof dialog.showModal === "function") warn(dialog);
  const kept = root.querySelector("form[data-kept-form]");
  if (kept) kept.requestSubmit();
}
