// Start the GOV.UK Frontend components. Loaded as a module, so no inline script is needed.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
