/* Public complaint and tracking forms: focus the error summary, and check attachments before they are sent. */
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  var form = document.querySelector("form[data-max-files]");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  var warning = document.getElementById("file-warning");
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);

  function problem() {
    if (!input || !input.files) { return ""; }
    if (input.files.length > maxFiles) { return "最多上传 " + maxFiles + " 个附件，您选择了 " + input.files.length + " 个。"; }
    for (var i = 0; i < input.files.length; i += 1) {
      if (input.files[i].size > maxBytes) {
        return "附件“" + input.files[i].name + "”超过 " + Math.round(maxBytes / 1048576) + " MB，请压缩后再选择。";
      }
    }
    return "";
  }

  function show(message) {
    warning.textContent = message;
    warning.hidden = !message;
  }

  if (input) { input.addEventListener("change", function () { show(problem()); }); }
  form.addEventListener("submit", function (event) {
    var message = problem();
    if (message) {
      event.preventDefault();
      show(message);
      input.focus();
    }
  });
})();
