// "打印本页" buttons on printable pages (the materials checklist).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print-page]")) {
    window.print();
  }
});
