// Start the GOV.UK Frontend components and our own. Loaded as a module, so no inline script is needed.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { initAutosave } from "./autosave.mjs";
import { initTimeoutWarning } from "./timeout.mjs";

initAll();
initAutosave();
initTimeoutWarning();
