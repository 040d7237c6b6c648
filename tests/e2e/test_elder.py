"""Elder mode (长辈模式) and read-aloud (朗读) in a real browser.

Headless Chromium has no voices, so window.speechSynthesis is replaced before any page script runs by a
recording stand-in: it keeps every utterance it is asked to speak, says "finished" only when the test
tells it to, and reports cancel/pause/resume calls. The tests then check what a listener would hear.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import describe, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SPEECH_STAND_IN = """
(() => {
  const log = { spoken: [], cancels: 0, pauses: 0, resumes: 0 };
  let current = null;
  class Utterance {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; this.rate = 1; this.onend = null; this.onerror = null; }
  }
  const synth = {
    get speaking() { return current !== null; },
    paused: false,
    pending: false,
    onvoiceschanged: null,
    getVoices() { return [{ lang: "zh-CN", name: "普通话（测试）", voiceURI: "test-zh-CN", localService: true, default: true }]; },
    speak(utterance) { log.spoken.push({ text: utterance.text, lang: utterance.lang }); current = utterance; },
    cancel() {
      log.cancels++;
      const interrupted = current;
      current = null;
      if (interrupted && interrupted.onerror) interrupted.onerror({ error: "interrupted", utterance: interrupted });
    },
    pause() { log.pauses++; this.paused = true; },
    resume() { log.resumes++; this.paused = false; },
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  Object.defineProperty(window, "SpeechSynthesisUtterance", { value: Utterance, configurable: true });
  window.__speech = log;
  // The current sentence has been spoken to the end.
  window.__finishUtterance = () => {
    const done = current;
    current = null;
    if (done && done.onend) done.onend({ utterance: done });
  };
})();
"""


def _elder_cookie(context):
    return next((c["value"] for c in context.cookies() if c["name"] == "yimen_elder"), None)


def test_elder_mode_switches_on_persists_across_pages_and_switches_off(page, context, world):
    page.goto("/")
    html = page.locator("html")
    expect(html).not_to_have_class(re.compile(r"\belder-mode\b"))
    switch = page.locator("[data-elder-toggle]").first
    expect(switch).to_be_visible()
    switch.click()

    expect(html).to_have_class(re.compile(r"\belder-mode\b"))
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert _elder_cookie(context) == "1"

    # The next page comes from the server already in elder mode (no flash of small type).
    page.goto(world.dibao.url)
    expect(html).to_have_class(re.compile(r"\belder-mode\b"))
    expect(page.locator("[data-elder-toggle]").first).to_have_attribute("aria-pressed", "true")
    body_size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")

    page.locator("[data-elder-toggle]").first.click()
    expect(html).not_to_have_class(re.compile(r"\belder-mode\b"))
    assert _elder_cookie(context) in (None, "", "0")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") < body_size, (
        "长辈模式应使用更大的字号"
    )
    page.reload()
    expect(html).not_to_have_class(re.compile(r"\belder-mode\b"))


def test_elder_mode_pages_have_no_serious_accessibility_violation(page, world):
    page.goto("/")
    page.locator("[data-elder-toggle]").first.click()
    expect(page.locator("html")).to_have_class(re.compile(r"\belder-mode\b"))
    reports = []
    for name, url in [
        ("首页", "/"),
        ("办事指南目录", "/services/"),
        ("办事指南", world.dibao.url),
        ("搜索结果", "/search/?q=低保"),
        ("阳光台", f"/halls/{world.hall.slug}/staff/"),
        ("投诉表单", "/complaints/"),
        ("统计公开", world.statistics.url),
    ]:
        page.goto(url)
        found = violations(page)
        if found:
            reports.append(describe(f"{name}（长辈模式）", page.url, found))
    assert not reports, "长辈模式下 axe-core 发现严重的无障碍问题：\n" + "\n".join(reports)


def test_read_aloud_speaks_the_guide_in_mandarin_pauses_resumes_and_stops(page, world):
    page.add_init_script(SPEECH_STAND_IN)
    page.goto(world.dibao.url)
    toggle = page.locator("[data-read-aloud]")
    stop = page.locator("[data-read-aloud-stop]")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    spoken = page.evaluate("() => window.__speech.spoken")
    assert spoken, "点击朗读后应开始朗读"
    assert spoken[0]["lang"].lower().startswith("zh"), spoken[0]
    expect(stop).to_be_enabled()

    # Sentence by sentence through the guide: its materials are read too.
    heard = [spoken[0]["text"]]
    for _ in range(200):
        page.evaluate("() => window.__finishUtterance()")
        now = page.evaluate("() => window.__speech.spoken")
        if len(now) == len(heard):
            break
        heard.append(now[-1]["text"])
        if any("家庭经济状况核对授权书" in text for text in heard):
            break
    assert any("最低生活保障审核确认" in text for text in heard[:3]), f"应先读出事项名称：{heard[:3]}"
    assert any("家庭经济状况核对授权书" in text for text in heard), heard
    interrupted = heard[-1]

    toggle.click()  # pause
    expect(toggle).to_have_attribute("aria-pressed", "false")
    before_pause = page.evaluate("() => window.__speech")
    assert before_pause["cancels"] >= 1 or before_pause["pauses"] >= 1, "暂停时应让语音停下"
    page.evaluate("() => window.__finishUtterance()")
    assert len(page.evaluate("() => window.__speech.spoken")) == len(before_pause["spoken"]), "暂停后不应继续朗读"

    toggle.click()  # resume
    expect(toggle).to_have_attribute("aria-pressed", "true")
    after = page.evaluate("() => window.__speech")
    resumed_in_place = after["resumes"] > before_pause["resumes"]
    restarted_sentence = (
        len(after["spoken"]) > len(before_pause["spoken"]) and after["spoken"][-1]["text"] == interrupted
    )
    assert resumed_in_place or restarted_sentence, f"继续朗读应从暂停处接着读：{after['spoken'][-3:]}"

    stop.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(stop).to_be_disabled()
    count = len(page.evaluate("() => window.__speech.spoken"))
    page.evaluate("() => window.__finishUtterance()")
    assert len(page.evaluate("() => window.__speech.spoken")) == count, "停止后不应继续朗读"
