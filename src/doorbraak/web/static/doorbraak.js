// Progressive enhancement only: every page works without this file.
// After a failed form the error summary gets focus, so screen readers and keyboards land on it.
document.addEventListener("DOMContentLoaded", function () {
  var samenvatting = document.querySelector(".fout-samenvatting");
  if (samenvatting) {
    samenvatting.setAttribute("tabindex", "-1");
    samenvatting.scrollIntoView({ block: "center" });
    samenvatting.focus({ preventScroll: true });
  }
});
