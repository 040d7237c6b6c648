// Opens panels marked data-open-on-wide (the catalog filters) on wide screens; on phones they stay folded.
(function () {
  var wide = window.matchMedia("(min-width: 56em)");
  function sync() {
    document.querySelectorAll("details[data-open-on-wide]").forEach(function (el) {
      el.open = wide.matches;
    });
  }
  sync();
  wide.addEventListener("change", sync);
})();
