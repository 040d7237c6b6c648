/* As-you-type suggestions for every search box (.search-box[data-suggest-url]) and for fields that name
   a guide ([data-suggest-url][data-suggest-fill], e.g. 涉及事项 on the complaint form).
   An ARIA 1.2 combobox: arrow keys move through the list, Enter opens the chosen guide (in fill mode:
   puts its name in the field and stays on the form, guides only), Escape closes the list; without
   JavaScript the box is a plain field. */
(function () {
  "use strict";

  function setup(form) {
    if (form.dataset.suggestReady) return;
    form.dataset.suggestReady = "1";
    var input = form.querySelector("input[role=combobox]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[data-suggest-status]");
    var endpoint = form.dataset.suggestUrl;
    var fill = form.hasAttribute("data-suggest-fill");
    var timer = null;
    var pending = null;
    var active = -1;
    var items = [];
    var shown = [];

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(suggestion) {
      if (fill) {
        input.value = suggestion.name;
        close();
      } else {
        window.location.href = suggestion.url;
      }
    }

    function render(suggestions) {
      if (fill) {
        suggestions = suggestions.filter(function (suggestion) { return suggestion.kind !== "hall"; });
      }
      shown = suggestions;
      list.innerHTML = "";
      items = suggestions.map(function (suggestion, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = suggestion.url;
        var name = document.createElement("span");
        name.className = "search-suggest__name";
        name.textContent = suggestion.name;
        option.appendChild(name);
        if (suggestion.text && suggestion.text !== suggestion.name) {
          var hint = document.createElement("span");
          hint.className = "search-suggest__hint";
          hint.textContent = "\u201c" + suggestion.text + "\u201d";
          option.appendChild(hint);
        }
        if (suggestion.kind === "hall") {
          var kind = document.createElement("span");
          kind.className = "search-suggest__kind";
          kind.textContent = "\u670d\u52a1\u5927\u5385";
          option.appendChild(kind);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(suggestion);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? items.length + " \u6761\u8054\u60f3\uff0c\u7528\u4e0a\u4e0b\u65b9\u5411\u952e\u9009\u62e9" : "";
    }

    function fetchSuggestions() {
      var value = input.value.trim();
      if (!value) {
        close();
        return;
      }
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(endpoint + "?q=" + encodeURIComponent(value.slice(0, 100)), {
        headers: { Accept: "application/json" },
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === value && document.activeElement === input) render(data.suggestions || []);
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          fetchSuggestions();
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next < -1) next = items.length - 1;
        if (next >= items.length) next = -1;
        highlight(next);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(shown[active]);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  function init() {
    document.querySelectorAll(".search-box[data-suggest-url], [data-suggest-url][data-suggest-fill]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
