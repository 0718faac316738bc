// Conditional reveals under radios (`data-app-reveal` on GOV.UK's radios markup), without the aria-expanded that
// GOV.UK's radios script sets on the radio, which ARIA does not allow there (axe-core refuses it). The page loads
// this before GOV.UK Frontend starts: taking `data-aria-controls` off each radio leaves GOV.UK's script nothing
// to do. Without JavaScript nothing is hidden, so the revealed field is simply shown and sent.
for (const group of document.querySelectorAll("[data-app-reveal]")) {
  const reveals = [...group.querySelectorAll("input[type=radio][data-aria-controls]")].map((radio) => {
    const content = document.getElementById(radio.dataset.ariaControls);
    radio.removeAttribute("data-aria-controls");
    return [radio, content];
  });
  const sync = () => {
    for (const [radio, content] of reveals) {
      content?.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  };
  group.addEventListener("change", sync);
  window.addEventListener("pageshow", sync);
  sync();
}
