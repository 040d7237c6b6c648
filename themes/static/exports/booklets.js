// Booklet admin page: show only the selector the chosen scope needs, and follow running jobs
// (polls the status JSON every two seconds while any job is waiting or rendering).
(() => {
  const form = document.querySelector("[data-booklet-form]");
  if (form) {
    const sync = () => {
      const chosen = form.querySelector("input[name=scope]:checked");
      form.querySelectorAll("[data-scope-field]").forEach((field) => {
        field.hidden = !chosen || field.dataset.scopeField !== chosen.value;
      });
    };
    form.addEventListener("change", sync);
    sync();
  }

  const jobs = document.querySelector("[data-status-url]");
  if (!jobs) return;
  const active = () => jobs.querySelector('[data-status="queued"], [data-status="running"]');

  const update = (item) => {
    const row = jobs.querySelector(`[data-booklet="${item.id}"]`);
    if (!row) return false;
    const wasActive = row.dataset.status === "queued" || row.dataset.status === "running";
    row.dataset.status = item.status;
    row.querySelector('[data-field="status_label"]').textContent = item.status_label;
    const bar = row.querySelector(".booklet-progress");
    bar.hidden = !(item.status === "queued" || item.status === "running");
    bar.querySelector("progress").value = item.progress;
    bar.querySelector("progress").textContent = `${item.progress}%`;
    row.querySelector('[data-field="stage"]').textContent = item.stage;
    const error = row.querySelector('[data-field="error"]');
    error.textContent = item.error;
    error.hidden = !item.error;
    if (item.page_count) {
      row.querySelector('[data-field="counts"]').textContent = `${item.guide_count} / ${item.page_count}`;
    }
    const download = row.querySelector('[data-field="download"]');
    if (item.download_url && !download.querySelector("a")) {
      const link = document.createElement("a");
      link.className = "button button-small";
      link.href = item.download_url;
      link.textContent = "下载 PDF";
      download.replaceChildren(link);
    }
    return wasActive;
  };

  const poll = async () => {
    if (!active()) return;
    try {
      const response = await fetch(jobs.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        data.booklets.forEach(update);
      }
    } finally {
      if (active()) window.setTimeout(poll, 2000);
    }
  };
  window.setTimeout(poll, 1000);
})();
