// 朗读: reads a guide aloud in Mandarin with the browser's own speech synthesis (no server, no download).
// The text is cut into sentences and spoken one at a time: Chrome stops long utterances after about
// fifteen seconds, and sentence-sized pieces let "pause" cancel and later resume at the same sentence,
// which also works on Android, where speechSynthesis.pause() is unreliable.
// Markup: [data-read-aloud-controls] (hidden until this script finds speech synthesis) holding
// [data-read-aloud] (start / pause / resume, aria-pressed while speaking), [data-read-aloud-stop] and
// [data-read-aloud-status]; the text comes from [data-read-aloud-source] minus [data-read-aloud-skip].
(function () {
  var controls = document.querySelector("[data-read-aloud-controls]");
  if (!controls || !("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) return;
  var source = document.querySelector("[data-read-aloud-source]");
  var toggle = controls.querySelector("[data-read-aloud]");
  var stopButton = controls.querySelector("[data-read-aloud-stop]");
  var status = controls.querySelector("[data-read-aloud-status]");
  if (!source || !toggle || !stopButton) return;

  var synth = window.speechSynthesis;
  var BLOCKS = /^(H[1-6]|P|LI|DT|DD|TR|BLOCKQUOTE|SECTION|ARTICLE|HEADER|DIV|DL|UL|OL|TABLE|FIGCAPTION)$/;
  var ENDS = /[。！？；：.!?;:，,、]$/;
  var MAX_CHUNK = 120;
  var state = "idle"; // idle | speaking | paused
  var chunks = [];
  var index = 0;
  var generation = 0; // callbacks of cancelled utterances carry an old generation and are ignored

  // Visible text of the guide as lines: one per block element, a dt joined to its dd with "：".
  function collect(node, lines) {
    if (node.nodeType === Node.TEXT_NODE) {
      lines[lines.length - 1] += node.nodeValue.replace(/\s+/g, " ");
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.hasAttribute("data-read-aloud-skip") || node.getAttribute("aria-hidden") === "true") return;
    if (node.tagName === "THEAD" || node.tagName === "SCRIPT" || node.tagName === "STYLE" || node.hidden) return;
    // Only what is on screen: visually hidden helpers and cells hidden at this width (display: none) are left out.
    if (node.classList.contains("visually-hidden") || node.getClientRects().length === 0) return;
    var block = BLOCKS.test(node.tagName);
    if (block) lines.push("");
    for (var child = node.firstChild; child; child = child.nextSibling) collect(child, lines);
    var last = lines[lines.length - 1];
    if (/^(TH|TD)$/.test(node.tagName) && last.trim() && !ENDS.test(last.trim())) {
      lines[lines.length - 1] = last.trim() + "，"; // a table row is read as one sentence, cell by cell
    }
    if (block) {
      var text = lines[lines.length - 1].trim().replace(/，$/, "");
      if (text && node.tagName === "DT" && !ENDS.test(text)) text += "：";
      else if (text && /^(H[1-6]|TR|LI|DD)$/.test(node.tagName) && !ENDS.test(text)) text += "。";
      lines[lines.length - 1] = text;
      lines.push("");
    }
  }

  function sentences() {
    var lines = [""];
    collect(source, lines);
    var text = lines.filter(Boolean).join("\n").replace(/：\n/g, "：")
      .replace(/[ \t]*([，。：；])[ \t]*/g, "$1") // spaces around punctuation left by the markup
      .replace(/，—(?=[，。])/g, "") // empty table cells
      .replace(/，。/g, "。");
    var pieces = text.replace(/([。！？；!?;])/g, "$1\n").split("\n");
    var out = [];
    pieces.forEach(function (piece) {
      piece = piece.trim();
      if (!piece) return;
      while (piece.length > MAX_CHUNK) {
        var cut = piece.lastIndexOf("，", MAX_CHUNK);
        if (cut < MAX_CHUNK / 3) cut = MAX_CHUNK;
        out.push(piece.slice(0, cut + 1));
        piece = piece.slice(cut + 1);
      }
      if (piece) out.push(piece);
    });
    return out;
  }

  function chineseVoice() {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) if (/^zh[-_]CN/i.test(voices[i].lang)) return voices[i];
    for (var j = 0; j < voices.length; j++) if (/^(zh|cmn)/i.test(voices[j].lang)) return voices[j];
    return null;
  }

  function setState(next) {
    state = next;
    var label = toggle.getAttribute("data-label-" + (next === "speaking" ? "pause" : next === "paused" ? "resume" : "start"));
    toggle.querySelector("[data-read-aloud-label]").textContent = label;
    toggle.setAttribute("aria-pressed", next === "speaking" ? "true" : "false");
    stopButton.disabled = next === "idle";
    if (status) status.textContent = controls.getAttribute("data-status-" + next) || "";
  }

  function speakFrom(position) {
    var mine = ++generation;
    index = position;
    if (index >= chunks.length) {
      setState("idle");
      if (status) status.textContent = controls.getAttribute("data-status-done") || "";
      return;
    }
    var utterance = new SpeechSynthesisUtterance(chunks[index]);
    utterance.lang = "zh-CN";
    var voice = chineseVoice();
    if (voice) utterance.voice = voice;
    utterance.rate = document.documentElement.classList.contains("elder-mode") ? 0.85 : 1;
    utterance.onend = function () {
      if (mine === generation && state === "speaking") speakFrom(index + 1);
    };
    utterance.onerror = function (event) {
      if (mine !== generation || state !== "speaking") return;
      if (event.error === "interrupted" || event.error === "canceled") return;
      // No usable voice (e.g. no Chinese voice installed): say so instead of racing through the page.
      generation++;
      setState("idle");
      if (status) status.textContent = controls.getAttribute("data-status-failed") || "";
    };
    synth.speak(utterance);
  }

  function start() {
    chunks = sentences();
    synth.cancel();
    setState("speaking");
    speakFrom(0);
  }

  function pause() {
    generation++;
    setState("paused");
    synth.cancel();
  }

  function resume() {
    setState("speaking");
    synth.cancel();
    speakFrom(index);
  }

  function stop() {
    generation++;
    setState("idle");
    synth.cancel();
    index = 0;
    toggle.focus();
  }

  toggle.addEventListener("click", function () {
    if (state === "idle") start();
    else if (state === "speaking") pause();
    else resume();
  });
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", function () {
    generation++;
    synth.cancel();
  });
  controls.hidden = false;
})();
