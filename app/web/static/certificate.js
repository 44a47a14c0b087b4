// The print page's button: browsers print the certificates with the page's A4 landscape CSS.
document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("[data-print]")) {
    b.addEventListener("click", () => window.print());
  }
});
