// Progressive enhancement only: every page works without this file.
// After a failed form the error summary gets focus, so screen readers and keyboards land on it;
// after a successful action the announcement of what happened gets focus.
document.addEventListener("DOMContentLoaded", function () {
  var doel = document.querySelector(".fout-samenvatting") || document.querySelector(".gelukt");
  if (doel) {
    doel.setAttribute("tabindex", "-1");
    doel.scrollIntoView({ block: "center" });
    doel.focus({ preventScroll: true });
  }
});
