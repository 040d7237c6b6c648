// Elder mode (适老化) switch in the header, on every page. The server draws the page from the
// yimen_elder cookie; here the switch flips the <html> class and the cookie in place, with no reload.
// Without JavaScript the same button submits its form to /elder-mode/, which sets the cookie.
(function () {
  var COOKIE = "yimen_elder";
  var root = document.documentElement;

  function setCookie(on) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = on
      ? COOKIE + "=1; path=/; max-age=31536000; SameSite=Lax" + secure
      : COOKIE + "=; path=/; max-age=0; SameSite=Lax" + secure;
  }

  document.querySelectorAll("form[data-elder-form]").forEach(function (form) {
    var button = form.querySelector("[data-elder-toggle]");
    var value = form.querySelector("[data-elder-value]");
    if (!button) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var on = !root.classList.contains("elder-mode");
      root.classList.toggle("elder-mode", on);
      setCookie(on);
      document.querySelectorAll("[data-elder-toggle]").forEach(function (other) {
        other.setAttribute("aria-pressed", on ? "true" : "false");
      });
      if (value) value.value = on ? "0" : "1";
      document.dispatchEvent(new CustomEvent("yimen:elder-mode", { detail: { on: on } }));
    });
  });
})();

// 回到顶部 ([data-to-top]): hidden while the first screen is in view, shown once it is scrolled away.
// Without JavaScript the link is always there.
(function () {
  var buttons = document.querySelectorAll("[data-to-top]");
  if (!buttons.length) return;
  function sync() {
    var away = window.scrollY > window.innerHeight;
    buttons.forEach(function (button) {
      button.classList.toggle("to-top--hidden", !away);
    });
  }
  sync();
  window.addEventListener("scroll", sync, { passive: true });
})();
